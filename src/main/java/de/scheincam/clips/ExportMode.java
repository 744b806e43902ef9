package de.scheincam.clips;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import de.scheincam.core.Refusal;
import de.scheincam.remux.Track;

/**
 * How a clip is cut; {@code exact} unless the request says otherwise, since a smart cut costs about a
 * second and its file starts on the requested frame in every player and service (Firefox and many upload
 * pipelines ignore MP4 edit lists). {@code copy}: stream copy, in-process (de.scheincam.remux) — as fast as
 * copying the bytes; the file starts at the keyframe before the requested time and an MP4 edit list
 * makes players show the requested frame first. {@code exact}: "smart cut" — only the frames from the
 * requested one to the next keyframe are re-encoded, with the recording's own x264 settings, the rest is
 * copied; exact in every player, a second or two. {@code reencode}: decode and encode the whole stretch
 * with x264 at the recording's own video bit rate — exact everywhere, about real time on a small PC;
 * also what {@code exact} falls back to where a recording cannot be spliced.
 */
public enum ExportMode {
    COPY("copy"),
    EXACT("exact"),
    REENCODE("reencode");

    /** A millisecond: how precisely a request names a time (rounded either way). */
    private static final double END_TOLERANCE = 0.001;

    private final String id;

    ExportMode(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    @JsonCreator
    public static ExportMode parse(String value) {
        if (value == null || value.isBlank()) {
            return EXACT;
        }
        for (ExportMode m : values()) {
            if (m.id.equals(value.trim().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw Refusal.invalid("Field 'mode': '" + value.replaceAll("\\p{Cntrl}", "?") + "' is not one of copy, exact, reencode.");
    }

    /**
     * Where a clip starts in the recording: {@code seconds} for ffmpeg's {@code -ss}; {@code timestamp}
     * when that is a time stamp of the file itself (a hair before the pts of the frame shown at the
     * requested time, from the recording's index), not the request as it came.
     */
    record Start(double seconds, boolean timestamp) {

        /** The requested time, as it came (no index of the recording to say which frame is shown there). */
        static Start requested(double offset) {
            return new Start(offset, false);
        }

        /**
         * Half a time unit before the frame shown at {@code from} (the last one starting at or before it, as
         * {@code Cut} counts, within a millisecond): ffmpeg's accurate seek keeps the first frame at or
         * after the seek point, so the clip starts with that frame and its sound at the same source time.
         * The request rounded to the millisecond would drop a frame whose pts lies a hair before it
         * (4.16667 s against -ss 4.167). Null when the index holds no picture.
         */
        static Start shownAt(Track video, double from) {
            long pts = video.shownAt(from);
            return pts == Long.MIN_VALUE ? null : new Start((pts - 0.5) / video.timescale(), true);
        }
    }

    /** A clip of the stretch as requested, without an index of the recording. */
    List<String> ffmpegArgs(String input, double offset, double duration, long videoBitsPerSecond) {
        return ffmpegArgs(input, Start.requested(offset), offset + duration, videoBitsPerSecond);
    }

    /**
     * The clip from {@code start} to {@code end} (seconds of the recording). {@code videoBitsPerSecond}:
     * the recording's picture bit rate, which a re-encode keeps (a fixed CRF gave a quarter to a third of
     * what OBS records at); 0 when it is not known, then CRF 18.
     */
    List<String> ffmpegArgs(String input, Start start, double end, long videoBitsPerSecond) {
        List<String> args = new ArrayList<>();
        if (start.timestamp()) {
            // -ss is then a time stamp of the file (as the index has it), not counted from the file's start
            // time; the frames starting before the end are the clip's, but not one starting within a
            // millisecond of it (a request in whole milliseconds names it: it is the frame shown at the end)
            args.addAll(List.of("-seek_timestamp", "1", "-ss", String.format(Locale.ROOT, "%.6f", start.seconds()), "-i", input,
                    "-t", String.format(Locale.ROOT, "%.6f", end - END_TOLERANCE - start.seconds())));
        } else {
            args.addAll(List.of("-ss", FrameGrabber.seconds(java.time.Duration.ofMillis(Math.round(start.seconds() * 1000))),
                    "-i", input,
                    "-t", FrameGrabber.seconds(java.time.Duration.ofMillis(Math.round((end - start.seconds()) * 1000)))));
        }
        args.addAll(List.of("-map", "0:v:0", "-map", "0:a?", "-sn", "-dn")); // every sound track (OBS records up to six)
        double duration = end - start.seconds();
        if (this != REENCODE) {
            args.addAll(List.of("-c", "copy"));
        } else {
            // a constant frame rate: where OBS skipped frames the one before stays on screen, as a player
            // shows it, so the picture covers the stretch to its end (the MP4 track's length is counted in
            // decode times, which a gap before the last frame would shorten by the gap)
            args.addAll(List.of("-fps_mode", "cfr", "-c:v", "libx264", "-preset", "veryfast"));
            if (videoBitsPerSecond > 0) {
                long k = Math.max(100, videoBitsPerSecond / 1000);
                args.addAll(List.of("-b:v", k + "k", "-maxrate", k + "k", "-bufsize", 2 * k + "k"));
            } else {
                args.addAll(List.of("-crf", "18"));
            }
            args.addAll(List.of("-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "160k"));
            // x264's B-frames would put the first picture at 2 frames without the edit list (Firefox,
            // -ignore_editlist) while the sound starts at 0; negative composition offsets show it at 0
            // either way (the sound's priming, one AAC frame, is then all that differs)
            args.addAll(List.of("-movflags", "+negative_cts_offsets"));
        }
        // moov at the front for browsers, without faststart's second pass over the whole file: reserve
        // room for it up front (sample tables for up to 60 fps video and ~100 audio packets/s)
        args.addAll(List.of("-moov_size", String.valueOf(moovReserve(duration)), "-f", "mp4"));
        return args;
    }

    static long moovReserve(double durationSeconds) {
        return 65_536 + (long) Math.ceil(durationSeconds) * (60 * 16 + 100 * 8);
    }
}
