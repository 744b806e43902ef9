package de.scheincam.library;

import java.time.LocalDateTime;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
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
 * from where its last frames lie. {@code gapReason}: why nothing was recorded before this file, when it
 * continues a show ({@link #OBS_LOST}, {@link #APP_RESTARTED}, {@link #STOPPED_BY_HAND}; absent when not
 * known). {@code showId}: the show (one evening, de.scheincam.shows) this recording is a part of, given
 * when it was recorded (or when the app found it) so that a show's id never changes. Both are left out of
 * the JSON while unknown, so metadata and answers from before shows stay byte for byte as they were.
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
        boolean endedAbnormally,
        @JsonInclude(JsonInclude.Include.NON_NULL) String gapReason,
        @JsonInclude(JsonInclude.Include.NON_NULL) String showId) {

    /** OBS went away (crashed, killed, its connection lost) while it recorded. */
    public static final String OBS_LOST = "obs-lost";
    /** ScheinCam itself was started again, and nothing was being recorded when it came up. */
    public static final String APP_RESTARTED = "app-restarted";
    /** Someone stopped the recording (the API's stop, the operator page). */
    public static final String STOPPED_BY_HAND = "stopped-by-hand";

    public Recording(String filename, String name, LocalDateTime startTime, LocalDateTime endTime, Double duration, long size,
                     String container, boolean keep, boolean inProgress, Integer width, Integer height, Double fps,
                     Double gapSeconds, boolean endedAbnormally) {
        this(filename, name, startTime, endTime, duration, size, container, keep, inProgress, width, height, fps, gapSeconds,
                endedAbnormally, null, null);
    }

    public Recording withKeep(boolean newKeep) {
        return new Recording(filename, name, startTime, endTime, duration, size, container, newKeep, inProgress,
                width, height, fps, gapSeconds, endedAbnormally, gapReason, showId);
    }

    public Recording growing(long newSize) {
        return new Recording(filename, name, startTime, null, null, newSize, container, keep, true, width, height, fps, gapSeconds, false, gapReason, showId);
    }

    public Recording probed(MediaInfo info, long newSize) {
        LocalDateTime end = info.duration() == null ? null
                : startTime.plusNanos(Math.round(info.duration() * 1_000_000_000L)).withNano(0);
        return new Recording(filename, name, startTime, end, info.duration(), newSize, container, keep, false,
                info.width(), info.height(), info.fps(), gapSeconds, false, gapReason, showId);
    }

    /** Length taken from where the last frames lie, because the file's header lacks it (see above). */
    public Recording measuredFromFrames(MediaInfo info, double seconds, long newSize) {
        MediaInfo withLength = new MediaInfo(Math.round(seconds * 1000) / 1000.0, info.width(), info.height(), info.fps(),
                info.codecs());
        Recording r = probed(withLength, newSize);
        return new Recording(filename, name, startTime, r.endTime, r.duration, newSize, container, keep, false,
                r.width, r.height, r.fps, gapSeconds, true, gapReason, showId);
    }

    public Recording stopped(long newSize) {
        return new Recording(filename, name, startTime, endTime, duration, newSize, container, keep, false,
                width, height, fps, gapSeconds, endedAbnormally, gapReason, showId);
    }

    /** Starting at {@code start} (the end moves with it once the length is known). */
    public Recording startingAt(LocalDateTime start) {
        LocalDateTime end = endTime == null ? null : start.plus(java.time.Duration.between(startTime, endTime));
        return new Recording(filename, name, start, end, duration, size, container, keep, inProgress,
                width, height, fps, gapSeconds, endedAbnormally);
    }

    public Recording withGap(double seconds) {
        return new Recording(filename, name, startTime, endTime, duration, size, container, keep, inProgress,
                width, height, fps, seconds, endedAbnormally, gapReason, showId);
    }

    /** Part of the show {@code id}; {@code reason}: why nothing was recorded before it in that show (null: none, or unknown). */
    public Recording inShow(String id, String reason) {
        return new Recording(filename, name, startTime, endTime, duration, size, container, keep, inProgress,
                width, height, fps, gapSeconds, endedAbnormally, reason, id);
    }
}
