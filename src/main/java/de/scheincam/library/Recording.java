package de.scheincam.library;

import java.time.LocalDateTime;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import de.scheincam.ffmpeg.MediaInfo;

/**
 * One recording's metadata, as kept in {@code videos/<name>.json} and served by the API. Times are the
 * venue's local wall-clock times. {@code endTime} and {@code duration} stay empty while OBS is still
 * writing the file ({@code inProgress}) and until ffprobe has read it. {@code gapSeconds}: when the
 * schedule resumed a show after an interruption (app or OBS restart, crash), how long nothing was
 * recorded before this file. {@code endedAbnormally}: the file's header does not say how long it is (OBS
 * was killed, or its disk filled, before it could finish the file); its length and end were then taken
 * from where its last frames lie.
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
        Double gapSeconds,
        boolean endedAbnormally) {

    public Recording withKeep(boolean newKeep) {
        return new Recording(filename, name, startTime, endTime, duration, size, container, newKeep, inProgress,
                width, height, fps, gapSeconds, endedAbnormally);
    }

    public Recording growing(long newSize) {
        return new Recording(filename, name, startTime, null, null, newSize, container, keep, true, width, height, fps, gapSeconds, false);
    }

    public Recording probed(MediaInfo info, long newSize) {
        LocalDateTime end = info.duration() == null ? null
                : startTime.plusNanos(Math.round(info.duration() * 1_000_000_000L)).withNano(0);
        return new Recording(filename, name, startTime, end, info.duration(), newSize, container, keep, false,
                info.width(), info.height(), info.fps(), gapSeconds, false);
    }

    /** Length taken from where the last frames lie, because the file's header lacks it (see above). */
    public Recording measuredFromFrames(MediaInfo info, double seconds, long newSize) {
        MediaInfo withLength = new MediaInfo(Math.round(seconds * 1000) / 1000.0, info.width(), info.height(), info.fps(),
                info.codecs());
        Recording r = probed(withLength, newSize);
        return new Recording(filename, name, startTime, r.endTime, r.duration, newSize, container, keep, false,
                r.width, r.height, r.fps, gapSeconds, true);
    }

    public Recording stopped(long newSize) {
        return new Recording(filename, name, startTime, endTime, duration, newSize, container, keep, false,
                width, height, fps, gapSeconds, endedAbnormally);
    }

    /** Starting at {@code start} (the end moves with it once the length is known). */
    public Recording startingAt(LocalDateTime start) {
        LocalDateTime end = endTime == null ? null : start.plus(java.time.Duration.between(startTime, endTime));
        return new Recording(filename, name, start, end, duration, size, container, keep, inProgress,
                width, height, fps, gapSeconds, endedAbnormally);
    }

    public Recording withGap(double seconds) {
        return new Recording(filename, name, startTime, endTime, duration, size, container, keep, inProgress,
                width, height, fps, seconds, endedAbnormally);
    }
}
