package de.scheincam.clips;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import de.scheincam.ffmpeg.FfmpegBinaries;
import de.scheincam.ffmpeg.ProgramCall;
import de.scheincam.library.Recording;
import de.scheincam.library.RecordingLibrary;
import de.scheincam.web.ApiProblem;

/**
 * One JPEG frame of a recording at a wall-clock time. ffmpeg seeks on the input (decodes at most one
 * GOP, never the whole file) and skips frames no other frame depends on, which cuts decoding work by
 * the share of B-frames; the frame shown is then at most two frames after the requested time.
 */
public class FrameGrabber {

    private static final long TIMEOUT_MILLIS = 30_000;

    private final RecordingLibrary library;
    private final ShowClock showClock;
    private final FfmpegBinaries binaries;
    private final int width;
    private final int height;

    public FrameGrabber(RecordingLibrary library, ShowClock showClock, FfmpegBinaries binaries, int width, int height) {
        this.library = library;
        this.showClock = showClock;
        this.binaries = binaries;
        this.width = width;
        this.height = height;
    }

    public ProgramCall call(FrameRequest request) {
        if (request == null) {
            throw ApiProblem.unprocessable("A JSON body with 'filename' and 'timestamp' is required.");
        }
        Recording recording = library.find(request.filename());
        LocalDateTime at = showClock.wallClock(recording, ShowClock.parse("timestamp", request.timestamp()));
        Duration offset = showClock.offset(recording, at);
        Duration length = showClock.readableLength(recording);
        if (offset.compareTo(length) >= 0) {
            throw ApiProblem.unprocessable("Field 'timestamp': " + ShowClock.hms(at) + " is outside the recording ("
                    + showClock.span(recording, length) + ").");
        }
        List<String> args = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-v", "error",
                "-skip_frame:v", "noref",
                "-ss", seconds(offset),
                "-i", library.fileOf(recording).toString(),
                "-an", "-sn", "-dn",
                "-frames:v", "1",
                "-vf", "scale=" + width + ":" + height + ":force_original_aspect_ratio=decrease,"
                        + "pad=" + width + ":" + height + ":(ow-iw)/2:(oh-ih)/2",
                "-f", "image2pipe", "-c:v", "mjpeg", "-q:v", "4", "pipe:1"));
        return new ProgramCall(binaries.ffmpeg(), args, TIMEOUT_MILLIS);
    }

    public Map<String, Object> reply(byte[] jpeg, FrameRequest request) {
        if (jpeg == null || jpeg.length < 4 || (jpeg[0] & 0xff) != 0xFF || (jpeg[1] & 0xff) != 0xD8) {
            throw new IllegalStateException("ffmpeg returned no JPEG for " + request.filename() + " at " + request.timestamp());
        }
        Recording recording = library.find(request.filename());
        LocalDateTime at = showClock.wallClock(recording, ShowClock.parse("timestamp", request.timestamp()));
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("success", true);
        reply.put("image", "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg));
        reply.put("timestamp", ShowClock.hms(at));
        reply.put("filename", recording.filename());
        reply.put("width", width);
        reply.put("height", height);
        return reply;
    }

    static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.3f", d.toMillis() / 1000.0);
    }
}
