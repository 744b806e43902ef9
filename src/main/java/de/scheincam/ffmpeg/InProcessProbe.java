package de.scheincam.ffmpeg;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;

/**
 * What ffprobe would say about an MP4 clip ScheinCam wrote itself, asked of ffprobe's own library
 * (libavformat, from the bundled org.bytedeco:ffmpeg) inside the JVM: starting an ffprobe process
 * costs more than writing a stream-copied clip. Every return code is checked, every context freed;
 * separate calls share nothing, so it is thread-safe. Used only on files the app has just written;
 * recordings and ffmpeg's own output are still probed by the ffprobe program.
 */
public class InProcessProbe {

    private volatile boolean loaded;

    private void load() {
        if (!loaded) {
            synchronized (this) {
                if (!loaded) {
                    Loader.load(avformat.class);
                    avutil.av_log_set_level(avutil.AV_LOG_QUIET);
                    loaded = true;
                }
            }
        }
    }

    /** Duration and streams of {@code file}; IllegalStateException when libavformat cannot read it. */
    public MediaInfo probe(Path file) {
        load();
        AVFormatContext ctx = new AVFormatContext(null);
        int rc = avformat.avformat_open_input(ctx, file.toString(), null, null);
        if (rc < 0) {
            throw new IllegalStateException("libavformat cannot open " + file.getFileName() + ": " + error(rc));
        }
        try {
            // the MP4 index alone answers what the check needs (streams, codecs, durations): no
            // avformat_find_stream_info, which would decode frames
            double longest = 0;
            for (int i = 0; i < ctx.nb_streams(); i++) {
                AVStream stream = ctx.streams(i);
                if (stream.duration() > 0) {
                    longest = Math.max(longest, stream.duration() * avutil.av_q2d(stream.time_base()));
                }
            }
            Double duration = longest > 0 ? Math.round(longest * 1000) / 1000.0 : null;
            Integer width = null;
            Integer height = null;
            Double fps = null;
            List<String> codecs = new ArrayList<>();
            for (int i = 0; i < ctx.nb_streams(); i++) {
                AVStream stream = ctx.streams(i);
                AVCodecParameters par = stream.codecpar();
                String type = par.codec_type() == avutil.AVMEDIA_TYPE_VIDEO ? "video"
                        : par.codec_type() == avutil.AVMEDIA_TYPE_AUDIO ? "audio" : "other";
                BytePointer name = avcodec.avcodec_get_name(par.codec_id());
                codecs.add(type + ":" + (name == null ? "unknown" : name.getString()));
                if ("video".equals(type) && width == null) {
                    width = par.width();
                    height = par.height();
                    double rate = avutil.av_q2d(stream.avg_frame_rate());
                    fps = rate > 0 ? Math.round(rate * 1000) / 1000.0 : null;
                }
            }
            return new MediaInfo(duration, width, height, fps, List.copyOf(codecs));
        } finally {
            avformat.avformat_close_input(ctx);
        }
    }

    private static String error(int code) {
        byte[] buf = new byte[256];
        avutil.av_strerror(code, buf, buf.length);
        String s = new String(buf, java.nio.charset.StandardCharsets.UTF_8);
        int nul = s.indexOf('\0');
        return (nul < 0 ? s : s.substring(0, nul)) + " (" + code + ")";
    }
}
