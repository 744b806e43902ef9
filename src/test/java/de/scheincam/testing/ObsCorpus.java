package de.scheincam.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import de.scheincam.obs.ObsClient;

import static org.awaitility.Awaitility.await;

/**
 * Recordings made by real OBS Studio 29 (Debian's, headless under Xvfb) in this test run, once per test
 * JVM, kept in {@code target/obs-corpus/} with {@code manifest.json}: what each file is meant to be, and
 * what Debian's ffprobe says it is (checked here: a file that is not what it claims fails the build of
 * the corpus, not a clip test later).
 *
 * <p>One OBS with Simple output records, one after the other, Matroska (CBR), MP4 (CRF), fragmented MP4,
 * MOV, and last a Matroska that OBS and its muxer process are SIGKILLed in the middle of (OBS alone
 * killed leaves obs-ffmpeg-mux alive, and it finishes the file). A second OBS, started with an Advanced
 * output profile written into its home (OBS takes an output mode only at start), records Matroska with
 * obs_x264 VBR, 2 s keyframes, no B-frames and two audio tracks: the camera's noise on track 1 and a
 * second source's 880 Hz tone on track 2 only. {@link #liveObs()} starts one more OBS for a recording a test
 * cuts while it is being written.
 *
 * <p>The camera loops {@link #cameraClip}: testsrc2 above three bands whose grey levels are the base-8
 * digits of the camera's frame number and a box moving with time, so frames up to 17 s apart differ.
 * {@code -Dscheincam.obs-corpus.reuse=true} reuses a corpus an earlier run left (for working on tests).
 */
public final class ObsCorpus {

    public static final Path DIR = Path.of("target", "obs-corpus").toAbsolutePath();
    /** Debian's, not the bundled ffmpeg the app uses: the checks are made by tools we did not write. */
    public static final String FFPROBE = "/usr/bin/ffprobe";
    public static final String FFMPEG = "/usr/bin/ffmpeg";
    public static final double FPS = 30;
    static final String PASSWORD = "corpus-obs-secret-29";
    private static final int RECORD_MILLIS = 20_000;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static ObsCorpus built;
    private static RuntimeException failed;

    /**
     * One recording of the corpus. Times are seconds from the file's start as ffmpeg's input seeking
     * counts them ({@code -ss}); {@code keyframes} are where video keyframes are shown, {@code end} is
     * where the last frame ends (from the frames, not from the header, which a crashed file lacks).
     */
    public record Source(String id, String description, String file, String container, String output,
                         String rateControl, int keyintFrames, boolean bframes, int audioTracks, List<Integer> tones,
                         boolean crashed, String headerDuration, double start, double end, double lastFrame,
                         List<Double> keyframes, int width, int height, String muxer, List<Double> frames) {

        public Path path() {
            return DIR.resolve(file); // absolute for a recording outside the corpus (one still being written)
        }

        /** The frame shown at {@code t}: the last one that starts at or before it. */
        public double frameAt(double t) {
            double f = frames.get(0);
            for (double x : frames) {
                if (x <= t + 1e-6) {
                    f = x;
                }
            }
            return f;
        }

        /** The last keyframe at or before {@code t}. */
        public double keyframeAtOrBefore(double t) {
            double k = keyframes.get(0);
            for (double kf : keyframes) {
                if (kf <= t + 1e-6) {
                    k = kf;
                }
            }
            return k;
        }
    }

    public record Manifest(String obs, String made, List<Source> sources) {
    }

    private final Manifest manifest;

    private ObsCorpus(Manifest manifest) {
        this.manifest = manifest;
    }

    /** The corpus, recorded on first use in this JVM (about 2.5 minutes), thread-safe. */
    public static synchronized ObsCorpus get() {
        if (failed != null) {
            throw new IllegalStateException("the OBS corpus could not be recorded (see the first test that asked)", failed);
        }
        if (built == null) {
            try {
                built = Boolean.getBoolean("scheincam.obs-corpus.reuse") && Files.exists(DIR.resolve("manifest.json"))
                        ? read() : record();
            } catch (RuntimeException e) {
                failed = e;
                throw e;
            }
        }
        return built;
    }

    public List<Source> sources() {
        return manifest.sources();
    }

    public Source source(String id) {
        return manifest.sources().stream().filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no corpus recording " + id));
    }

    public Path manifestFile() {
        return DIR.resolve("manifest.json");
    }

    /** The looping camera (30 s, 640×360, 30 fps, pink noise: any 50 ms of its sound tells where it is), made once. */
    public static synchronized Path cameraClip() {
        Path clip = DIR.resolve("camera.mkv");
        if (!Files.exists(clip)) {
            try {
                Files.createDirectories(DIR);
                Path tmp = DIR.resolve("camera-tmp.mkv");
                String digit = "color=c=black:s=212x120:r=30:d=30,geq=lum='mod(floor(N/%d)\\,8)*28+16':cb=128:cr=128";
                Media.run(List.of(Media.FFMPEG.ffmpeg(), "-hide_banner", "-v", "error", "-y",
                        "-f", "lavfi", "-i", "testsrc2=s=640x240:r=30:d=30",
                        "-f", "lavfi", "-i", digit.formatted(64),
                        "-f", "lavfi", "-i", digit.formatted(8),
                        "-f", "lavfi", "-i", digit.formatted(1),
                        "-f", "lavfi", "-i", "color=c=white:s=24x24:r=30:d=30",
                        "-f", "lavfi", "-i", "anoisesrc=color=pink:amplitude=0.3:d=30:sample_rate=48000:seed=12",
                        "-filter_complex", "[1:v][2:v][3:v]hstack=3,pad=640:120[bands];[0:v][bands]vstack[pic];"
                                + "[pic][4:v]overlay=x='mod(t*60\\,616)':y=8[v]",
                        "-map", "[v]", "-map", "5:a", "-c:v", "libx264", "-preset", "ultrafast", "-g", "30",
                        "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", tmp.toString()));
                Files.move(tmp, clip, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return clip;
    }

    /**
     * An OBS of the test's own (Simple output, Matroska, CBR) showing the corpus camera, for a recording
     * still being written; the test points the app at {@link RealObs#port} and closes it.
     */
    public static RealObs liveObs() {
        RealObs obs = obsWithCorpusCamera("live");
        obs.start();
        obs.setUpScenes();
        return obs;
    }

    public static String password() {
        return PASSWORD;
    }

    // --- recording ------------------------------------------------------------------------------------

    private static ObsCorpus record() {
        long t0 = System.nanoTime();
        try {
            if (Files.exists(DIR)) {
                try (Stream<Path> old = Files.walk(DIR)) {
                    for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
                        if (!p.equals(DIR) && !p.getFileName().toString().equals("camera.mkv")) {
                            Files.delete(p);
                        }
                    }
                }
            }
            Files.createDirectories(DIR.resolve("raw"));
            List<Source> sources = new ArrayList<>();
            recordSimple(sources);
            recordAdvanced(sources);
            String obsVersion = Media.run(List.of("dpkg-query", "-W", "-f=${Version}", "obs-studio")).trim();
            Manifest manifest = new Manifest("obs-studio " + obsVersion, java.time.Instant.now().toString(), sources);
            JSON.writeValue(DIR.resolve("manifest.json").toFile(), manifest);
            System.out.printf("FIGURE OBS corpus recorded in %.1f s: %s%n", (System.nanoTime() - t0) / 1e9,
                    sources.stream().map(Source::id).toList());
            return new ObsCorpus(manifest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObsCorpus read() {
        try {
            return new ObsCorpus(JSON.readValue(DIR.resolve("manifest.json").toFile(), Manifest.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RealObs obsWithCorpusCamera(String name) {
        try {
            Path home = Files.createTempDirectory(Path.of("target"), "obs-home-" + name + "-").toAbsolutePath();
            RealObs obs = new RealObs(home, PASSWORD);
            Files.copy(cameraClip(), home.resolve("camera.mkv"), StandardCopyOption.REPLACE_EXISTING);
            return obs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void recordSimple(List<Source> sources) throws IOException {
        RealObs obs = obsWithCorpusCamera("corpus-simple");
        try {
            obs.start();
            obs.setUpScenes();
            try (ObsClient c = connect(obs)) {
                profile(c, "SimpleOutput", "FilePath", DIR.resolve("raw").toString());
                sources.add(simple(c, "mkv-cbr", "Simple output, x264 CBR 2500 kbit/s (RecQuality=Stream), Matroska",
                        "mkv", "Stream", "", "CBR"));
                sources.add(simple(c, "mp4-crf", "Simple output, x264 CRF (RecQuality=Small), MP4",
                        "mp4", "Small", "", "CRF"));
                sources.add(simple(c, "mp4-frag", "Simple output, x264 CBR, fragmented MP4 (MuxerCustom movflags)",
                        "mp4", "Stream", "movflags=frag_keyframe+empty_moov+delay_moov", "CBR"));
                sources.add(simple(c, "mov-cbr", "Simple output, x264 CBR, QuickTime MOV",
                        "mov", "Stream", "", "CBR"));
                // last: OBS dies in the middle of this one
                setSimple(c, "mkv", "Stream", "");
                Path raw = start(c);
                awaitRecorded(c, RECORD_MILLIS);
                obs.killWithMuxer();
                Path file = DIR.resolve("mkv-crashed.mkv");
                Files.move(raw, file);
                Source crashed = describe("mkv-crashed", "Simple output, x264 CBR, Matroska, OBS SIGKILLed mid-recording",
                        file, "Simple", "CBR", true);
                if (!"N/A".equals(crashed.headerDuration())) {
                    throw new IllegalStateException("a killed OBS's mkv should have no duration, ffprobe says " + crashed.headerDuration());
                }
                sources.add(crashed);
            }
        } finally {
            obs.close();
        }
    }

    private static Source simple(ObsClient c, String id, String description, String format, String quality,
                                 String muxer, String rateControl) throws IOException {
        setSimple(c, format, quality, muxer);
        Path raw = start(c);
        awaitRecorded(c, RECORD_MILLIS);
        stop(c);
        Path file = DIR.resolve(id + "." + format);
        Files.move(raw, file);
        Source s = describe(id, description, file, "Simple", rateControl, false);
        s = new Source(s.id(), s.description(), s.file(), s.container(), s.output(), s.rateControl(), s.keyintFrames(),
                s.bframes(), s.audioTracks(), s.tones(), s.crashed(), s.headerDuration(), s.start(), s.end(),
                s.lastFrame(), s.keyframes(), s.width(), s.height(), muxer, s.frames());
        expect(s.headerDuration() != null && !"N/A".equals(s.headerDuration()), id, "has a duration in its header");
        expect(s.audioTracks() == 1, id, "has one audio track (" + s.audioTracks() + ")");
        if (!muxer.isEmpty()) {
            expect(isFragmented(file), id, "is fragmented (moof boxes)");
        }
        return s;
    }

    private static void setSimple(ObsClient c, String format, String quality, String muxer) {
        profile(c, "SimpleOutput", "RecFormat", format);
        profile(c, "SimpleOutput", "RecFormat2", format);
        profile(c, "SimpleOutput", "RecQuality", quality);
        profile(c, "SimpleOutput", "MuxerCustom", muxer);
    }

    private static void recordAdvanced(List<Source> sources) throws IOException {
        RealObs obs = obsWithCorpusCamera("corpus-advanced");
        Path config = obs.home.resolve(".config/obs-studio");
        Path profile = config.resolve("basic/profiles/Corpus");
        Files.createDirectories(profile);
        Files.writeString(config.resolve("global.ini"), Files.readString(config.resolve("global.ini"))
                + "\n[Basic]\nProfile=Corpus\nProfileDir=Corpus\nSceneCollection=Corpus\nSceneCollectionFile=Corpus\n");
        Files.writeString(profile.resolve("basic.ini"), String.join("\n",
                "[General]", "Name=Corpus", "",
                "[Video]", "BaseCX=640", "BaseCY=360", "OutputCX=640", "OutputCY=360", "FPSType=0", "FPSCommon=30", "",
                "[Output]", "Mode=Advanced", "FilenameFormatting=adv-%CCYY-%MM-%DD_%hh-%mm-%ss", "",
                "[AdvOut]", "RecType=Standard", "RecFormat=mkv", "RecFormat2=mkv", "RecEncoder=obs_x264",
                "RecTracks=3", "RecFilePath=" + DIR.resolve("raw"), "RecUseRescale=false",
                "Track1Bitrate=160", "Track2Bitrate=128", ""));
        Files.writeString(profile.resolve("recordEncoder.json"),
                "{\"rate_control\":\"VBR\",\"bitrate\":1800,\"crf\":22,\"keyint_sec\":2,\"preset\":\"veryfast\","
                        + "\"profile\":\"main\",\"bf\":0,\"x264opts\":\"bframes=0\"}");
        try {
            obs.start();
            obs.setUpScenes(false);
            Path tone = DIR.resolve("tone-880.mka");
            if (!Files.exists(tone)) {
                Media.run(List.of(Media.FFMPEG.ffmpeg(), "-hide_banner", "-v", "error", "-y", "-f", "lavfi",
                        "-i", "sine=f=880:d=30:sample_rate=48000", "-c:a", "aac", tone.toString()));
            }
            try (ObsClient c = connect(obs)) {
                String mode = c.request("GetProfileParameter", Map.of("parameterCategory", "Output", "parameterName", "Mode"))
                        .path("parameterValue").asText();
                expect("Advanced".equals(mode), "mkv-adv-2track", "OBS runs the Advanced output profile (Mode=" + mode + ")");
                try {
                    c.request("CreateInput", Map.of("sceneName", "main", "inputName", "Tone2", "inputKind", "ffmpeg_source",
                            "inputSettings", Map.of("local_file", tone.toString(), "looping", true,
                                    "restart_on_activate", false, "close_when_inactive", false), "sceneItemEnabled", true));
                } catch (de.scheincam.obs.ObsRequestFailed e) {
                    if (e.getCode() != 601) {
                        throw e;
                    }
                }
                c.request("SetInputAudioTracks", Map.of("inputName", "Camera", "inputAudioTracks", tracks(1)));
                c.request("SetInputAudioTracks", Map.of("inputName", "Tone2", "inputAudioTracks", tracks(2)));
                Path raw = start(c);
                awaitRecorded(c, RECORD_MILLIS);
                stop(c);
                Path file = DIR.resolve("mkv-adv-2track.mkv");
                Files.move(raw, file);
                Source s = describe("mkv-adv-2track",
                        "Advanced output, obs_x264 VBR 1800 kbit/s, keyint 2 s, no B-frames, Matroska, tracks 1 (camera noise) and 2 (880 Hz)",
                        file, "Advanced", "VBR", false);
                expect(s.audioTracks() == 2, s.id(), "has two audio tracks (" + s.audioTracks() + ")");
                expect(s.tones().get(0) > 1500 && s.tones().get(1) == 880, s.id(),
                        "has the camera's noise on track 1 and 880 Hz on track 2 " + s.tones());
                expect(!s.bframes(), s.id(), "has no B-frames");
                expect(Math.abs(s.keyintFrames() - 60) <= 1, s.id(), "has keyframes every 60 frames (" + s.keyintFrames() + ")");
                sources.add(s);
            }
        } finally {
            obs.close();
        }
    }

    private static Map<String, Boolean> tracks(int only) {
        Map<String, Boolean> t = new LinkedHashMap<>();
        for (int i = 1; i <= 6; i++) {
            t.put(String.valueOf(i), i == only);
        }
        return t;
    }

    private static ObsClient connect(RealObs obs) {
        ObsClient c = obs.client();
        c.start();
        await().atMost(Duration.ofSeconds(20)).until(c::connected);
        return c;
    }

    private static void profile(ObsClient c, String category, String name, String value) {
        c.request("SetProfileParameter", Map.of("parameterCategory", category, "parameterName", name, "parameterValue", value));
    }

    /** Starts a recording; the new file in raw/ once OBS has created it. */
    private static Path start(ObsClient c) throws IOException {
        List<Path> before = list(DIR.resolve("raw"));
        c.request("StartRecord");
        await().atMost(Duration.ofSeconds(15)).until(() -> c.request("GetRecordStatus").path("outputActive").asBoolean());
        await().atMost(Duration.ofSeconds(10)).until(() -> list(DIR.resolve("raw")).size() > before.size());
        List<Path> now = list(DIR.resolve("raw"));
        now.removeAll(before);
        return now.get(0);
    }

    /** Records for {@code millis} of wall-clock time (obs-websocket 5.1's outputDuration stays 0 here). */
    private static void awaitRecorded(ObsClient c, long millis) {
        long until = System.nanoTime() + millis * 1_000_000;
        await().atMost(Duration.ofMillis(millis + 5_000)).pollInterval(Duration.ofMillis(250))
                .until(() -> System.nanoTime() >= until && c.request("GetRecordStatus").path("outputActive").asBoolean());
    }

    private static void stop(ObsClient c) {
        c.request("StopRecord");
        await().atMost(Duration.ofSeconds(20)).until(() -> !c.request("GetRecordStatus").path("outputActive").asBoolean());
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return new ArrayList<>(files.toList());
        }
    }

    // --- what the file is, by Debian's ffprobe -----------------------------------------------------------

    public static Source describe(String id, String description, Path file, String output, String rateControl, boolean crashed) {
        JsonNode probe = probe(file);
        JsonNode format = probe.path("format");
        double formatStart = format.path("start_time").asDouble(0);
        JsonNode video = null;
        int audio = 0;
        for (JsonNode s : probe.path("streams")) {
            if ("video".equals(s.path("codec_type").asText()) && video == null) {
                video = s;
            } else if ("audio".equals(s.path("codec_type").asText())) {
                audio++;
            }
        }
        expect(video != null && "h264".equals(video.path("codec_name").asText()), id, "has H.264 video");
        expect(video.path("width").asInt() == 640 && video.path("height").asInt() == 360, id, "is 640x360");
        String csv = stdout(List.of(FFPROBE, "-v", "error", "-select_streams", "v:0", "-show_entries",
                "packet=pts_time,flags", "-of", "csv=p=0", file.toString()));
        List<Double> keyframes = new ArrayList<>();
        List<Double> all = new ArrayList<>();
        double last = -1;
        int frames = 0;
        boolean bframes = false;
        double previous = -1;
        for (String line : csv.split("\n")) {
            String[] f = line.trim().split(",");
            if (f.length < 2 || f[0].equals("N/A")) {
                continue;
            }
            double pts;
            try {
                pts = Double.parseDouble(f[0]) - formatStart;
            } catch (NumberFormatException e) {
                continue; // not a packet line
            }
            frames++;
            if (previous >= 0 && pts < previous) {
                bframes = true; // decode order differs from display order
            }
            previous = pts;
            all.add(pts);
            last = Math.max(last, pts);
            if (f[1].contains("K")) {
                keyframes.add(pts);
            }
        }
        keyframes.sort(Double::compare);
        all.sort(Double::compare);
        int keyint = 0;
        for (int i = 1; i < keyframes.size(); i++) {
            keyint = Math.max(keyint, (int) Math.round((keyframes.get(i) - keyframes.get(i - 1)) * FPS));
        }
        expect(frames > 5 * FPS, id, "has more than 5 s of frames (" + frames + ")");
        List<Integer> tones = new ArrayList<>();
        for (int a = 0; a < audio; a++) {
            tones.add(tone(file, a, keyframes.get(0) + 2));
        }
        String container = file.getFileName().toString().substring(file.getFileName().toString().lastIndexOf('.') + 1);
        String name = file.toAbsolutePath().startsWith(DIR) ? DIR.relativize(file.toAbsolutePath()).toString() : file.toAbsolutePath().toString();
        return new Source(id, description, name, container, output, rateControl, keyint, bframes,
                audio, tones, crashed, format.path("duration").asText("N/A"), keyframes.get(0), last + 1 / FPS, last,
                List.copyOf(keyframes), video.path("width").asInt(), video.path("height").asInt(), "", List.copyOf(all));
    }

    public static JsonNode probe(Path file, String... before) {
        List<String> cmd = new ArrayList<>(List.of(FFPROBE, "-v", "error"));
        cmd.addAll(List.of(before));
        cmd.addAll(List.of("-print_format", "json", "-show_format", "-show_streams", file.toString()));
        String out = stdout(cmd);
        try {
            return new ObjectMapper().readTree(out);
        } catch (IOException e) {
            throw new AssertionError(out, e);
        }
    }

    /** The tone of one audio stream over one second from {@code at}: zero crossings per second / 2, rounded to 10 Hz (noise: thousands). */
    public static int tone(Path file, int audioStream, double at) {
        try {
            Process p = new ProcessBuilder(FFMPEG, "-v", "error", "-ss", String.valueOf(at), "-i", file.toString(),
                    "-map", "0:a:" + audioStream, "-t", "1", "-ac", "1", "-ar", "48000", "-f", "s16le", "-")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] pcm = p.getInputStream().readAllBytes();
            p.waitFor();
            int crossings = 0;
            int samples = pcm.length / 2;
            short prev = 0;
            for (int i = 0; i < samples; i++) {
                short v = (short) ((pcm[2 * i] & 0xFF) | (pcm[2 * i + 1] << 8));
                if (i > 0 && (prev < 0) != (v < 0)) {
                    crossings++;
                }
                prev = v;
            }
            if (samples == 0) {
                return 0;
            }
            int crossingRate = (int) Math.round(crossings / 2.0 / (samples / 48000.0) / 10) * 10;
            return crossingRate > 1500 ? crossingRate : strongest(pcm, samples);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The strongest frequency from 50 to 2,000 Hz in 10 Hz steps (Goertzel). A tone's zero crossings
     * miscount where the stretch holds a little silence or a click (a clip's start, the AAC decoder's
     * first frame): 910 or 840 Hz for an 880 Hz tone; its spectrum's peak stays where the tone is.
     */
    private static int strongest(byte[] pcm, int samples) {
        double[] x = new double[samples];
        for (int i = 0; i < samples; i++) {
            x[i] = (short) ((pcm[2 * i] & 0xFF) | (pcm[2 * i + 1] << 8));
        }
        int best = 0;
        double bestPower = -1;
        for (int f = 50; f <= 2000; f += 10) {
            double coefficient = 2 * Math.cos(2 * Math.PI * f / 48000.0);
            double s1 = 0;
            double s2 = 0;
            for (double v : x) {
                double s0 = v + coefficient * s1 - s2;
                s2 = s1;
                s1 = s0;
            }
            double power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
            if (power > bestPower) {
                bestPower = power;
                best = f;
            }
        }
        return best;
    }

    /** What a tool writes to stdout (its complaints about a file cut off by a crash go elsewhere). */
    static String stdout(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean isFragmented(Path file) {
        try {
            return Media.boxOffset(Files.readAllBytes(file), "moof") != Integer.MAX_VALUE;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void expect(boolean holds, String id, String what) {
        if (!holds) {
            throw new IllegalStateException("OBS corpus: " + id + " should be a recording that " + what);
        }
    }
}
