package de.scheincam.clips;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import de.scheincam.core.Refusal;
import de.scheincam.ffmpeg.FfmpegBinaries;
import de.scheincam.ffmpeg.ProgramCall;
import de.scheincam.frames.DecodeFailed;
import de.scheincam.frames.DecodedFrame;
import de.scheincam.frames.DecoderPool;
import de.scheincam.frames.JpegImages;
import de.scheincam.frames.Mp4Fragments;
import de.scheincam.library.Recording;
import de.scheincam.library.RecordingLibrary;
import de.scheincam.library.ShowClock;

/**
 * One JPEG frame of a recording at a wall-clock time. Decoded in-process (libavcodec through the
 * bundled bytedeco build, see {@link DecoderPool}): seek to the keyframe before the time, decode to it,
 * scale, encode. Where those libraries do not load, or {@code scheincam.frame.decoder=program}, the
 * ffmpeg program does the same with an input seek. A recording still being written can be used when its
 * container can be read while growing (mkv, fragmented MP4), up to about a second ago.
 */
public class FrameGrabber {

    private static final long TIMEOUT_MILLIS = 30_000;
    private static final Set<String> MP4_FAMILY = Set.of("mp4", "mov");
    private static final float JPEG_QUALITY = 0.85f;

    private final RecordingLibrary library;
    private final ShowClock showClock;
    private final FfmpegBinaries binaries;
    private final DecoderPool decoders;
    private final boolean inProcess;
    private final int width;
    private final int height;
    /** Decodes under way, by recording, file state and offset: identical requests join the one running. */
    private final Map<String, CompletableFuture<byte[]>> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong coalesced = new AtomicLong();

    /** A checked request: which recording, which moment. */
    public record FramePlan(Recording recording, LocalDateTime at, Duration offset, boolean inProcess) {
    }

    private final ShowTimes shows;

    public FrameGrabber(RecordingLibrary library, ShowClock showClock, FfmpegBinaries binaries, DecoderPool decoders,
                        String decoder, int width, int height, ShowTimes shows) {
        this.shows = shows;
        this.library = library;
        this.showClock = showClock;
        this.binaries = binaries;
        this.decoders = decoders;
        if (!Set.of("in-process", "program").contains(decoder)) {
            throw new IllegalArgumentException("scheincam.frame.decoder must be in-process or program, not '" + decoder + "'");
        }
        this.inProcess = decoder.equals("in-process");
        this.width = width;
        this.height = height;
    }

    /** Checks the request completely (name, time, readable now) before anything is decoded. */
    public FramePlan plan(FrameRequest request) {
        if (request == null) {
            throw Refusal.invalid("A JSON body with 'filename' and 'timestamp' is required.");
        }
        ShowTimes.requireOneOf(request.filename(), request.show());
        Recording recording;
        LocalDateTime at;
        if (request.show() != null) {
            ShowTimes.At where = shows.at(request.show(), ShowClock.parse("timestamp", request.timestamp()), this::readableLength);
            recording = library.measured(where.recording());
            at = where.at();
        } else {
            recording = library.measured(library.find(request.filename()));
            at = showClock.wallClock(recording, ShowClock.parse("timestamp", request.timestamp()));
        }
        Duration offset = showClock.offset(recording, at);
        Duration length = readableLength(recording);
        if (offset.compareTo(length) >= 0) {
            throw Refusal.invalid("Field 'timestamp': " + ShowClock.hms(at) + " is outside the recording ("
                    + showClock.span(recording, length) + ").");
        }
        return new FramePlan(recording, at, offset, inProcess && decoders.available());
    }

    /**
     * How far a recording can be read now. A fragmented MP4 still being written counts like mkv; a
     * plain one cannot be read at all until OBS has finished it.
     */
    public Duration readableLength(Recording listed) {
        Recording recording = library.measured(listed);
        if (recording.inProgress() && MP4_FAMILY.contains(recording.container())) {
            if (Mp4Fragments.present(library.fileOf(recording))) {
                return showClock.liveLength(recording);
            }
            throw Refusal.conflict("Recording " + recording.filename() + " is still being recorded as a plain MP4,"
                    + " which has no index until OBS finishes it; frames are possible once it has ended"
                    + " (record as mkv or fragmented MP4 to use a show while it runs).");
        }
        return showClock.readableLength(recording);
    }

    /**
     * The frame, decoded in this process. Identical requests at once (same recording, same file state,
     * same millisecond) share one decode: a room full of phones on the same moment costs one GOP, and
     * the joiners take no decoder from anyone else.
     */
    public byte[] decode(FramePlan plan) {
        Recording r = plan.recording();
        String key = r.name() + "|" + r.size() + "/" + r.duration() + "|" + plan.offset().toMillis();
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        CompletableFuture<byte[]> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            coalesced.incrementAndGet();
            try {
                return running.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        try {
            byte[] jpeg = decodeOnce(plan);
            mine.complete(jpeg);
            return jpeg;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    /** Requests that were answered with another's decode (for tests and metrics). */
    public long coalesced() {
        return coalesced.get();
    }

    private byte[] decodeOnce(FramePlan plan) {
        Recording r = plan.recording();
        boolean growing = r.inProgress();
        DecodedFrame frame;
        try {
            frame = decoders.use(library.fileOf(r), r.name(), r.size() + "/" + r.duration(), !growing, plan.offset(),
                    d -> d.frameAt(plan.offset(), width, height));
        } catch (DecodeFailed e) {
            if (e.damaged()) {
                throw Refusal.damaged("Recording " + r.filename() + " cannot be read at " + ShowClock.hms(plan.at())
                        + ": " + e.getMessage() + " (zeros or garbage where its pictures should be).");
            }
            if (e.reachedUpTo() != null) {
                throw Refusal.invalid("Field 'timestamp': " + ShowClock.hms(plan.at()) + " is not in the file yet"
                        + " (it reaches " + ShowClock.hms(showClock.wallClockAt(r, e.reachedUpTo())) + ").");
            }
            // a conflict only while OBS still writes the file (it may read later); a finished file that cannot be decoded is damaged there
            String why = "Recording " + r.filename() + " cannot be decoded at " + ShowClock.hms(plan.at()) + ": " + e.getMessage();
            throw growing ? Refusal.conflict(why + ".") : Refusal.damaged(why + " (the file is damaged there).");
        }
        return JpegImages.encode(frame.image(), JPEG_QUALITY);
    }

    /** The same frame by the ffmpeg program (input seek, at most one GOP decoded). */
    public ProgramCall call(FramePlan plan) {
        List<String> args = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-v", "error",
                "-skip_frame:v", "noref",
                "-ss", seconds(plan.offset()),
                "-i", library.fileOf(plan.recording()).toString(),
                "-an", "-sn", "-dn",
                "-frames:v", "1",
                "-vf", "scale=" + width + ":" + height + ":force_original_aspect_ratio=decrease,"
                        + "pad=" + width + ":" + height + ":(ow-iw)/2:(oh-ih)/2",
                "-f", "image2pipe", "-c:v", "mjpeg", "-q:v", "4", "pipe:1"));
        return new ProgramCall(binaries.ffmpeg(), args, TIMEOUT_MILLIS);
    }

    /** {@code POST /api/videos/frame}: the frame as a data URL, at its wall-clock time, and its size. */
    public record FrameReply(boolean success, String image, String timestamp, String filename, int width, int height) {
    }

    public FrameReply reply(byte[] jpeg, FramePlan plan) {
        if (jpeg == null || jpeg.length < 4 || (jpeg[0] & 0xff) != 0xFF || (jpeg[1] & 0xff) != 0xD8) {
            throw new IllegalStateException("no JPEG for " + plan.recording().filename() + " at " + ShowClock.hms(plan.at()));
        }
        return new FrameReply(true, "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg),
                ShowClock.hms(plan.at()), plan.recording().filename(), width, height);
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3f", d.toMillis() / 1000.0);
    }
}
