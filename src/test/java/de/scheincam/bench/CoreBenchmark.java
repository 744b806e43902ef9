package de.scheincam.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import de.scheincam.testing.Media;
import de.scheincam.testing.TestApp;

import static org.awaitility.Awaitility.await;

/**
 * The core's speed, measured in one run against its physical floor (bin/benchmark.sh):
 * 5-minute exports per method (default copy, exact, full re-encode) vs a raw copy of the same bytes
 * (see ExportSpeed), and frame extraction percentiles, on a generated OBS-like 60-minute 1280×720 30 fps H.264 recording (GOP 250, 2 B-frames,
 * CBR 2.5 Mbit/s, AAC 48 kHz). Everything goes through the booted app's HTTP API, as a performer's
 * browser would. Writes target/benchmark.md.
 */
public final class CoreBenchmark {

    private static final String NAME = "25-01-24_19-50-00";

    public static void main(String[] args) throws Exception {
        Path source = recording(Path.of("target/bench/show-60min-720p-gop250.mkv").toAbsolutePath());
        Path home = TestApp.newHome();
        Files.createLink(home.resolve("videos/" + NAME + ".mkv"), source);
        try (TestApp app = TestApp.start(home, ExportSpeed.settings())) {
            await().atMost(Duration.ofMinutes(2)).until(() ->
                    TestApp.json(app.get("/api/videos/" + NAME)).path("duration").isNumber());
            ExportSpeed exports = new ExportSpeed(app, source, NAME);
            String exportRows = exports.measure();
            List<Double> frames = new ArrayList<>();
            Random random = new Random(42);
            for (int i = 0; i < 5; i++) {
                frameOnce(app, 600);
            }
            for (int i = 0; i < 60; i++) {
                frames.add(frameOnce(app, random.nextInt(3590)));
            }
            String report = report(exportRows, percentile(frames, 50), percentile(frames, 95), exports.warmUpNote);
            System.out.println(report);
            Files.writeString(Path.of("target/benchmark.md"), report);
        }
    }

    private static double frameOnce(TestApp app, int secondOfShow) {
        LocalTime at = LocalTime.of(19, 50).plusSeconds(secondOfShow);
        long t0 = System.nanoTime();
        JsonNode frame = TestApp.json(app.post("/api/videos/frame",
                "{\"filename\":\"" + NAME + "\",\"timestamp\":\"" + hms(at) + "\"}"));
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (!frame.path("success").asBoolean()) {
            throw new IllegalStateException("frame failed: " + frame);
        }
        return seconds;
    }

    static Path recording(Path file) throws IOException {
        if (Files.exists(file)) {
            return file;
        }
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling("generating-" + file.getFileName());
        System.out.println("Generating the 60-minute benchmark recording once (about 10 minutes on 2 cores)...");
        Media.run(List.of(Media.FFMPEG.ffmpeg(), "-hide_banner", "-v", "error", "-y",
                "-f", "lavfi", "-i", "testsrc2=s=1280x720:r=30:d=3600",
                "-f", "lavfi", "-i", "sine=f=440:d=3600:sample_rate=48000",
                "-c:v", "libx264", "-preset", "veryfast", "-b:v", "2500k", "-maxrate", "2500k", "-minrate", "2500k",
                "-bufsize", "2500k", "-x264-params", "nal-hrd=cbr:keyint=250:min-keyint=250:bframes=2",
                "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "160k", "-shortest", tmp.toString()));
        Files.move(tmp, file);
        return file;
    }

    private static String report(String exportRows, double frameP50, double frameP95, String warmUp) {
        return String.format(Locale.ROOT, """
                # Core benchmark

                60-minute 1280×720 30 fps H.264 recording (GOP 250, 2 B-frames, CBR 2.5 Mbit/s, AAC), mkv;
                5-minute clips starting off-keyframe at minutes 20 and 50; medians (exports: 15 runs, exact 5),
                page cache warm. Measured through the app's HTTP API over one kept-alive connection, after a
                warm-up until the JIT compiler settled (%s); \"best\" is the fastest run. Machine: %d cores.

                | measure | median | best | ratio (medians) | ratio (best) | target |
                |---|---|---|---|---|---|
                %s| frame at a wall-clock time, p50 | %.0f ms | | | | ≤ 250 ms |
                | frame at a wall-clock time, p95 | %.0f ms | | | | |
                """, warmUp, Runtime.getRuntime().availableProcessors(), exportRows, frameP50 * 1000, frameP95 * 1000);
    }

    private static String hms(LocalTime t) {
        return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 1_000_000);
    }

    static double median(List<Double> values) {
        return percentile(values, 50);
    }

    static double percentile(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
