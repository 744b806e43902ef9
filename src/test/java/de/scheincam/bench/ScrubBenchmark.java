package de.scheincam.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import de.scheincam.testing.RawHttp;
import de.scheincam.testing.TestApp;

import static org.awaitility.Awaitility.await;

/**
 * Frames while scrubbing (bin/benchmark.sh): a performer drags the slider forward through their act,
 * a frame a second apart, 60 in a row. Two apps on the same 60-minute recording as the other
 * benchmarks, one walking forward from its last frame (the default) and one seeking to the keyframe for
 * every frame ({@code scheincam.frame.walk-forward=false}, the behaviour before), asked in turn step by
 * step, so both see the same machine. Each request as a browser's first: a new connection, JSON in and
 * out. Three such scrubs at different places of the show, after a warm-up. Appends to
 * target/benchmark.md.
 */
public final class ScrubBenchmark {

    private static final String NAME = "25-01-24_19-50-00";
    private static final int STEPS = 60;
    private static final int[] STARTS = {7 * 60 + 13, 23 * 60 + 41, 48 * 60 + 5};

    private ScrubBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path source = CoreBenchmark.recording(Path.of("target/bench/show-60min-720p-gop250.mkv").toAbsolutePath());
        Path walkHome = TestApp.newHome();
        Path seekHome = TestApp.newHome();
        Files.createLink(walkHome.resolve("videos/" + NAME + ".mkv"), source);
        Files.createLink(seekHome.resolve("videos/" + NAME + ".mkv"), source);
        // one client scrubbing faster than a phone's slider: no per-client rate; a machine shared with
        // other work may take longer than the damaged-file limit for a frame (it would answer 422)
        Map<String, String> common = Map.of("scheincam.rates.frames.per-minute", "0", "scheincam.frame.read-limit-millis", "60000");
        List<Double> walking = new ArrayList<>();
        List<Double> seeking = new ArrayList<>();
        List<String> perScrub = new ArrayList<>();
        try (TestApp walk = TestApp.start(walkHome, common);
             TestApp seek = TestApp.start(seekHome, with(common, "scheincam.frame.walk-forward", "false"))) {
            for (TestApp app : List.of(walk, seek)) {
                await().atMost(Duration.ofMinutes(2)).until(() ->
                        TestApp.json(app.get("/api/videos/" + NAME)).path("duration").isNumber());
            }
            // warm-up: the JIT, the decoders opened, each recording's one-time B-frame check
            Random random = new Random(7);
            for (int i = 0; i < 40; i++) {
                int second = random.nextInt(3590);
                frame(walk.port, second * 1000);
                frame(seek.port, second * 1000);
            }
            for (int start : STARTS) {
                List<Double> w = new ArrayList<>();
                List<Double> s = new ArrayList<>();
                for (int step = 0; step < STEPS; step++) {
                    long millis = start * 1000L + step * 1000L + 250; // off the frame grid, as a slider is
                    if (step % 2 == 0) {
                        w.add(frame(walk.port, millis));
                        s.add(frame(seek.port, millis));
                    } else {
                        s.add(frame(seek.port, millis));
                        w.add(frame(walk.port, millis));
                    }
                }
                walking.addAll(w);
                seeking.addAll(s);
                perScrub.add(String.format(Locale.ROOT, "from %d:%02d, %.0f vs %.0f ms", start / 60, start % 60,
                        CoreBenchmark.percentile(w, 50) * 1000, CoreBenchmark.percentile(s, 50) * 1000));
            }
        }
        String md = String.format(Locale.ROOT, """

                # Scrub benchmark

                60 frames one second apart (a slider dragged forward), three times (from %s into the show), on the 60-minute
                1280×720 recording (GOP 250, mkv); every frame a new connection, JSON in and out. Walking
                forward from the last frame (now) and seeking to the keyframe for every frame (before,
                `scheincam.frame.walk-forward=false`) asked in turn, step by step. Machine: %d cores.

                | measure | p50 | p90 | target |
                |---|---|---|---|
                | scrubbing, walking forward (now) | %.0f ms | %.0f ms | p50 ≤ 30 ms |
                | scrubbing, every frame from its keyframe (before) | %.0f ms | %.0f ms | |
                | ratio before / now (p50) | %.1f× | | |

                Per scrub, p50 now vs before: %s.
                """, java.util.Arrays.stream(STARTS).mapToObj(t -> t / 60 + ":" + String.format(Locale.ROOT, "%02d", t % 60))
                        .collect(java.util.stream.Collectors.joining(", ")),
                Runtime.getRuntime().availableProcessors(),
                CoreBenchmark.percentile(walking, 50) * 1000, CoreBenchmark.percentile(walking, 90) * 1000,
                CoreBenchmark.percentile(seeking, 50) * 1000, CoreBenchmark.percentile(seeking, 90) * 1000,
                CoreBenchmark.percentile(seeking, 50) / CoreBenchmark.percentile(walking, 50),
                String.join("; ", perScrub));
        System.out.println(md);
        Files.writeString(Path.of("target/benchmark.md"), md, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** One frame at {@code millis} into the show, as a browser's first request: seconds it took. */
    static double frame(int port, long millis) {
        long t0 = System.nanoTime();
        RawHttp.Answer answer = RawHttp.postJson("127.0.0.1", port, "/api/videos/frame",
                "{\"filename\":\"" + NAME + "\",\"timestamp\":\"" + hms(millis) + "\"}");
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (answer.status() != 200 || !answer.body().contains("\"success\":true")) {
            throw new IllegalStateException("frame at " + hms(millis) + ": " + answer.status() + " " + answer.body());
        }
        return seconds;
    }

    /** The wall-clock time {@code millis} into the show (it starts at 19:50:00). */
    static String hms(long millis) {
        LocalTime t = LocalTime.of(19, 50).plusNanos(millis * 1_000_000);
        return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 1_000_000);
    }

    private static Map<String, String> with(Map<String, String> map, String key, String value) {
        Map<String, String> copy = new java.util.HashMap<>(map);
        copy.put(key, value);
        return copy;
    }
}
