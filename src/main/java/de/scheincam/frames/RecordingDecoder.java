package de.scheincam.frames;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.file.Path;
import java.time.Duration;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.ffmpeg.avformat.AVIndexEntry;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_BIDIR;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_DEFAULT;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_NONREF;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_move_ref;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_flush_buffers;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FLAG_BACKWARD;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_seek_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_index_get_entries_count;
import static org.bytedeco.ffmpeg.global.avformat.avformat_index_get_entry_from_timestamp;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_move_ref;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

/**
 * One recording opened in-process with libavformat/libavcodec (the bytedeco build the jar ships): its
 * video stream, a decoder and a scaler, kept open between requests so a frame costs only the seek and
 * the decoding from the keyframe before it; or, while someone scrubs forward, only the decoding from the
 * last frame shown (see {@link #walksTo}). Not thread-safe: one caller at a time ({@link DecoderPool}).
 *
 * <p>Every native call's result is checked; native memory is owned here and freed in {@link #close}.
 */
public final class RecordingDecoder implements AutoCloseable {

    /** AVERROR(EAGAIN) on Linux, the only platform whose natives the jar carries. */
    private static final int EAGAIN = -11;
    /** A GOP longer than this many packets is not an OBS recording: give up rather than read the file. */
    private static final int MAX_PACKETS = 4000;
    private static final AVRational MICROSECONDS = new AVRational().num(1).den(1_000_000);
    /** A request this close after the last frame of the file still gets that frame (end of a finished file). */
    private static final Duration END_TOLERANCE = Duration.ofSeconds(1);
    /**
     * B-frames this far before the target are skipped (when {@link #skipBidirectional}): further than any
     * B-frame group reaches, so the target's own B-frame references are still decoded.
     */
    private static final long B_GROUP_MICROS = 1_000_000;
    /**
     * Without a keyframe index (a file whose index was never written) the decoder walks forward at most
     * this far rather than seek: it cannot tell whether a keyframe lies between, so it bounds the cost.
     */
    private static final long UNINDEXED_WALK_MICROS = 2_000_000;

    /**
     * libavformat asks this before every read of the file: 1 stops the read (AVERROR_EXIT). Its opaque
     * argument is a decoder's {@link #readUntil}: {armed, deadline in System.nanoTime}. One instance for
     * all decoders, as JavaCPP makes only a few native callbacks per class.
     */
    private static final AVIOInterruptCB.Callback_Pointer PAST_DEADLINE = new AVIOInterruptCB.Callback_Pointer() {
        @Override
        public int call(Pointer opaque) {
            LongPointer until = new LongPointer(opaque);
            return until.get(0) != 0 && System.nanoTime() - until.get(1) > 0 ? 1 : 0;
        }
    };

    private final Path file;
    /**
     * How long one operation (opening, a frame, a thumbnail) may read the file: a garbage file (a real
     * head, then gigabytes of zeros) made libavformat's seek scan the zeros for minutes, holding a frame
     * slot and a core. Past it the read stops and the file is reported damaged there.
     */
    private final Duration readLimit;
    private final LongPointer readUntil = new LongPointer(2);
    private AVFormatContext format;
    private AVCodecContext decoder;
    private AVPacket packet;
    /** A packet read after the last frame shown that the decoder could not take yet: the walk sends it first. */
    private AVPacket held;
    private AVFrame frame;
    private AVFrame previous;
    private SwsContext scaler;
    private BytePointer pixels;
    private long pixelsCapacity;
    private final PointerPointer<BytePointer> pixelPlanes = new PointerPointer<>(4);
    private final IntPointer pixelStrides = new IntPointer(4);
    private int streamIndex;
    private AVRational timeBase;
    private long startPts;
    private long onePts;
    private long bGroupPts;
    private boolean skipBidirectional;
    private boolean walkForward;
    /**
     * The timestamp of the last frame {@link #frameAt} returned while the decoder kept its state (nothing
     * flushed since, the demuxer just past it), or AV_NOPTS_VALUE: then the next frame seeks.
     */
    private long shownPts = AV_NOPTS_VALUE;
    private long unindexedWalkPts;

    private RecordingDecoder(Path file, Duration readLimit) {
        this.file = file;
        this.readLimit = readLimit;
        readUntil.put(0, 0L);
    }

    /** Opens the file's best video stream, reading it for at most {@code readLimit}; fails cleanly (nothing left open) if it cannot. */
    static RecordingDecoder open(Path file, int threads, Duration readLimit) {
        RecordingDecoder d = new RecordingDecoder(file, readLimit);
        try {
            d.bounded("opening", () -> {
                d.openStreams(threads);
                return d;
            });
            return d;
        } catch (RuntimeException | Error e) {
            d.close();
            throw e;
        }
    }

    /**
     * Runs one operation with the read deadline armed. When it fails after the deadline (whatever
     * libavformat made of the stopped read: an error, an end of file), the file is damaged there.
     */
    private <T> T bounded(String what, java.util.function.Supplier<T> operation) {
        readUntil.put(1, System.nanoTime() + readLimit.toNanos());
        readUntil.put(0, 1L);
        try {
            T result = operation.get();
            return result;
        } catch (DecodeFailed e) {
            if (pastDeadline()) {
                throw DecodeFailed.damaged(file.getFileName() + " is damaged: " + what + " found no picture in "
                        + readLimit.toMillis() / 1000.0 + " s of reading it");
            }
            throw e;
        } finally {
            readUntil.put(0, 0L);
        }
    }

    private boolean pastDeadline() {
        return readUntil.get(0) != 0 && System.nanoTime() - readUntil.get(1) > 0;
    }

    /** Inside a read loop: stops it at the deadline (packets that decode to nothing are read without end too). */
    private void checkDeadline() {
        if (pastDeadline()) {
            throw new DecodeFailed("stopped at the read deadline");
        }
    }

    private void openStreams(int threads) {
        AVFormatContext ctx = avformat_alloc_context();
        if (ctx == null) {
            throw new DecodeFailed("cannot allocate a format context");
        }
        ctx.interrupt_callback().callback(PAST_DEADLINE).opaque(readUntil);
        int ret = avformat_open_input(ctx, file.toString(), null, null);
        if (ret < 0) {
            throw DecodeFailed.of("opening " + file.getFileName(), ret);
        }
        format = ctx;
        ret = avformat_find_stream_info(format, (PointerPointer<?>) null);
        if (ret < 0) {
            throw DecodeFailed.of("reading the streams of " + file.getFileName(), ret);
        }
        ret = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
        if (ret < 0) {
            throw new DecodeFailed(file.getFileName() + " has no video stream");
        }
        streamIndex = ret;
        for (int i = 0; i < format.nb_streams(); i++) {
            if (i != streamIndex) {
                format.streams(i).discard(AVDISCARD_ALL); // the demuxer skips audio instead of handing it over
            }
        }
        AVStream stream = format.streams(streamIndex);
        AVCodecParameters parameters = stream.codecpar();
        AVCodec codec = avcodec_find_decoder(parameters.codec_id());
        if (codec == null) {
            throw new DecodeFailed("no decoder for the video of " + file.getFileName());
        }
        decoder = avcodec_alloc_context3(codec);
        if (decoder == null) {
            throw new DecodeFailed("cannot allocate a decoder");
        }
        ret = avcodec_parameters_to_context(decoder, parameters);
        if (ret < 0) {
            throw DecodeFailed.of("configuring the decoder", ret);
        }
        decoder.pkt_timebase(stream.time_base());
        decoder.thread_count(threads);
        ret = avcodec_open2(decoder, codec, (AVDictionary) null);
        if (ret < 0) {
            throw DecodeFailed.of("opening the decoder", ret);
        }
        timeBase = new AVRational().num(stream.time_base().num()).den(stream.time_base().den());
        if (timeBase.num() <= 0 || timeBase.den() <= 0) {
            throw new DecodeFailed(file.getFileName() + " has no usable time base");
        }
        // like ffmpeg's -ss: offsets count from the file's start time
        long start = format.start_time();
        startPts = start == AV_NOPTS_VALUE ? 0 : av_rescale_q(start, MICROSECONDS, timeBase);
        onePts = Math.max(1, av_rescale_q(1000, MICROSECONDS, timeBase)); // 1 ms
        bGroupPts = av_rescale_q(B_GROUP_MICROS, MICROSECONDS, timeBase);
        unindexedWalkPts = av_rescale_q(UNINDEXED_WALK_MICROS, MICROSECONDS, timeBase);
        packet = av_packet_alloc();
        held = av_packet_alloc();
        frame = av_frame_alloc();
        previous = av_frame_alloc();
        if (packet == null || held == null || frame == null || previous == null) {
            throw new DecodeFailed("cannot allocate decoding buffers");
        }
    }

    /**
     * The first frame shown at or after {@code offset}, letterboxed into width × height. Seeks to the
     * keyframe before it and decodes forward. On the way only frames others refer to are decoded (only
     * P-frames, up to a second before the target, where {@link #bFramesSkippable} holds), and without
     * the deblocking filter (the frame itself gets it); measured against a full decode the picture
     * differs by less than the JPEG compression does (PSNR 42-53 dB after up to 250 frames), at a
     * third to a half of the work. Where {@link #walksTo} the offset, it does not seek: it goes on
     * decoding from the last frame shown, the same way, so a scrub forward costs the frames between.
     * Only the frame returned is scaled; the ones walked past are never converted.
     */
    public DecodedFrame frameAt(Duration offset, int width, int height) {
        return bounded("looking for the frame at " + offset.toMillis() / 1000.0 + " s", () -> frameAtUnbounded(offset, width, height));
    }

    /**
     * Whether the frame at {@code offset} is reached by decoding on from the last frame shown rather than
     * by a seek: it lies after that frame, and no keyframe lies between (past a keyframe a seek to it
     * decodes less than a walk through the rest of the GOP). Only a matter of cost: either way the
     * frames up to the target are decoded in order, so the frame is the same.
     */
    public boolean walksTo(Duration offset) {
        if (!walkForward || shownPts == AV_NOPTS_VALUE) {
            return false;
        }
        long earliest = targetPts(offset) - onePts;
        if (earliest <= shownPts) {
            return false; // backwards, or the frame just shown: that one has left the decoder
        }
        AVStream stream = format.streams(streamIndex);
        if (avformat_index_get_entries_count(stream) == 0) {
            return earliest - shownPts <= unindexedWalkPts;
        }
        AVIndexEntry key = avformat_index_get_entry_from_timestamp(stream, earliest, AVSEEK_FLAG_BACKWARD);
        return key != null && key.timestamp() <= shownPts;
    }

    /** Whether {@link #frameAt} may go on from the last frame shown (else it seeks every time, as before). */
    void walkForward(boolean walk) {
        this.walkForward = walk;
        if (!walk) {
            forgetPosition();
        }
    }

    private long targetPts(Duration offset) {
        return startPts + av_rescale_q(offset.toNanos() / 1000, MICROSECONDS, timeBase);
    }

    private DecodedFrame frameAtUnbounded(Duration offset, int width, int height) {
        long target = targetPts(offset);
        long earliest = target - onePts;
        boolean walking = walksTo(offset);
        shownPts = AV_NOPTS_VALUE; // set again once a frame is shown with the decoder's state intact
        if (walking) {
            // frames the decoder finished after the last one shown, then the packet it could not take then
            DecodedFrame found = receive(earliest, width, height);
            if (found == null && held.size() > 0) {
                av_packet_move_ref(packet, held); // refused again, send() holds it once more
                try {
                    skipFor(packet, earliest);
                    found = send(packet, earliest, width, height);
                } finally {
                    av_packet_unref(packet);
                }
            }
            if (found != null) {
                return found;
            }
        } else {
            seek(target);
            av_frame_unref(previous);
        }
        int packets = 0;
        while (true) {
            int ret = av_read_frame(format, packet);
            checkDeadline();
            if (ret < 0) {
                if (walking) {
                    // the end of the file: what it holds last is settled the way it always was, from a seek
                    forgetPosition();
                    return frameAtUnbounded(offset, width, height);
                }
                // end of the data (or of what has been written so far): the decoder holds the last frames
                return endOfData(offset, earliest, width, height);
            }
            try {
                if (packet.stream_index() != streamIndex) {
                    continue;
                }
                if (++packets > MAX_PACKETS) {
                    throw new DecodeFailed("no frame within " + MAX_PACKETS + " packets after the seek in " + file.getFileName());
                }
                skipFor(packet, earliest);
                DecodedFrame found = send(packet, earliest, width, height);
                if (found != null) {
                    return found;
                }
            } finally {
                av_packet_unref(packet);
            }
        }
    }

    /** On the way to the target only what the target needs: see {@link #frameAt}. */
    private void skipFor(AVPacket p, long earliest) {
        boolean before = p.pts() != AV_NOPTS_VALUE && p.pts() < earliest;
        boolean wellBefore = skipBidirectional && before && p.pts() < earliest - bGroupPts;
        decoder.skip_frame(wellBefore ? AVDISCARD_BIDIR : before ? AVDISCARD_NONREF : AVDISCARD_DEFAULT);
        decoder.skip_loop_filter(before ? AVDISCARD_ALL : AVDISCARD_DEFAULT);
    }

    /** The decoder's state is not a walk's starting point any more (flushed, drained, or unknown). */
    private void forgetPosition() {
        shownPts = AV_NOPTS_VALUE;
        if (held != null) {
            av_packet_unref(held);
        }
        if (decoder != null) {
            avcodec_flush_buffers(decoder);
        }
    }

    /**
     * Whether this recording's P-frames never refer to B-frames, so that B-frames long before a target
     * can be skipped too (x264 as OBS sets it up: then only the P-frames of a GOP are decoded on the
     * way, a third of them). Encoders may differ, so it is tried rather than assumed: the frame just
     * before the second keyframe (which every P-frame of the first GOP leads to) is decoded both ways
     * and must come out the same. Costs two GOP decodes, once per recording. Null: cannot tell yet (a
     * file shorter than two GOPs, e.g. one OBS has just started).
     */
    public Boolean bFramesSkippable() {
        return bounded("looking for its second keyframe", this::bFramesSkippableUnbounded);
    }

    private Boolean bFramesSkippableUnbounded() {
        seek(startPts);
        long secondKey = AV_NOPTS_VALUE;
        int keys = 0;
        int packets = 0;
        while (secondKey == AV_NOPTS_VALUE && packets < MAX_PACKETS && av_read_frame(format, packet) >= 0) {
            try {
                checkDeadline();
                if (packet.stream_index() == streamIndex) {
                    packets++;
                    if ((packet.flags() & AV_PKT_FLAG_KEY) != 0 && ++keys == 2) {
                        secondKey = packet.pts();
                    }
                }
            } finally {
                av_packet_unref(packet);
            }
        }
        avcodec_flush_buffers(decoder);
        if (secondKey == AV_NOPTS_VALUE) {
            return null; // a single GOP so far (or no timestamps): nothing to prove it on
        }
        Duration probe = reached(secondKey).minusMillis(100);
        if (probe.compareTo(Duration.ofMillis(B_GROUP_MICROS / 1000 * 2)) < 0) {
            return false; // keyframes too close together to tell (and to gain anything)
        }
        boolean was = skipBidirectional;
        try {
            skipBidirectional = false;
            BufferedImage exact = frameAtUnbounded(probe, 320, 180).image();
            skipBidirectional = true;
            BufferedImage fast = frameAtUnbounded(probe, 320, 180).image();
            return psnr(exact, fast) >= 45;
        } catch (DecodeFailed e) {
            if (pastDeadline()) {
                throw e;
            }
            return false;
        } finally {
            skipBidirectional = was;
        }
    }

    void skipBidirectional(boolean skip) {
        this.skipBidirectional = skip;
    }

    private static double psnr(BufferedImage a, BufferedImage b) {
        byte[] x = ((DataBufferByte) a.getRaster().getDataBuffer()).getData();
        byte[] y = ((DataBufferByte) b.getRaster().getDataBuffer()).getData();
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            int d = (x[i] & 0xff) - (y[i] & 0xff);
            sum += d * d;
        }
        double mse = sum / x.length;
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
    }

    /**
     * The keyframe nearest to {@code offset} (before or after it), scaled to width × height: for
     * thumbnails, where a few seconds off do not matter and decoding one picture instead of a GOP does.
     */
    public DecodedFrame keyframeNear(Duration offset, int width, int height) {
        return bounded("looking for a keyframe near " + offset.toSeconds() + " s", () -> keyframeNearUnbounded(offset, width, height));
    }

    private DecodedFrame keyframeNearUnbounded(Duration offset, int width, int height) {
        long target = startPts + av_rescale_q(offset.toNanos() / 1000, MICROSECONDS, timeBase);
        seek(target);
        decoder.skip_frame(AVDISCARD_DEFAULT);
        decoder.skip_loop_filter(AVDISCARD_DEFAULT);
        DecodedFrame best = null;
        long bestPts = AV_NOPTS_VALUE;
        int packets = 0;
        while (av_read_frame(format, packet) >= 0) {
            try {
                checkDeadline();
                if (packet.stream_index() != streamIndex) {
                    continue;
                }
                long pts = packet.pts() == AV_NOPTS_VALUE ? packet.dts() : packet.pts();
                if (++packets > MAX_PACKETS
                        || best != null && pts != AV_NOPTS_VALUE && pts - target >= target - bestPts) {
                    break; // no later keyframe can be nearer than the one we have
                }
                if ((packet.flags() & AV_PKT_FLAG_KEY) == 0) {
                    continue;
                }
                if (best != null) {
                    return decodeAlone(packet, width, height); // after the target, and nearer
                }
                best = decodeAlone(packet, width, height);
                bestPts = pts == AV_NOPTS_VALUE ? target : pts;
                if (bestPts >= target) {
                    break;
                }
            } finally {
                av_packet_unref(packet);
            }
        }
        if (best == null) {
            checkDeadline();
            throw new DecodeFailed("no keyframe near " + offset.toSeconds() + " s in " + file.getFileName(), Duration.ZERO);
        }
        return best;
    }

    private DecodedFrame decodeAlone(AVPacket key, int width, int height) {
        forgetPosition();
        int ret = avcodec_send_packet(decoder, key);
        if (ret < 0) {
            throw DecodeFailed.of("decoding a keyframe of " + file.getFileName(), ret);
        }
        ret = avcodec_send_packet(decoder, null); // drain: one picture in, one out, whatever the threading
        if (ret < 0 && ret != AVERROR_EOF) {
            throw DecodeFailed.of("draining the decoder", ret);
        }
        try {
            while (true) {
                ret = avcodec_receive_frame(decoder, frame);
                if (ret < 0) {
                    throw new DecodeFailed("a keyframe of " + file.getFileName() + " gave no picture ("
                            + DecodeFailed.describe(ret) + ")");
                }
                DecodedFrame d = convert(frame, width, height);
                av_frame_unref(frame);
                return d;
            }
        } finally {
            avcodec_flush_buffers(decoder);
        }
    }

    private void seek(long target) {
        int ret = av_seek_frame(format, streamIndex, target, AVSEEK_FLAG_BACKWARD);
        if (ret < 0) {
            // before the first keyframe's timestamp (or no index at all): start from the beginning
            ret = av_seek_frame(format, streamIndex, Long.MIN_VALUE / 2, AVSEEK_FLAG_BACKWARD);
            if (ret < 0) {
                throw DecodeFailed.of("seeking in " + file.getFileName(), ret);
            }
        }
        forgetPosition();
    }

    /**
     * Sends one packet and collects what comes out; the first frame at or after {@code earliest} wins.
     * A packet the decoder cannot take before that frame is out is held for the next walk: dropping it
     * would leave the frames after it without their reference.
     */
    private DecodedFrame send(AVPacket p, long earliest, int width, int height) {
        int ret = avcodec_send_packet(decoder, p);
        if (ret == EAGAIN) {
            DecodedFrame found = receive(earliest, width, height);
            if (found != null) {
                av_packet_move_ref(held, p);
                return found;
            }
            ret = avcodec_send_packet(decoder, p);
        }
        if (ret < 0 && ret != EAGAIN && ret != AVERROR_EOF) {
            // a damaged packet (e.g. the last one of a file still being written): skip it, as ffmpeg does
            return receive(earliest, width, height);
        }
        return receive(earliest, width, height);
    }

    /**
     * The first frame at or after {@code earliest} the decoder has ready, scaled; the ones before it are
     * dropped unconverted (the last of them kept as {@link #previous}). The frames after it stay in the
     * decoder for a walk forward.
     */
    private DecodedFrame receive(long earliest, int width, int height) {
        while (true) {
            int ret = avcodec_receive_frame(decoder, frame);
            if (ret == EAGAIN || ret == AVERROR_EOF) {
                return null;
            }
            if (ret < 0) {
                throw DecodeFailed.of("decoding " + file.getFileName(), ret);
            }
            long pts = frame.best_effort_timestamp();
            if (pts != AV_NOPTS_VALUE && pts >= earliest) {
                try {
                    DecodedFrame shown = convert(frame, width, height);
                    shownPts = pts;
                    return shown;
                } finally {
                    av_frame_unref(frame);
                }
            }
            av_frame_unref(previous);
            av_frame_move_ref(previous, frame);
        }
    }

    private DecodedFrame endOfData(Duration offset, long earliest, int width, int height) {
        int ret = avcodec_send_packet(decoder, null);
        if (ret < 0 && ret != AVERROR_EOF) {
            throw DecodeFailed.of("draining the decoder", ret);
        }
        try {
            DecodedFrame found = receive(earliest, width, height);
            if (found != null) {
                return found;
            }
            long last = previous.width() > 0 ? previous.best_effort_timestamp() : AV_NOPTS_VALUE;
            if (last != AV_NOPTS_VALUE && earliest - last <= av_rescale_q(END_TOLERANCE.toNanos() / 1000, MICROSECONDS, timeBase)) {
                return convert(previous, width, height);
            }
            throw new DecodeFailed(file.getFileName() + " has no picture at " + offset.toMillis() / 1000.0 + " s", reached(last));
        } finally {
            av_frame_unref(previous);
            forgetPosition(); // drained: the decoder takes no more packets until flushed
        }
    }

    private Duration reached(long pts) {
        if (pts == AV_NOPTS_VALUE) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(av_rescale_q(pts - startPts, timeBase, MICROSECONDS) * 1000);
    }

    /** Scales a decoded picture into a width × height box (aspect kept, black bars) as a BGR image. */
    private DecodedFrame convert(AVFrame f, int boxWidth, int boxHeight) {
        int sw = f.width();
        int sh = f.height();
        if (sw <= 0 || sh <= 0) {
            throw new DecodeFailed("a picture of " + file.getFileName() + " has no size");
        }
        double scale = Math.min(boxWidth / (double) sw, boxHeight / (double) sh);
        int w = Math.max(2, Math.min(boxWidth, (int) Math.round(sw * scale) & ~1));
        int h = Math.max(2, Math.min(boxHeight, (int) Math.round(sh * scale) & ~1));
        scaler = sws_getCachedContext(scaler, sw, sh, f.format(), w, h, AV_PIX_FMT_BGR24, SWS_BICUBIC,
                null, null, (DoublePointer) null);
        if (scaler == null) {
            throw new DecodeFailed("cannot scale the pictures of " + file.getFileName() + " (pixel format " + f.format() + ")");
        }
        int stride = (w * 3 + 63) & ~63;
        long needed = (long) stride * h;
        if (pixels == null || pixelsCapacity < needed) {
            if (pixels != null) {
                pixels.close();
            }
            pixels = new BytePointer(needed);
            pixelsCapacity = needed;
        }
        pixelPlanes.put(0, pixels);
        pixelStrides.put(0, stride);
        int rows = sws_scale(scaler, f.data(), f.linesize(), 0, sh, pixelPlanes, pixelStrides);
        if (rows <= 0) {
            throw new DecodeFailed("scaling a picture of " + file.getFileName() + " failed");
        }
        BufferedImage image = new BufferedImage(boxWidth, boxHeight, BufferedImage.TYPE_3BYTE_BGR);
        byte[] target = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        int x0 = (boxWidth - w) / 2;
        int y0 = (boxHeight - h) / 2;
        for (int row = 0; row < h; row++) {
            pixels.position((long) row * stride).get(target, ((y0 + row) * boxWidth + x0) * 3, w * 3);
        }
        pixels.position(0);
        long pts = f.best_effort_timestamp();
        return new DecodedFrame(image, pts == AV_NOPTS_VALUE ? null : reached(pts));
    }

    @Override
    public void close() {
        if (scaler != null) {
            sws_freeContext(scaler);
            scaler = null;
        }
        if (pixels != null) {
            pixels.close();
            pixels = null;
        }
        pixelPlanes.close();
        pixelStrides.close();
        if (frame != null) {
            av_frame_free(frame);
            frame = null;
        }
        if (previous != null) {
            av_frame_free(previous);
            previous = null;
        }
        if (packet != null) {
            av_packet_free(packet);
            packet = null;
        }
        if (held != null) {
            av_packet_free(held);
            held = null;
        }
        if (decoder != null) {
            avcodec_free_context(decoder);
            decoder = null;
        }
        if (format != null) {
            avformat_close_input(format);
            format = null;
        }
        readUntil.close();
    }
}
