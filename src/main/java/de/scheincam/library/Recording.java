package de.scheincam.library;

import java.time.LocalDateTime;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One recording's metadata, as kept in {@code videos/<name>.json} and served by the API. Times are the
 * venue's local wall-clock times. {@code endTime} and {@code duration} stay empty while OBS is still
 * writing the file ({@code inProgress}) and until ffprobe has read it.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Recording(
        String filename,
        String name,
        LocalDateTime startTime,
        LocalDateTime endTime,
        Double duration,
        long size,
        String container,
        boolean keep,
        boolean inProgress,
        Integer width,
        Integer height,
        Double fps) {

    public Recording withKeep(boolean newKeep) {
        return new Recording(filename, name, startTime, endTime, duration, size, container, newKeep, inProgress,
                width, height, fps);
    }

    public Recording growing(long newSize) {
        return new Recording(filename, name, startTime, null, null, newSize, container, keep, true, width, height, fps);
    }

    public Recording probed(MediaInfo info, long newSize) {
        LocalDateTime end = info.duration() == null ? null
                : startTime.plusNanos(Math.round(info.duration() * 1_000_000_000L)).withNano(0);
        return new Recording(filename, name, startTime, end, info.duration(), newSize, container, keep, false,
                info.width(), info.height(), info.fps());
    }

    public Recording stopped(long newSize) {
        return new Recording(filename, name, startTime, endTime, duration, newSize, container, keep, false,
                width, height, fps);
    }
}
