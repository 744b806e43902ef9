package de.scheincam.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Checks of one clip against the real-OBS recording it was cut from, each a {@link Verdict} with its
 * figures, all made by Debian's ffmpeg/ffprobe 5.1 and mediainfo (tools we did not write). Times are
 * source seconds as ffmpeg's input seeking counts them; {@code from} and {@code to} are the requested
 * stretch, {@code fromFrame} the source frame shown at {@code from}.
 *
 * <p>Sync is measured on content: the camera's sound is noise, so the clip's first audio samples are
 * found in the source by correlation (to the sample); the first picture by SSIM against the source's
 * frames at the requested time and at the keyframe before it. A clip is in sync when its first sound and
 * first picture are as far apart in the clip as they were in the source (≤ 40 ms), once as a player
 * that honours edit lists sees it and once as one that ignores them ({@code -ignore_editlist 1}).
 */
public final class ClipCheck {

    public record Verdict(String check, boolean ok, String figures) {
        static Verdict of(String check, boolean ok, String format, Object... args) {
            return new Verdict(check, ok, String.format(Locale.ROOT, format, args));
        }
    }

    private static final double FRAME = 1 / ObsCorpus.FPS;
    private static final int RATE = 48000;
    private static final Map REFS = new Map();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObsCorpus.Source source;
    private final Path clip;
    private final double from;
    private final double to;
    private final double fromFrame;
    private final Path work;
    private final String mode;

    public ClipCheck(ObsCorpus.Source source, Path clip, double from, double to, String mode) {
        this.source = source;
        this.clip = clip;
        this.from = from;
        this.to = to;
        this.fromFrame = source.frameAt(from);
        this.mode = mode;
        this.work = clip.resolveSibling(clip.getFileName() + ".check");
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code ffmpeg -v error -xerror -i clip -map 0 -f null -}: nothing on stderr. */
    public Verdict decode() {
        Result r = run(List.of(ObsCorpus.FFMPEG, "-nostdin", "-v", "error", "-xerror", "-i", clip.toString(), "-map", "0",
                "-f", "null", "-"));
        String err = r.out.strip();
        return Verdict.of("decode", r.code == 0 && err.isEmpty(), "exit %d%s", r.code,
                err.isEmpty() ? ", stderr empty" : ", stderr: " + abbreviate(err));
    }

    /**
     * Every stream's duration (ffprobe) within one frame of the requested length, or of what the source
     * holds of that stream: OBS's sound can end a few frames before its picture, and a clip to the last
     * frame cannot carry sound the recording does not have.
     */
    public Verdict durations() {
        double want = to - from;
        double soundWant = Math.min(to, audioEnd(source)) - from;
        JsonNode probe = ObsCorpus.probe(clip);
        List<String> figures = new ArrayList<>();
        boolean ok = probe.path("streams").size() >= 2;
        if (soundWant < want - 1e-3) {
            figures.add(String.format(Locale.ROOT, "the source's sound ends at %.3f s, so %.3f s of it", audioEnd(source), soundWant));
        }
        for (JsonNode s : probe.path("streams")) {
            double d = s.path("duration").asDouble(Double.NaN);
            // sound: all the source holds of the stretch, and not longer than the stretch (a track may say
            // the stretch's length while its samples end with the source's)
            boolean audio = "audio".equals(s.path("codec_type").asText());
            double w = audio && d < soundWant ? soundWant : want;
            boolean good = audio ? d >= soundWant - FRAME - 1e-3 && d <= want + FRAME + 1e-3 : Math.abs(d - want) <= FRAME + 1e-3;
            ok &= good;
            figures.add(String.format(Locale.ROOT, "%s %.3f s%s", s.path("codec_type").asText(), d, good ? "" : " (off " + fmt(d - w) + ")"));
        }
        return Verdict.of("duration", ok, "want %.3f s: %s", want, String.join(", ", figures));
    }

    /**
     * The first picture a player shows is the source frame at {@code from}: SSIM against it and against
     * the keyframe before. With edit lists ignored a copy clip may show the lead-in (then sync decides).
     */
    public Verdict firstFrame(boolean ignoreEditList) {
        Match m = firstPicture(ignoreEditList);
        String name = ignoreEditList ? "first frame (edit list ignored)" : "first frame";
        if (Double.isNaN(m.ssimFrom)) {
            return Verdict.of(name, false, "no picture: %s", m.error);
        }
        // the right frame is the one the clip's first picture is most like: more than its neighbours and the
        // keyframe before (neighbouring camera frames differ: SSIM about 0.86 between them)
        boolean keyframeSame = Math.abs(fromFrame - source.keyframeAtOrBefore(from)) < 1e-6;
        // OBS repeats frames when the machine is loaded: a neighbour just as like it is the same picture
        boolean exact = m.ssimFrom >= 0.6 && m.ssimFrom >= m.ssimNeighbour - 0.002
                && (keyframeSame || m.ssimFrom >= m.ssimKey - 0.002);
        boolean leadIn = ignoreEditList && "copy".equals(mode) && m.ssimKey > m.ssimFrom && m.ssimKey >= 0.6;
        return Verdict.of(name, exact || leadIn, "SSIM %.4f to the frame at %.3f s, %.4f to its neighbour at %.3f s, %.4f to the keyframe at %.3f s%s",
                m.ssimFrom, fromFrame, m.ssimNeighbour, neighbours.getOrDefault(ignoreEditList, fromFrame), m.ssimKey,
                source.keyframeAtOrBefore(from),
                exact ? "" : leadIn ? " (lead-in shown: allowed for copy, sync must hold)" : " (wrong frame)");
    }

    /** First sound and first picture of the clip as far apart as in the source, within 40 ms. */
    public Verdict sync(boolean ignoreEditList) {
        String name = ignoreEditList ? "A/V sync (edit list ignored)" : "A/V sync";
        Match m = firstPicture(ignoreEditList);
        if (Double.isNaN(m.ssimFrom)) {
            return Verdict.of(name, false, "no picture: %s", m.error);
        }
        double pictureSource = pictureSource(ignoreEditList, m);
        double videoStart = firstDecoded("v:0", ignoreEditList);
        double audioStart = firstDecoded("a:0", ignoreEditList);
        if (Double.isNaN(audioStart) || Double.isNaN(videoStart)) {
            return Verdict.of(name, false, "no audio or video start (%s, %s)", fmt(videoStart), fmt(audioStart));
        }
        double soundSource = soundSource(ignoreEditList, pictureSource);
        if (Double.isNaN(soundSource)) {
            return Verdict.of(name, false, "the clip's first sound was not found in the source near %.3f s", from);
        }
        // where in the clip's timeline the source time pictureSource is shown, and soundSource heard
        double offset = (soundSource - audioStart) - (pictureSource - videoStart);
        return Verdict.of(name, Math.abs(offset) <= 0.040,
                "picture starts at clip %.3f s = source %.3f s, sound at clip %.3f s = source %.3f s: offset %+.0f ms",
                videoStart, pictureSource, audioStart, soundSource, offset * 1000);
    }

    /**
     * The source time of the clip's first picture: the frame asked for or the keyframe before it (a
     * lead-in), whichever it is more like. Where both are alike (a still picture at the start, or OBS
     * repeating frames), a later picture of the clip decides: its 15th, against the 15th frame after each.
     */
    private double pictureSource(boolean ignoreEditList, Match m) {
        double key = source.keyframeAtOrBefore(from);
        if (Math.abs(key - fromFrame) < 1e-6 || m.ssimFrom > m.ssimKey + 0.002) {
            return fromFrame;
        }
        if (m.ssimKey > m.ssimFrom + 0.002) {
            return key;
        }
        int k = 15;
        int fromIndex = source.frames().indexOf(fromFrame);
        int keyIndex = source.frames().indexOf(key);
        if (fromIndex < 0 || keyIndex < 0 || fromIndex + k >= source.frames().size()) {
            return fromFrame;
        }
        Path later = work.resolve(ignoreEditList ? "later-noedit.png" : "later.png");
        List<String> cmd = new ArrayList<>(List.of(ObsCorpus.FFMPEG, "-nostdin", "-v", "error", "-y"));
        if (ignoreEditList) {
            cmd.addAll(List.of("-ignore_editlist", "1"));
        }
        cmd.addAll(List.of("-i", clip.toString(), "-vf", "select=eq(n\\," + k + ")", "-frames:v", "1", later.toString()));
        if (run(cmd).code != 0 || !Files.exists(later)) {
            return fromFrame;
        }
        double likeFrom = ssim(later, reference(source, source.frames().get(fromIndex + k)));
        double likeKey = ssim(later, reference(source, source.frames().get(keyIndex + k)));
        return likeKey > likeFrom ? key : fromFrame;
    }

    private static final Pattern PTS = Pattern.compile("\\[Parsed_(a?)showinfo[^\\]]*\\].*?pts_time:\\s*(-?[0-9.]+)");

    private final java.util.Map<Boolean, double[]> starts = new ConcurrentHashMap<>();

    /**
     * The time of the first frame ffmpeg decodes and keeps from one stream (what a player shows or plays
     * first; with edit lists honoured, frames before the edit are dropped), in the clip's own timeline.
     * Picture and sound in one ffmpeg run.
     */
    private double firstDecoded(String stream, boolean ignoreEditList) {
        double[] both = starts.computeIfAbsent(ignoreEditList, ignore -> {
            List<String> cmd = new ArrayList<>(List.of(ObsCorpus.FFMPEG, "-nostdin", "-hide_banner", "-copyts"));
            if (ignore) {
                cmd.addAll(List.of("-ignore_editlist", "1"));
            }
            cmd.addAll(List.of("-i", clip.toString(), "-filter_complex", "[0:v:0]showinfo[v];[0:a:0]ashowinfo[a]",
                    "-map", "[v]", "-map", "[a]", "-frames:v", "1", "-frames:a", "1", "-f", "null", "-"));
            double[] found = {Double.NaN, Double.NaN};
            Matcher m = PTS.matcher(run(cmd).out);
            while (m.find()) {
                int i = m.group(1).isEmpty() ? 0 : 1;
                if (Double.isNaN(found[i])) {
                    found[i] = Double.parseDouble(m.group(2));
                }
            }
            return found;
        });
        return stream.startsWith("v") ? both[0] : both[1];
    }

    /** As many audio tracks as the source, each the source's (by its tone: crossings per second / 2). */
    public Verdict audioTracks() {
        JsonNode probe = ObsCorpus.probe(clip);
        int n = 0;
        for (JsonNode s : probe.path("streams")) {
            if ("audio".equals(s.path("codec_type").asText())) {
                n++;
            }
        }
        List<Integer> tones = new ArrayList<>();
        for (int a = 0; a < n; a++) {
            tones.add(ObsCorpus.tone(clip, a, Math.min(0.3, (to - from) / 4)));
        }
        boolean ok = n == source.audioTracks();
        for (int a = 0; ok && a < n; a++) {
            int want = source.tones().get(a);
            ok = want > 1500 ? tones.get(a) > 1500 : Math.abs(tones.get(a) - want) <= 20;
        }
        return Verdict.of("audio tracks", ok, "%d of %d, tones %s (source %s)", n, source.audioTracks(), tones, source.tones());
    }

    /** {@code mediainfo --Output=JSON} parses the clip and gives the requested length (within a frame). */
    public Verdict mediainfo() {
        Result r = run(List.of("mediainfo", "--Output=JSON", clip.toString()));
        if (r.code != 0) {
            return Verdict.of("mediainfo", false, "exit %d: %s", r.code, abbreviate(r.out));
        }
        try {
            JsonNode tracks = JSON.readTree(r.out).path("media").path("track");
            double general = Double.NaN;
            List<String> figures = new ArrayList<>();
            for (JsonNode t : tracks) {
                double d = t.path("Duration").asDouble(Double.NaN);
                if ("General".equals(t.path("@type").asText())) {
                    general = d;
                }
                figures.add(t.path("@type").asText() + " " + fmt(d));
            }
            double want = to - from;
            return Verdict.of("mediainfo", Math.abs(general - want) <= FRAME + 1e-3, "want %.3f s: %s", want, String.join(", ", figures));
        } catch (IOException e) {
            return Verdict.of("mediainfo", false, "not JSON: %s", abbreviate(r.out));
        }
    }

    public List<Verdict> all() {
        return List.of(decode(), durations(), firstFrame(false), firstFrame(true), sync(false), sync(true), audioTracks(), mediainfo());
    }

    private static final java.util.Map<String, Double> AUDIO_ENDS = new ConcurrentHashMap<>();

    /** Where the source's first sound track ends: its last packet's time plus its length (ffprobe). */
    static double audioEnd(ObsCorpus.Source source) {
        return AUDIO_ENDS.computeIfAbsent(source.path().toString(), key -> {
            Result r = run(List.of(ObsCorpus.FFPROBE, "-v", "quiet", "-select_streams", "a:0", "-show_entries",
                    "packet=pts_time,duration_time", "-of", "csv=p=0", key));
            double end = Double.NaN;
            for (String line : r.out.split("\n")) {
                String[] f = line.strip().split(",");
                if (f.length == 2 && !f[0].isEmpty() && !f[1].isEmpty() && !"N/A".equals(f[0]) && !"N/A".equals(f[1])) {
                    double e = Double.parseDouble(f[0]) + Double.parseDouble(f[1]);
                    end = Double.isNaN(end) ? e : Math.max(end, e);
                }
            }
            return Double.isNaN(end) ? Double.POSITIVE_INFINITY : end;
        });
    }

    // --- pictures -------------------------------------------------------------------------------------

    private record Match(double ssimFrom, double ssimKey, double ssimNeighbour, String error) {
    }

    private final java.util.Map<Boolean, Match> matches = new ConcurrentHashMap<>();
    private final java.util.Map<Boolean, Double> neighbours = new ConcurrentHashMap<>();

    private Match firstPicture(boolean ignoreEditList) {
        return matches.computeIfAbsent(ignoreEditList, ignore -> {
            Path first = work.resolve(ignore ? "first-noedit.png" : "first.png");
            List<String> cmd = new ArrayList<>(List.of(ObsCorpus.FFMPEG, "-nostdin", "-v", "error", "-y"));
            if (ignore) {
                cmd.addAll(List.of("-ignore_editlist", "1"));
            }
            cmd.addAll(List.of("-i", clip.toString(), "-frames:v", "1", first.toString()));
            Result r = run(cmd);
            if (r.code != 0 || !Files.exists(first)) {
                return new Match(Double.NaN, Double.NaN, Double.NaN, abbreviate(r.out));
            }
            // the same picture with and without the edit list (no lead-in): the same figures
            Match other = matches.get(!ignore);
            if (other != null && !Double.isNaN(other.ssimFrom) && sameBytes(first, work.resolve(ignore ? "first.png" : "first-noedit.png"))) {
                neighbours.put(ignore, neighbours.get(!ignore));
                return other;
            }
            double neighbour = 0;
            double neighbourTime = fromFrame;
            for (double t : new double[] {source.frameAt(fromFrame - 1e-3), source.frameAt(fromFrame + FRAME + 1e-3)}) {
                if (Math.abs(t - fromFrame) > 1e-6) {
                    double v = ssim(first, reference(source, t));
                    if (v > neighbour) {
                        neighbour = v;
                        neighbourTime = t;
                    }
                }
            }
            neighbours.put(ignore, neighbourTime);
            return new Match(ssim(first, reference(source, fromFrame)),
                    ssim(first, reference(source, source.keyframeAtOrBefore(from))), neighbour, "");
        });
    }

    private static boolean sameBytes(Path a, Path b) {
        try {
            return Files.exists(b) && java.util.Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(b));
        } catch (IOException e) {
            return false;
        }
    }

    /** The source frame at {@code t} by accurate input seeking (cached per source and time). */
    public static Path reference(ObsCorpus.Source source, double t) {
        return REFS.computeIfAbsent(source.id() + "@" + t, key -> {
            Path png = ObsCorpus.DIR.resolve("refs").resolve(source.id() + String.format(Locale.ROOT, "-%.4f.png", t));
            try {
                Files.createDirectories(png.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // a hair before the frame's own time: ffmpeg keeps the first frame at or after the seek point
            Media.run(List.of(ObsCorpus.FFMPEG, "-nostdin", "-v", "error", "-y", "-ss", String.format(Locale.ROOT, "%.4f", t - 0.0005),
                    "-i", source.path().toString(), "-frames:v", "1", png.toString()));
            return png;
        });
    }

    private static final Pattern SSIM = Pattern.compile("All:([0-9.]+)");

    public static double ssim(Path a, Path b) {
        Result r = run(List.of(ObsCorpus.FFMPEG, "-nostdin", "-hide_banner", "-i", a.toString(), "-i", b.toString(),
                "-lavfi", "[0:v]format=yuv420p[x];[1:v]format=yuv420p[y];[x][y]ssim", "-f", "null", "-"));
        Matcher m = SSIM.matcher(r.out);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    // --- sound ----------------------------------------------------------------------------------------

    /**
     * The source time of the clip's first decoded audio sample: its samples 2048.. (past the decoder's
     * warm-up) looked up in the source's first audio track around the picture's source time and {@code from}.
     */
    private double soundSource(boolean ignoreEditList, double pictureSource) {
        List<String> cmd = new ArrayList<>(List.of(ObsCorpus.FFMPEG, "-nostdin", "-v", "error"));
        if (ignoreEditList) {
            cmd.addAll(List.of("-ignore_editlist", "1"));
        }
        cmd.addAll(List.of("-i", clip.toString(), "-map", "0:a:0", "-t", "0.3", "-ac", "1", "-ar", String.valueOf(RATE),
                "-f", "s16le", "-"));
        short[] clipPcm = pcm(cmd);
        int skip = 2048;
        int n = 4096;
        if (clipPcm.length < skip + n) {
            return Double.NaN;
        }
        double best = -1;
        double bestTime = Double.NaN;
        for (double candidate : new double[] {from, pictureSource}) {
            double windowStart = Math.max(0, candidate - 0.15);
            short[] src = pcm(List.of(ObsCorpus.FFMPEG, "-nostdin", "-v", "error", "-ss", String.format(Locale.ROOT, "%.4f", windowStart),
                    "-i", source.path().toString(), "-map", "0:a:0", "-t", "0.5", "-ac", "1", "-ar", String.valueOf(RATE),
                    "-f", "s16le", "-"));
            for (int off = 0; off + n <= src.length; off++) {
                double dot = 0;
                double ea = 0;
                double eb = 0;
                for (int i = 0; i < n; i += 2) {
                    double x = clipPcm[skip + i];
                    double y = src[off + i];
                    dot += x * y;
                    ea += x * x;
                    eb += y * y;
                }
                double c = ea == 0 || eb == 0 ? 0 : dot / Math.sqrt(ea * eb);
                if (c > best) {
                    best = c;
                    bestTime = windowStart + (off - skip) / (double) RATE;
                }
            }
        }
        return best >= 0.8 ? bestTime : Double.NaN;
    }

    private static short[] pcm(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] raw = p.getInputStream().readAllBytes();
            p.waitFor(60, TimeUnit.SECONDS);
            short[] s = new short[raw.length / 2];
            for (int i = 0; i < s.length; i++) {
                s[i] = (short) ((raw[2 * i] & 0xFF) | (raw[2 * i + 1] << 8));
            }
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // --- running tools --------------------------------------------------------------------------------

    record Result(int code, String out) {
    }

    static Result run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String s) {
        String one = s.strip().replace('\n', ' ');
        return one.length() > 200 ? one.substring(0, 200) + "…" : one;
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.3f", d);
    }

    private static final class Map extends ConcurrentHashMap<String, Path> {
    }
}
