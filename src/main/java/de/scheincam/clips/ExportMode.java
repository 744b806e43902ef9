package de.scheincam.clips;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import de.scheincam.web.ApiProblem;

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

    private final String id;

    ExportMode(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static ExportMode parse(String value) {
        if (value == null || value.isBlank()) {
            return EXACT;
        }
        for (ExportMode m : values()) {
            if (m.id.equals(value.trim().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw ApiProblem.unprocessable("Field 'mode': '" + value.replaceAll("\\p{Cntrl}", "?") + "' is not one of copy, exact, reencode.");
    }

    /**
     * {@code videoBitsPerSecond}: the recording's picture bit rate, which a re-encode keeps (a fixed CRF
     * gave a quarter to a third of what OBS records at); 0 when it is not known, then CRF 18.
     */
    List<String> ffmpegArgs(String input, double offset, double duration, long videoBitsPerSecond) {
        List<String> args = new ArrayList<>(List.of(
                "-ss", FrameGrabber.seconds(java.time.Duration.ofMillis(Math.round(offset * 1000))),
                "-i", input,
                "-t", FrameGrabber.seconds(java.time.Duration.ofMillis(Math.round(duration * 1000))),
                "-map", "0:v:0", "-map", "0:a?", "-sn", "-dn")); // every sound track (OBS records up to six)
        if (this != REENCODE) {
            args.addAll(List.of("-c", "copy"));
        } else {
            args.addAll(List.of("-c:v", "libx264", "-preset", "veryfast"));
            if (videoBitsPerSecond > 0) {
                long k = Math.max(100, videoBitsPerSecond / 1000);
                args.addAll(List.of("-b:v", k + "k", "-maxrate", k + "k", "-bufsize", 2 * k + "k"));
            } else {
                args.addAll(List.of("-crf", "18"));
            }
            args.addAll(List.of("-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "160k"));
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
