package de.scheincam.sound;

import java.nio.file.Path;
import java.time.Duration;

import de.scheincam.core.Refusal;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.ShortPointer;

import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FLAG_BACKWARD;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_seek_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16P;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S32;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S32P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

/**
 * Reads the sound of a recording in-process (libavformat/libavcodec from the jar's bundled FFmpeg, as the
 * frames do) into a {@link SoundEnvelope}: only the first audio track (OBS's track 1, the room), every
 * other stream discarded by the demuxer before anything is decoded, so the picture costs only the reading
 * of its bytes. Samples are summed into the current window and forgotten: memory does not grow with the
 * recording's length, only the envelope does (two floats per window).
 *
 * <p>Reading may go on for a long time (a whole show), so the read limit bounds each stretch of reading
 * without progress, not the whole: every decoded block of sound re-arms it. A damaged file (a real head,
 * then gigabytes of zeros) stops at it, as frames do.
 */
public final class SoundReader {

    /** AVERROR(EAGAIN) on Linux, the only platform whose natives the jar carries. */
    private static final int EAGAIN = -11;
    /** A hole in the track's timestamps longer than this is a hole (windows left unknown), not jitter. */
    private static final double HOLE_SECONDS = 0.1;
    /**
     * A seek lands this far before the stretch asked for: the first block decoded after a seek lacks the
     * overlap of the one before it (AAC's transform spans two blocks), so it is decoded and dropped.
     */
    private static final double SEEK_PREROLL_SECONDS = 1;

    /** As in RecordingDecoder: libavformat asks before every read; opaque is {armed, deadline in nanoTime}. */
    private static final AVIOInterruptCB.Callback_Pointer PAST_DEADLINE = new AVIOInterruptCB.Callback_Pointer() {
        @Override
        public int call(Pointer opaque) {
            LongPointer until = new LongPointer(opaque);
            return until.get(0) != 0 && System.nanoTime() - until.get(1) > 0 ? 1 : 0;
        }
    };

    private final double windowSeconds;
    private final Duration readLimit;

    public SoundReader(double windowSeconds, Duration readLimit) {
        if (!(windowSeconds > 0)) {
            throw new IllegalArgumentException("window must be positive: " + windowSeconds);
        }
        this.windowSeconds = windowSeconds;
        this.readLimit = readLimit;
    }

    public double windowSeconds() {
        return windowSeconds;
    }

    /** The whole recording's envelope, from its start to the last sound written. */
    public SoundEnvelope envelope(Path file) {
        return envelope(file, Duration.ZERO, null);
    }

    /**
     * The envelope from {@code from} to {@code to} (null: to the end), offsets counted from the file's
     * start as ffmpeg's {@code -ss} counts them.
     */
    public SoundEnvelope envelope(Path file, Duration from, Duration to) {
        try (Reading r = new Reading(file, from.toNanos() / 1e9, to == null ? Double.POSITIVE_INFINITY : to.toNanos() / 1e9)) {
            return r.read();
        }
    }

    /** One pass over one file: the native resources and the window being filled. */
    private final class Reading implements AutoCloseable {
        private final Path file;
        private final double from;
        private final double to;
        private final LongPointer readUntil = new LongPointer(2);
        private AVFormatContext format;
        private AVCodecContext decoder;
        private AVPacket packet;
        private AVFrame frame;
        private int streamIndex;
        private double timeBase;
        private double startSeconds;
        private final Windows windows;
        /** Where the next sample lies (seconds from the file's start), NaN until the first block. */
        private double nextSample = Double.NaN;
        private float[] mix = new float[0];
        private float[] channel = new float[0];
        private short[] shorts = new short[0];
        private int[] ints = new int[0];

        Reading(Path file, double from, double to) {
            this.file = file;
            this.from = from;
            this.to = to;
            this.windows = new Windows(windowSeconds);
            readUntil.put(0, 0L);
        }

        SoundEnvelope read() {
            arm();
            open();
            if (from > 0) {
                long target = (long) ((Math.max(0, from - SEEK_PREROLL_SECONDS) + startSeconds) / timeBase);
                // before the first packet (or no index): read from the start and drop what lies before
                av_seek_frame(format, streamIndex, target, AVSEEK_FLAG_BACKWARD);
            }
            boolean done = false;
            while (!done) {
                int ret = av_read_frame(format, packet);
                if (ret < 0) {
                    if (stalled()) {
                        throw damaged("found no sound in " + readLimit.toMillis() / 1000.0 + " s of reading it");
                    }
                    break; // the end, or the last packet of a file still being written
                }
                try {
                    if (packet.stream_index() != streamIndex) {
                        continue; // discarded streams should not come, but a demuxer may hand one over
                    }
                    done = decode(packet);
                } finally {
                    av_packet_unref(packet);
                }
                if (stalled()) {
                    throw damaged("found no sound in " + readLimit.toMillis() / 1000.0 + " s of reading it");
                }
            }
            if (!done) {
                avcodec_send_packet(decoder, null); // drain the last blocks
                collect();
            }
            return windows.envelope();
        }

        private void open() {
            AVFormatContext ctx = avformat_alloc_context();
            if (ctx == null) {
                throw Refusal.failed("cannot allocate a format context");
            }
            ctx.interrupt_callback().callback(PAST_DEADLINE).opaque(readUntil);
            int ret = avformat_open_input(ctx, file.toString(), null, null);
            if (ret < 0) {
                if (stalled()) {
                    throw damaged("could not be opened in " + readLimit.toMillis() / 1000.0 + " s");
                }
                throw Refusal.damaged(file.getFileName() + " cannot be read: " + describe(ret));
            }
            format = ctx;
            ret = avformat_find_stream_info(format, (PointerPointer<?>) null);
            if (ret < 0) {
                throw Refusal.damaged("the streams of " + file.getFileName() + " cannot be read: " + describe(ret));
            }
            streamIndex = -1;
            for (int i = 0; i < format.nb_streams(); i++) {
                if (streamIndex < 0 && format.streams(i).codecpar().codec_type() == AVMEDIA_TYPE_AUDIO) {
                    streamIndex = i; // track 1: the first audio stream, as OBS writes its tracks in order
                } else {
                    format.streams(i).discard(AVDISCARD_ALL); // the demuxer skips the picture's packets
                }
            }
            if (streamIndex < 0) {
                throw Refusal.invalid(file.getFileName() + " has no sound");
            }
            AVStream stream = format.streams(streamIndex);
            AVCodecParameters parameters = stream.codecpar();
            AVCodec codec = avcodec_find_decoder(parameters.codec_id());
            if (codec == null) {
                throw Refusal.invalid("no decoder for the sound of " + file.getFileName());
            }
            decoder = avcodec_alloc_context3(codec);
            if (decoder == null || avcodec_parameters_to_context(decoder, parameters) < 0) {
                throw Refusal.failed("cannot set up a sound decoder for " + file.getFileName());
            }
            decoder.pkt_timebase(stream.time_base());
            ret = avcodec_open2(decoder, codec, (AVDictionary) null);
            if (ret < 0) {
                throw Refusal.damaged("the sound of " + file.getFileName() + " cannot be decoded: " + describe(ret));
            }
            timeBase = av_q2d(stream.time_base());
            if (!(timeBase > 0)) {
                throw Refusal.damaged(file.getFileName() + " has no usable time base");
            }
            // like ffmpeg's -ss: offsets count from the file's start time
            startSeconds = format.start_time() == AV_NOPTS_VALUE ? 0 : format.start_time() / 1e6;
            packet = av_packet_alloc();
            frame = av_frame_alloc();
            if (packet == null || frame == null) {
                throw Refusal.failed("cannot allocate decoding buffers");
            }
        }

        /** Sends one packet; true once the sound has reached {@code to}. */
        private boolean decode(AVPacket p) {
            // a packet the decoder refuses (a damaged one, e.g. the last of a file still being written) is
            // skipped, as ffmpeg does
            if (avcodec_send_packet(decoder, p) == EAGAIN) {
                if (collect()) {
                    return true;
                }
                avcodec_send_packet(decoder, p);
            }
            return collect();
        }

        private boolean collect() {
            while (true) {
                int ret = avcodec_receive_frame(decoder, frame);
                if (ret == EAGAIN || ret == AVERROR_EOF) {
                    return false;
                }
                if (ret < 0) {
                    return false; // a block that does not decode: skipped, its window keeps what it has
                }
                try {
                    arm(); // progress: the read limit starts again
                    if (add(frame)) {
                        return true;
                    }
                } finally {
                    av_frame_unref(frame);
                }
            }
        }

        /** Adds one decoded block to the windows; true once past {@code to}. */
        private boolean add(AVFrame f) {
            int n = f.nb_samples();
            int channels = f.ch_layout().nb_channels();
            int rate = f.sample_rate();
            if (n <= 0 || channels <= 0 || rate <= 0) {
                return false;
            }
            long pts = f.best_effort_timestamp();
            double at = pts == AV_NOPTS_VALUE ? nextSample : pts * timeBase - startSeconds;
            if (Double.isNaN(at)) {
                at = 0;
            }
            // timestamps are rounded to the stream's time base: follow the sample count unless there is a hole
            if (!Double.isNaN(nextSample) && Math.abs(at - nextSample) < HOLE_SECONDS) {
                at = nextSample;
            }
            nextSample = at + (double) n / rate;
            if (mix.length < n) {
                mix = new float[n];
                channel = new float[n];
            }
            java.util.Arrays.fill(mix, 0, n, 0f);
            for (int c = 0; c < channels; c++) {
                samples(f, c, channels, n);
                for (int i = 0; i < n; i++) {
                    float x = channel[i];
                    mix[i] += x / channels;
                }
                windows.squares(channel, n, at, rate, from, to);
            }
            windows.mix(mix, n, at, rate, from, to);
            return at + (double) n / rate >= to;
        }

        /** Channel {@code c} of the block, as floats in -1 … 1, into {@link #channel}. */
        private void samples(AVFrame f, int c, int channels, int n) {
            int fmt = f.format();
            if (fmt == AV_SAMPLE_FMT_FLTP) {
                new FloatPointer(f.data(c)).get(channel, 0, n);
            } else if (fmt == AV_SAMPLE_FMT_FLT) {
                FloatPointer all = new FloatPointer(f.data(0));
                for (int i = 0; i < n; i++) {
                    channel[i] = all.get((long) i * channels + c);
                }
            } else if (fmt == AV_SAMPLE_FMT_S16P || fmt == AV_SAMPLE_FMT_S16) {
                boolean planar = fmt == AV_SAMPLE_FMT_S16P;
                int count = planar ? n : n * channels;
                if (shorts.length < count) {
                    shorts = new short[count];
                }
                new ShortPointer(f.data(planar ? c : 0)).get(shorts, 0, count);
                for (int i = 0; i < n; i++) {
                    channel[i] = shorts[planar ? i : i * channels + c] / 32768f;
                }
            } else if (fmt == AV_SAMPLE_FMT_S32P || fmt == AV_SAMPLE_FMT_S32) {
                boolean planar = fmt == AV_SAMPLE_FMT_S32P;
                int count = planar ? n : n * channels;
                if (ints.length < count) {
                    ints = new int[count];
                }
                new IntPointer(f.data(planar ? c : 0)).get(ints, 0, count);
                for (int i = 0; i < n; i++) {
                    channel[i] = ints[planar ? i : i * channels + c] / 2147483648f;
                }
            } else {
                throw Refusal.invalid("the sound of " + file.getFileName() + " has a sample format not read here (" + fmt + ")");
            }
        }

        private void arm() {
            readUntil.put(1, System.nanoTime() + readLimit.toNanos());
            readUntil.put(0, 1L);
        }

        private boolean stalled() {
            return readUntil.get(0) != 0 && System.nanoTime() - readUntil.get(1) > 0;
        }

        private Refusal damaged(String what) {
            return Refusal.damaged(file.getFileName() + " is damaged: reading its sound " + what);
        }

        @Override
        public void close() {
            if (frame != null) {
                av_frame_free(frame);
            }
            if (packet != null) {
                av_packet_free(packet);
            }
            if (decoder != null) {
                avcodec_free_context(decoder);
            }
            if (format != null) {
                avformat_close_input(format);
            }
            readUntil.close();
        }
    }

    static String describe(int errorCode) {
        try (BytePointer text = new BytePointer(256)) {
            if (av_strerror(errorCode, text, 256) != 0) {
                return "error " + errorCode;
            }
            String s = text.getString();
            int nul = s.indexOf('\0');
            return nul < 0 ? s : s.substring(0, nul);
        }
    }
}
