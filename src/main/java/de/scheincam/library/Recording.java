package de.scheincam.library;

import java.time.LocalDateTime;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One recording's metadata, as kept in {@code videos/<name>.json} and served by the API. Times are the
 * venue's local wall-clock times. {@code endTime} and {@code duration} stay empty while OBS is still
 * writing the file ({@code inProgress}) and until ffprobe has read it. {@code gapSeconds}: when the
 * schedule resumed a show after an interruption (app or OBS restart, crash), how long nothing was
 * recorded before this file.
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
        Double fps,
        Double gapSeconds) {

    public Recording withKeep(boolean newKeep) {
        return new Recording(filename, name, startTime, endTime, duration, size, container, newKeep, inProgress,
                width, height, fps, gapSeconds);
    }

    public Recording growing(long newSize) {
        return new Recording(filename, name, startTime, null, null, newSize, container, keep, true, width, height, fps, gapSeconds);
    }

    public Recording probed(MediaInfo info, long newSize) {
        LocalDateTime end = info.duration() == null ? null
                : startTime.plusNanos(Math.round(info.duration() * 1_000_000_000L)).withNano(0);
        return new Recording(filename, name, startTime, end, info.duration(), newSize, container, keep, false,
                info.width(), info.height(), info.fps(), gapSeconds);
    }

    public Recording stopped(long newSize) {
        return new Recording(filename, name, startTime, endTime, duration, newSize, container, keep, false,
                width, height, fps, gapSeconds);
    }

    public Recording withGap(double seconds) {
        return new Recording(filename, name, startTime, endTime, duration, size, container, keep, inProgress,
                width, height, fps, seconds);
    }
}
