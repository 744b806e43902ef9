package de.scheincam;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import de.scheincam.testing.ClipCheck;
import de.scheincam.testing.ClipCheck.Verdict;
import de.scheincam.testing.ClipPlayback;
import de.scheincam.testing.ObsCorpus;
import de.scheincam.testing.ObsCorpus.Source;
import de.scheincam.testing.RealObs;
import de.scheincam.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Issue 12's acceptance matrix: clips of recordings that real OBS 29 made in this run (ObsCorpus), in
 * every mode and at every kind of position, each checked by Debian's ffmpeg/ffprobe and mediainfo
 * (ClipCheck) and a subset played in headless Chromium and Firefox ESR (ClipPlayback). Every
 * (source, mode, position, check) is its own test; the whole matrix with its figures is written to
 * target/obs-media-matrix.md. Also: the crashed recording listed and framed, a listed recording not yet
 * probed exported at once, and a recording OBS is still writing cut near its live end.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObsMediaIT {

    private static final List<String> MODES = List.of("copy", "exact", "reencode");
    private static final Map<String, String> NAMES = new LinkedHashMap<>();
    private static final Path WORK = Path.of("target", "obs-media").toAbsolutePath();
    private static final double FRAME = 1 / ObsCorpus.FPS;
    /**
     * A part of the matrix only, for work on one of its parts: cells whose "source | mode | position"
     * matches this regular expression ({@code -Dscheincam.obs-media.only='mp4-crf \\| reencode.*'}); the
     * corpus of an earlier run is reused with {@code -Dscheincam.obs-corpus.reuse=true}.
     */
    private static final java.util.regex.Pattern ONLY = java.util.regex.Pattern.compile(
            System.getProperty("scheincam.obs-media.only", ".*"));

    static ObsCorpus corpus;
    static RealObs live;
    static TestApp app;
    static HttpResponse<String> rightAfterStart;
    static final ExecutorService pool = Executors.newFixedThreadPool(2);
    static final Map<String, CompletableFuture<Cell>> cells = new ConcurrentHashMap<>();
    static final Map<String, Map<String, Verdict>> matrix = new ConcurrentHashMap<>();

    /** A stretch to cut, in source seconds: from a frame's start to another frame's start (or the end). */
    record Position(String name, double from, double to) {
    }

    /** One clip: the export job (or why there is none), and the clip file. */
    record Cell(Source source, String mode, Position position, JsonNode job, String refused, Path clip,
                double seconds, Map<String, Verdict> verdicts) {
        String key() {
            return key(source.id(), mode, position.name());
        }

        static String key(String source, String mode, String position) {
            return source + " | " + mode + " | " + position;
        }
    }

    @BeforeAll
    static void boot() throws IOException {
        corpus = ObsCorpus.get();
        live = ObsCorpus.liveObs();
        Files.createDirectories(WORK);
        Path home = TestApp.newHome();
        int minute = 0;
        for (Source s : corpus.sources()) {
            String name = String.format(Locale.ROOT, "25-01-24_19-%02d-00", minute++);
            NAMES.put(s.id(), name);
            Path target = home.resolve("videos/" + name + "." + s.container());
            Files.copy(s.path(), target);
            // finished long ago: the library probes it at once
            Files.setLastModifiedTime(target, FileTime.from(Instant.now().minusSeconds(3600)));
        }
        app = TestApp.start(home, Map.of(
                "scheincam.obs.port", String.valueOf(live.port),
                "scheincam.obs.password", ObsCorpus.password(),
                "scheincam.export.min-free-mb", "200",
                "scheincam.export.max-per-client", "8",
                "scheincam.export.max-queued", "32",
                // the matrix is one client making ~110 clips: the clip budget (ResourceGuardsIT) must not refuse them
                "scheincam.export.client-budget-count", "1000",
                "scheincam.export.budget-count", "1000",
                // the scrub test is one client asking for frames back to back (rates: ClientRatesIT)
                "scheincam.rates.frames.per-minute", "0"));
        // right after the start, before the library has probed them all: the last one listed
        String last = NAMES.get("mkv-adv-2track");
        rightAfterStart = app.post("/api/videos/export", "{\"filename\":\"" + last + "\",\"start_time\":\""
                + wall(last, 5) + "\",\"end_time\":\"" + wall(last, 7) + "\"}");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String name : NAMES.values()) {
                assertThat(app.get("/api/videos/" + name).statusCode()).as(name).isEqualTo(200);
            }
        });
    }

    @AfterAll
    static void stop() throws IOException {
        pool.shutdownNow();
        writeMatrix();
        if (app != null) {
            app.close();
        }
        if (live != null) {
            live.close();
        }
    }

    // --- the matrix -----------------------------------------------------------------------------------

    static boolean selected(String source, String mode, String position) {
        return ONLY.matcher(Cell.key(source, mode, position)).matches();
    }

    static List<Position> positions(Source s, String mode) {
        return positions(s).stream().filter(p -> selected(s.id(), mode, p.name())).toList();
    }

    static List<Position> positions(Source s) {
        List<Double> k = s.keyframes();
        int g = k.size() > 2 ? 1 : 0;
        double gopEnd = g + 1 < k.size() ? k.get(g + 1) : s.end();
        double mid = s.frameAt((k.get(g) + gopEnd) / 2);
        double firstMid = s.frameAt((k.get(0) + k.get(1)) / 2);
        double longFrom = s.frameAt(k.get(0) + 0.7 * FRAME * 21);
        return List.of(
                new Position("mid-GOP", mid, s.frameAt(mid + 3)),
                new Position("on a keyframe", k.get(1), s.frameAt(k.get(1) + 3)),
                new Position("to the last frame", s.frameAt(s.end() - 2.5), s.end()),
                new Position("1 s", firstMid, s.frameAt(firstMid + 1)),
                new Position("long", longFrom, s.frameAt(s.end() - 1)));
    }

    static CompletableFuture<Cell> cell(Source s, String mode, Position p) {
        return cells.computeIfAbsent(Cell.key(s.id(), mode, p.name()),
                key -> CompletableFuture.supplyAsync(() -> cut(s, mode, p), pool));
    }

    @TestFactory
    @Order(1)
    Stream<DynamicNode> clips() {
        // everything starts now, two at a time, while JUnit walks the tree
        for (Source s : corpus.sources()) {
            for (String mode : MODES) {
                for (Position p : positions(s, mode)) {
                    cell(s, mode, p);
                }
            }
        }
        return corpus.sources().stream().map(s -> DynamicContainer.dynamicContainer(s.id() + " (" + s.description() + ")",
                MODES.stream().map(mode -> DynamicContainer.dynamicContainer(s.id() + " " + mode,
                        positions(s, mode).stream().map(p -> DynamicContainer.dynamicContainer(s.id() + " " + mode + " " + p.name(),
                                checksOf(cell(s, mode, p), s.id() + " " + mode + " " + p.name())))))));
    }

    private static Stream<DynamicNode> checksOf(CompletableFuture<Cell> future, String label) {
        List<String> checks = List.of("export", "decode", "duration", "first frame", "first frame (edit list ignored)",
                "A/V sync", "A/V sync (edit list ignored)", "audio tracks", "mediainfo");
        return checks.stream().map(check -> DynamicTest.dynamicTest(label + ": " + check, () -> {
            Cell c = future.join();
            Verdict v = c.verdicts().get(check);
            if (v == null) {
                fail("no verdict for " + check);
            }
            assertThat(v.ok()).as("%s: %s — %s", label, check, v.figures()).isTrue();
        }));
    }

    /** Exports through the API, then runs every check on the clip. */
    static Cell cut(Source s, String mode, Position p) {
        Map<String, Verdict> verdicts = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        JsonNode job = null;
        String refused = null;
        Path clip = null;
        try {
            job = export(NAMES.get(s.id()), p.from(), p.to(), Math.abs(p.to() - s.end()) < 1e-6, mode);
            if (!"done".equals(job.path("state").asText())) {
                refused = "job " + job.path("state").asText() + ": " + job.path("error").asText();
            } else {
                clip = WORK.resolve(s.id() + "-" + mode + "-" + p.name().replace(' ', '_') + ".mp4");
                Files.copy(app.videos.resolve("exports/" + job.path("job_id").asText() + ".mp4"), clip,
                        StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (Refused e) {
            refused = e.getMessage();
        } catch (IOException e) {
            refused = "clip not found: " + e;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (clip == null) {
            verdicts.put("export", new Verdict("export", false, refused));
        } else {
            String method = job.path("method").asText();
            boolean methodOk = !"exact".equals(mode) || !"reencode".equals(method);
            verdicts.put("export", Verdict.class.cast(new Verdict("export", methodOk, String.format(Locale.ROOT,
                    "%s in %.2f s%s%s", method, seconds, job.path("note").asText("").isEmpty() ? "" : ": " + job.path("note").asText(),
                    methodOk ? "" : " (exact fell back to a full re-encode)"))));
            ClipCheck check = new ClipCheck(s, clip, p.from(), p.to(), mode);
            for (Verdict v : check.all()) {
                verdicts.put(v.check(), v);
            }
        }
        if (clip == null) {
            for (String c : List.of("decode", "duration", "first frame", "first frame (edit list ignored)", "A/V sync",
                    "A/V sync (edit list ignored)", "audio tracks", "mediainfo")) {
                verdicts.put(c, new Verdict(c, false, "no clip: " + refused));
            }
        }
        Cell cell = new Cell(s, mode, p, job, refused, clip, seconds, verdicts);
        matrix.put(cell.key(), verdicts);
        return cell;
    }

    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    static JsonNode export(String name, double from, double to, boolean atEnd, String mode) {
        String request = "{\"filename\":\"" + name + "\",\"start_time\":\"" + wall(name, from) + "\",\"end_time\":\""
                + wall(name, to, atEnd) + "\",\"mode\":\"" + mode + "\"}";
        HttpResponse<String> r = app.post("/api/videos/export", request, "Prefer", "respond-async");
        if (r.statusCode() != 200 && r.statusCode() != 202) {
            throw new Refused(r.statusCode() + " " + r.body());
        }
        String id = json(r).path("job_id").asText();
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).until(() ->
                List.of("done", "failed").contains(json(app.get("/api/exports/" + id)).path("state").asText()));
        return json(app.get("/api/exports/" + id));
    }

    /** The wall-clock time {@code seconds} into a recording: rounded up to the millisecond, so inside the frame. */
    static String wall(String name, double seconds) {
        return wall(name, seconds, false);
    }

    /** {@code atEnd}: the end of the last frame, rounded down (the recording ends there). */
    static String wall(String name, double seconds, boolean atEnd) {
        LocalTime start = LocalTime.parse(name.substring(9).replace('-', ':'));
        long millis = atEnd ? (long) Math.floor(seconds * 1000 + 1e-6) : (long) Math.ceil(seconds * 1000 - 1e-6);
        LocalTime t = start.plusNanos(millis * 1_000_000);
        return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 1_000_000);
    }

    // --- browsers -------------------------------------------------------------------------------------

    @TestFactory
    @Order(2)
    Stream<DynamicNode> browsers() throws IOException {
        List<CompletableFuture<Cell>> subset = new ArrayList<>();
        for (Source s : corpus.sources()) {
            for (String mode : List.of("copy", "exact")) {
                if (selected(s.id(), mode, positions(s).get(0).name())) {
                    subset.add(cell(s, mode, positions(s).get(0)));
                }
            }
        }
        Source adv = corpus.source("mkv-adv-2track");
        if (selected(adv.id(), "exact", positions(adv).get(4).name())) {
            subset.add(cell(adv, "exact", positions(adv).get(4)));
        }
        // a full re-encode from an MP4 and from a Matroska recording: its first picture is at 0 without the edit list
        for (String id : List.of("mov-cbr", "mkv-cbr")) {
            Source s = corpus.source(id);
            if (selected(s.id(), "reencode", positions(s).get(0).name())) {
                subset.add(cell(s, "reencode", positions(s).get(0)));
            }
        }
        Map<String, Cell> byId = new LinkedHashMap<>();
        Map<String, Path> clips = new LinkedHashMap<>();
        for (CompletableFuture<Cell> f : subset) {
            Cell c = f.join();
            String id = c.key().replace(" | ", "_").replace(' ', '-');
            byId.put(id, c);
            if (c.clip() != null) {
                clips.put(id, c.clip());
            }
        }
        List<DynamicNode> nodes = new ArrayList<>();
        for (ClipPlayback.Engine engine : ClipPlayback.Engine.values()) {
            long t0 = System.nanoTime();
            Map<String, ClipPlayback.Played> played = ClipPlayback.play(engine, clips, WORK);
            System.out.printf(Locale.ROOT, "FIGURE %s played %d of %d clips in %.1f s%n", engine, played.size(), clips.size(),
                    (System.nanoTime() - t0) / 1e9);
            List<DynamicNode> tests = new ArrayList<>();
            for (Map.Entry<String, Cell> e : byId.entrySet()) {
                Cell c = e.getValue();
                ClipPlayback.Played p = played.get(e.getKey());
                Map<String, Verdict> v = browserVerdicts(engine, c, p);
                matrix.computeIfAbsent(c.key(), k -> new ConcurrentHashMap<>()).putAll(v);
                for (Verdict verdict : v.values()) {
                    tests.add(DynamicTest.dynamicTest(engine + " " + c.key() + ": " + verdict.check(), () ->
                            assertThat(verdict.ok()).as("%s %s: %s — %s", engine, c.key(), verdict.check(), verdict.figures()).isTrue()));
                }
            }
            nodes.add(DynamicContainer.dynamicContainer(engine.name(), tests));
        }
        return nodes.stream();
    }

    static Map<String, Verdict> browserVerdicts(ClipPlayback.Engine engine, Cell c, ClipPlayback.Played p) {
        String e = engine == ClipPlayback.Engine.CHROMIUM ? "Chromium" : "Firefox";
        Map<String, Verdict> v = new LinkedHashMap<>();
        if (c.clip() == null || p == null) {
            String why = c.clip() == null ? "no clip: " + c.refused() : "the page reported nothing";
            for (String check : List.of(" plays to the end", " duration", " first frame")) {
                v.put(e + check, new Verdict(e + check, false, why));
            }
            return v;
        }
        double want = c.position().to() - c.position().from();
        double key = c.source().keyframeAtOrBefore(c.position().from());
        // Firefox ignores MP4 edit lists: a stream-copied clip shows its lead-in from the keyframe before
        // (in sync, as the A/V checks with the edit list ignored show); that is what copy is, and why
        // downloads are exact by default. The lead-in must then be all it adds.
        boolean leadIn = engine == ClipPlayback.Engine.FIREFOX && "copy".equals(c.mode());
        double lead = leadIn ? c.source().frameAt(c.position().from()) - key : 0;
        // it ends where the clip ends: not a frame past it, and not after a lead-in that the edit list hides.
        // Firefox ends with the longer track as the file holds it: the sound's last AAC frame (21.3 ms at
        // 48 kHz) covers the clip's end and is cut there only by the edit list, so up to one sound frame
        // more is the end (measured 15-17 ms past it); a picture frame more (33 ms) is not.
        double soundFrame = 1024 / 48000.0;
        boolean endsRight = p.currentTime() >= lead + want - FRAME
                && p.currentTime() <= lead + want + (leadIn ? FRAME : 0) + Math.max(FRAME / 2, soundFrame + 0.001);
        v.put(e + " plays to the end", new Verdict(e + " plays to the end", p.ended() && p.error().isEmpty() && endsRight,
                String.format(Locale.ROOT, "ended %s at %.3f s (want %.3f s%s) in %d ms%s", p.ended(), p.currentTime(), lead + want,
                        leadIn ? String.format(Locale.ROOT, ": %.3f s lead-in, edit list ignored", lead) : "", p.millis(),
                        p.error().isEmpty() ? "" : ", " + p.error())));
        v.put(e + " duration", new Verdict(e + " duration", Math.abs(p.duration() - want) <= FRAME + 0.002,
                String.format(Locale.ROOT, "duration %.3f s, want %.3f s", p.duration(), want)));
        if (p.thumb() == null) {
            v.put(e + " first frame", new Verdict(e + " first frame", false, "no picture drawn: " + p.error()));
            return v;
        }
        double atFrom = ClipPlayback.difference(p.thumb(), ClipPlayback.thumbnail(
                ClipCheck.reference(c.source(), c.source().frameAt(c.position().from()))));
        double atKey = ClipPlayback.difference(p.thumb(), ClipPlayback.thumbnail(ClipCheck.reference(c.source(), key)));
        boolean onKeyframe = Math.abs(key - c.source().frameAt(c.position().from())) < 1e-6;
        boolean ok = leadIn ? atKey <= 6 && (onKeyframe || atKey < atFrom) : atFrom <= 6 && (onKeyframe || atFrom < atKey);
        v.put(e + " first frame", new Verdict(e + " first frame", ok, String.format(Locale.ROOT,
                "mean grey difference %.1f to the frame at %.3f s, %.1f to the keyframe at %.3f s%s", atFrom,
                c.source().frameAt(c.position().from()), atKey, key,
                leadIn ? " (copy in Firefox: the lead-in's keyframe first)" : ok ? "" : atKey < atFrom ? " (shows the lead-in)" : " (wrong frame)")));
        return v;
    }

    // --- recordings whose header lacks their length, not yet probed, still being written -----------------

    @Test
    @Order(3)
    void theCrashedRecordingIsListedWithItsLengthFramedAndFilmstripped() {
        org.junit.jupiter.api.Assumptions.assumeTrue(selected("mkv-crashed", "listing", ""), "not in -Dscheincam.obs-media.only");
        Source crashed = corpus.source("mkv-crashed");
        String name = NAMES.get(crashed.id());
        JsonNode info = json(app.get("/api/videos/" + name));
        matrixNote("mkv-crashed | listing", info.path("duration").isNumber()
                && Math.abs(info.path("duration").asDouble() - crashed.end()) <= 0.1 && !info.path("end_time").isNull(),
                "duration " + info.path("duration") + " (frames: " + String.format(Locale.ROOT, "%.3f", crashed.end())
                        + "), end_time " + info.path("end_time"));
        HttpResponse<String> frame = app.post("/api/videos/frame", "{\"filename\":\"" + name + "\",\"timestamp\":\""
                + wall(name, 10) + "\"}");
        matrixNote("mkv-crashed | frame at 10 s", frame.statusCode() == 200, frame.statusCode() + " "
                + (frame.statusCode() == 200 ? "image" : frame.body()));
        assertThat(info.path("duration").isNumber()).as("crashed mkv listed with a duration: %s", info).isTrue();
        assertThat(info.path("duration").asDouble()).as("its length from its frames").isCloseTo(crashed.end(),
                org.assertj.core.data.Offset.offset(0.1));
        assertThat(info.path("end_time").isNull()).as("end_time %s", info).isFalse();
        assertThat(frame.statusCode()).as(frame.body()).isEqualTo(200);
        assertThat(json(frame).path("image").asText()).startsWith("data:image/jpeg;base64,");

        // its filmstrip: a tile every 5 s up to its last frame, and the sprite holding them
        HttpResponse<String> strip = app.get("/api/videos/" + name + "/filmstrip?every=5");
        int tiles = (int) Math.ceil(crashed.end() / 5);
        HttpResponse<byte[]> sprite = strip.statusCode() == 200
                ? app.getBytes(json(strip).path("sprite_url").asText()) : null;
        boolean stripOk = strip.statusCode() == 200 && json(strip).path("count").asInt() == tiles
                && sprite != null && sprite.statusCode() == 200
                && sprite.headers().firstValue("Content-Type").orElse("").equals("image/jpeg");
        matrixNote("mkv-crashed | filmstrip every 5 s", stripOk, strip.statusCode() + " " + (strip.statusCode() == 200
                ? json(strip).path("count") + " tiles (want " + tiles + "), sprite " + (sprite == null ? "-" : sprite.statusCode() + " "
                + sprite.headers().firstValue("Content-Type").orElse("") + ", " + sprite.body().length + " bytes") : strip.body()));
        assertThat(stripOk).as("filmstrip of the crashed recording: %s", strip.body()).isTrue();
        assertThat(de.scheincam.testing.Pictures.jpeg(sprite.body()).getWidth()).as("sprite width").isGreaterThan(0);
    }

    @Test
    @Order(4)
    void aListedRecordingIsExportedRightAfterTheStart() {
        org.junit.jupiter.api.Assumptions.assumeTrue(selected("mkv-adv-2track", "right after the start", ""),
                "not in -Dscheincam.obs-media.only");
        HttpResponse<String> r = rightAfterStart;
        matrixNote("mkv-adv-2track | export right after the app started", r.statusCode() == 200 || r.statusCode() == 202,
                r.statusCode() + " " + r.body());
        assertThat(r.statusCode()).as(r.body()).isIn(200, 202);
    }

    @Test
    @Order(5)
    void aMatroskaRecordingStillBeingWrittenIsCutUpToItsLastFrames() {
        org.junit.jupiter.api.Assumptions.assumeTrue(selected("mkv-live", "copy", "near the live end"), "not in -Dscheincam.obs-media.only");
        HttpResponse<String> started = app.post("/api/recordings/start", "", TestApp.admin());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        Path file = app.videos.resolve(json(started).path("filename").asText());
        try {
            double[] lastFrame = {0};
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
                lastFrame[0] = ObsCorpus.describe("live", "growing", file, "Simple", "CBR", false).lastFrame();
                return lastFrame[0] >= 12;
            });
            Source growing = ObsCorpus.describe("mkv-live", "Simple output, x264 CBR, Matroska, still being written",
                    file, "Simple", "CBR", false);
            String name = file.getFileName().toString().replace(".mkv", "");
            NAMES.put(growing.id(), name);
            double edge = growing.lastFrame();
            Position p = new Position("near the live end", growing.frameAt(edge - 2.5), growing.frameAt(edge - 0.5));
            List<String> failures = new ArrayList<>();
            for (String mode : List.of("copy", "exact")) {
                Cell c = cut(growing, mode, p);
                for (Verdict v : c.verdicts().values()) {
                    if (!v.ok() && !v.check().equals("mediainfo")) {
                        failures.add(mode + " " + v.check() + ": " + v.figures());
                    }
                }
            }
            System.out.printf(Locale.ROOT, "FIGURE live edge: last frame in the file %.3f s, clip %.3f–%.3f s%n", edge, p.from(), p.to());
            assertThat(failures).as("clips 0.5 s behind the last frame OBS wrote").isEmpty();
        } finally {
            app.post("/api/recordings/stop", "", TestApp.admin());
        }
    }

    /**
     * A performer scrubbing each recording OBS wrote (every format, encoder and the killed one): forward a
     * second at a time across keyframes (the decoder walks on within a GOP), then back (it seeks). Each
     * JPEG must show the frame ffmpeg shows at that time (its -ss: the first frame at or after it),
     * decoding from the keyframe: nearer to it than to the frame before or after it (the corpus camera's
     * bands change every frame). Measured on this camera: 26–28 dB to its own frame (scaled to 800×450 by
     * a different scaler, then JPEG), 20–24 dB to its neighbours.
     */
    @Test
    @Order(6)
    void scrubbingEveryRecordingShowsTheFrameFfmpegShowsAtEachTime() {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Source s : corpus.sources()) {
            if (!selected(s.id(), "scrub", "frames")) {
                continue;
            }
            String name = NAMES.get(s.id());
            List<Double> times = new ArrayList<>();
            double until = Math.min(s.keyframes().get(Math.min(2, s.keyframes().size() - 1)) + 0.6, s.lastFrame() - 0.5);
            for (double x = s.start() + 0.5; x < until && times.size() < 12; x += 1) {
                times.add(x);
            }
            for (double x = times.get(times.size() - 1) - 0.35; x > s.start() + 0.1 && times.size() < 18; x -= 1.3) {
                times.add(x);
            }
            int wrong = 0;
            for (double x : times) {
                double frame = s.frameAt(x);
                // the frame's own start, to the millisecond below (an MP4's 1/30 s times lie between milliseconds)
                HttpResponse<String> r = app.post("/api/videos/frame", "{\"filename\":\"" + name + "\",\"timestamp\":\""
                        + wall(name, frame, true) + "\"}");
                if (r.statusCode() != 200) {
                    failures.add(s.id() + " at " + frame + ": " + r.statusCode() + " " + r.body());
                    wrong++;
                    continue;
                }
                java.awt.image.BufferedImage shown = de.scheincam.testing.Pictures.dataUrl(json(r).path("image").asText());
                double exact = psnrToSource(shown, s, frame);
                double before = frame > s.frames().get(0) ? psnrToSource(shown, s, s.frameAt(frame - 1e-3)) : 0;
                double after = frame < s.lastFrame() ? psnrToSource(shown, s, s.frameAt(frame + FRAME + 1e-3)) : 0;
                checked++;
                if (exact < 24 || exact < Math.max(before, after) + 2) {
                    wrong++;
                    failures.add(String.format(Locale.ROOT, "%s at %.3f s: %.1f dB to its frame, %.1f before, %.1f after",
                            s.id(), frame, exact, before, after));
                }
            }
            matrixNote(s.id() + " | scrub " + times.size() + " frames", wrong == 0, wrong + " wrong of " + times.size());
        }
        System.out.println("FIGURE scrub on real OBS recordings: " + checked + " frames checked, " + failures.size() + " wrong");
        assertThat(failures).as("frames while scrubbing, against ffmpeg's").isEmpty();
    }

    /**
     * Each recording OBS wrote, downloaded through the API (sendfile): the very bytes of the file, whole
     * and as a byte range from its middle, with the headers a browser needs to save it.
     */
    @Test
    @Order(7)
    void everyRecordingIsDownloadedByteForByteWholeAndInRanges() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(selected("downloads", "whole and ranges", ""), "not in -Dscheincam.obs-media.only");
        for (Source s : corpus.sources()) {
            String name = NAMES.get(s.id());
            Path file = app.videos.resolve(name + "." + s.container());
            byte[] bytes = Files.readAllBytes(file);
            HttpResponse<byte[]> whole = app.getBytes("/api/videos/" + name + "/download");
            assertThat(whole.statusCode()).as(s.id()).isEqualTo(200);
            // saved under the venue's name for the evening, with the recording's own extension
            assertThat(whole.headers().firstValue("Content-Disposition").orElse("")).as(s.id())
                    .startsWith("attachment; filename=").contains("." + s.container() + "\"");
            assertThat(whole.body()).as(s.id() + ": the file's own bytes").isEqualTo(bytes);
            int from = bytes.length / 3;
            int to = from + 1_000_000;
            HttpResponse<byte[]> part = app.getBytes("/api/videos/" + name + "/download", "Range", "bytes=" + from + "-" + to);
            assertThat(part.statusCode()).as(s.id()).isEqualTo(206);
            assertThat(part.headers().firstValue("Content-Range").orElse(""))
                    .isEqualTo("bytes " + from + "-" + to + "/" + bytes.length);
            assertThat(part.body()).as(s.id() + ": the range's bytes").isEqualTo(java.util.Arrays.copyOfRange(bytes, from, to + 1));
            matrixNote(s.id() + " | download", true, bytes.length + " bytes, whole and one range identical");
        }
    }

    /** PSNR of {@code shown} to the source's frame that starts at {@code frame}, scaled as the app scales. */
    private static double psnrToSource(java.awt.image.BufferedImage shown, Source s, double frame) {
        // a hair before the frame's own time: ffmpeg keeps the first frame at or after the seek point
        return de.scheincam.testing.Pictures.psnr(shown,
                de.scheincam.testing.Media.frameByFfmpeg(s.path(), frame - 0.0005, shown.getWidth(), shown.getHeight()));
    }

    // --- the report -----------------------------------------------------------------------------------

    private static void matrixNote(String row, boolean ok, String figures) {
        matrix.computeIfAbsent(row, k -> new ConcurrentHashMap<>()).put("result", new Verdict("result", ok, figures));
    }

    private static void writeMatrix() throws IOException {
        List<String> columns = new ArrayList<>();
        for (Map<String, Verdict> row : matrix.values()) {
            for (String c : row.keySet()) {
                if (!columns.contains(c)) {
                    columns.add(c);
                }
            }
        }
        List<String> order = List.of("export", "decode", "duration", "first frame", "first frame (edit list ignored)",
                "A/V sync", "A/V sync (edit list ignored)", "audio tracks", "mediainfo");
        columns.sort(java.util.Comparator.comparingInt(c -> order.contains(c) ? order.indexOf(c) : 100 + c.length() % 7));
        StringBuilder md = new StringBuilder("# Real-OBS media matrix (issue 12)\n\n");
        md.append("Corpus: ").append(corpus.manifestFile()).append("; checks by Debian ffmpeg/ffprobe 5.1, mediainfo, Chromium, Firefox ESR.\n\n");
        md.append("| source | mode | position | ").append(String.join(" | ", columns)).append(" |\n|");
        md.append("---|".repeat(3 + columns.size())).append('\n');
        List<String> rows = new ArrayList<>(matrix.keySet());
        rows.sort(null);
        StringBuilder failures = new StringBuilder("\n## Failing cells\n\n");
        int fails = 0;
        int total = 0;
        for (String row : rows) {
            String[] parts = (row + " |  | ").split(" \\| ");
            md.append("| ").append(parts[0]).append(" | ").append(parts.length > 1 ? parts[1] : "").append(" | ")
                    .append(parts.length > 2 ? parts[2] : "").append(" |");
            for (String c : columns) {
                Verdict v = matrix.get(row).get(c);
                md.append(' ').append(v == null ? "" : v.ok() ? "✓" : "✗").append(" |");
                if (v != null) {
                    total++;
                    if (!v.ok()) {
                        fails++;
                        failures.append("- ").append(row).append(" — ").append(c).append(": ").append(v.figures()).append('\n');
                    }
                }
            }
            md.append('\n');
        }
        md.append("\n").append(fails).append(" of ").append(total).append(" checks fail.\n").append(failures);
        md.append("\n## Figures of every cell\n\n");
        for (String row : rows) {
            md.append("- **").append(row).append("**\n");
            for (Verdict v : matrix.get(row).values()) {
                md.append("  - ").append(v.ok() ? "✓ " : "✗ ").append(v.check()).append(": ").append(v.figures()).append('\n');
            }
        }
        Files.writeString(Path.of("target", "obs-media-matrix.md"), md);
        System.out.println(md);
    }

    static {
        try {
            Files.createDirectories(WORK);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
