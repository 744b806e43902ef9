package de.scheincam.frames;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import de.scheincam.core.Refusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_QUIET;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;

/**
 * In-process decoders for frames and filmstrips. A few recordings stay open between requests (the
 * demuxer's index and the decoder are ready, so a frame costs only its GOP); at most
 * {@code maxDecoding} decode at once, so fifty viewers scrubbing queue here instead of each holding a
 * decoder's memory. A frame just after one an open decoder last showed goes to that decoder, which walks
 * on from there instead of seeking back to the keyframe (see {@link RecordingDecoder#walksTo}): a viewer
 * scrubbing forward pays for the frames between, not for the GOP. Recordings still being written are
 * opened per request: their index grows. Thread-safe.
 */
public class DecoderPool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DecoderPool.class);

    private final int threads;
    private final int maxOpen;
    private final Semaphore decoding;
    private final long waitMillis;
    private final Duration readLimit;
    private final boolean walkForward;
    private final Deque<Idle> idle = new ArrayDeque<>();
    /** Per recording: may B-frames far before a target be skipped (see RecordingDecoder#bFramesSkippable). */
    private final Map<String, Boolean> bFramesSkippable = new ConcurrentHashMap<>();
    private volatile Boolean available;

    /** An open decoder nobody uses, for the file version {@code key} (name, size) of recording {@code name}. */
    private record Idle(String name, String key, RecordingDecoder decoder) {
    }

    /**
     * {@code readLimit}: how long one operation of a decoder may read its file (see RecordingDecoder);
     * {@code walkForward}: whether a decoder goes on from its last frame to a later one (false: every
     * frame seeks to its keyframe, as before; kept switchable for the benchmark's comparison).
     */
    public DecoderPool(int threads, int maxOpen, int maxDecoding, long waitMillis, Duration readLimit, boolean walkForward) {
        this.readLimit = readLimit;
        this.walkForward = walkForward;
        this.threads = Math.max(1, threads);
        this.maxOpen = Math.max(0, maxOpen);
        this.decoding = new Semaphore(Math.max(1, maxDecoding), true);
        this.waitMillis = waitMillis;
    }

    /** Whether the bundled FFmpeg libraries load on this machine (they exist for Linux x86-64 only). */
    public boolean available() {
        Boolean a = available;
        if (a == null) {
            synchronized (this) {
                if (available == null) {
                    try {
                        org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.global.avformat.class);
                        org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.global.swscale.class);
                        av_log_set_level(AV_LOG_QUIET); // failures are reported through return codes
                        available = true;
                    } catch (Throwable e) {
                        LOG.warn("In-process FFmpeg is not available ({}); frames use the ffmpeg program", e.toString());
                        available = false;
                    }
                }
                a = available;
            }
        }
        return a;
    }

    /**
     * Loads what the first frame would otherwise wait for: the FFmpeg libraries (JavaCPP finds and
     * links about a dozen of them) and ImageIO's JPEG encoder (its plugin registry), together 1-1.5 s
     * on a cold JVM here, paid by whoever asked first. Meant for a background thread after start.
     */
    public void warmUp(int width, int height) {
        try {
            if (available()) {
                JpegImages.encode(new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR), 0.85f);
            }
        } catch (RuntimeException | Error e) {
            LOG.warn("Warming up the frame decoder failed ({}); the first frame loads what it needs", e.toString());
        }
    }

    /**
     * Runs {@code work} on a decoder for {@code file}. {@code name} identifies the recording (for
     * {@link #forget}), {@code version} the state of its file; {@code reusable} false for a file still
     * being written.
     */
    public <T> T use(Path file, String name, String version, boolean reusable, Function<RecordingDecoder, T> work) {
        return use(file, name, version, reusable, null, work);
    }

    /**
     * As {@link #use(Path, String, String, boolean, Function)}, for work at {@code offset} in the
     * recording: of its open decoders, one that walks there from its last frame is preferred.
     */
    public <T> T use(Path file, String name, String version, boolean reusable, Duration offset,
                     Function<RecordingDecoder, T> work) {
        boolean permitted;
        try {
            permitted = decoding.tryAcquire(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Refusal.busy("Interrupted while waiting to decode " + file.getFileName() + ".");
        }
        if (!permitted) {
            throw Refusal.busy("Too many frames are being made at once; try again in a moment.");
        }
        RecordingDecoder decoder = null;
        try {
            String key = name + "|" + version;
            decoder = reusable ? take(key, offset) : null;
            if (decoder == null) {
                decoder = RecordingDecoder.open(file, threads, readLimit);
                decoder.walkForward(walkForward);
                // an encoder's structure does not change within a recording: tried once per recording
                Boolean skippable = bFramesSkippable.get(name);
                if (skippable == null) {
                    skippable = decoder.bFramesSkippable();
                    if (skippable != null) {
                        bFramesSkippable.put(name, skippable);
                    }
                }
                decoder.skipBidirectional(Boolean.TRUE.equals(skippable));
            }
            T result = work.apply(decoder);
            // a recording deleted while this decoder worked on it: forget() has run already, do not keep it
            if (reusable && Files.exists(file)) {
                giveBack(new Idle(name, key, decoder));
            } else {
                decoder.close();
            }
            decoder = null;
            return result;
        } finally {
            if (decoder != null) {
                decoder.close(); // it failed midway: its state is unknown
            }
            decoding.release();
        }
    }

    /** Closes the decoders of a recording that was deleted (so its disk space is freed at once). */
    public void forget(String name) {
        List<RecordingDecoder> closing = new ArrayList<>();
        synchronized (idle) {
            for (Iterator<Idle> it = idle.iterator(); it.hasNext(); ) {
                Idle i = it.next();
                if (i.name().equals(name)) {
                    it.remove();
                    closing.add(i.decoder());
                }
            }
        }
        closing.forEach(RecordingDecoder::close);
        bFramesSkippable.remove(name);
    }

    /** An idle decoder of this file version: one that walks to {@code offset} if there is one, else the most recent. */
    private RecordingDecoder take(String key, Duration offset) {
        synchronized (idle) {
            Idle chosen = null;
            for (Idle i : idle) {
                if (i.key().equals(key)) {
                    if (offset != null && i.decoder().walksTo(offset)) {
                        chosen = i;
                        break;
                    }
                    if (chosen == null) {
                        chosen = i;
                    }
                }
            }
            if (chosen != null) {
                idle.remove(chosen);
                return chosen.decoder();
            }
            return null;
        }
    }

    private void giveBack(Idle entry) {
        List<RecordingDecoder> closing = new ArrayList<>();
        synchronized (idle) {
            idle.addFirst(entry);
            while (idle.size() > maxOpen) {
                closing.add(idle.removeLast().decoder());
            }
        }
        closing.forEach(RecordingDecoder::close);
    }

    @Override
    public void close() {
        List<RecordingDecoder> closing;
        synchronized (idle) {
            closing = idle.stream().map(Idle::decoder).toList();
            idle.clear();
        }
        closing.forEach(RecordingDecoder::close);
    }
}
