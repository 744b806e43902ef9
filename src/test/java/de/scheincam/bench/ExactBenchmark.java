package de.scheincam.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import de.scheincam.testing.TestApp;

import static org.awaitility.Awaitility.await;

/**
 * Smart cut's speed against its floor (bin/benchmark.sh): 5-minute {@code exact} clips through the
 * HTTP API vs the same head encode by ffmpeg alone, and {@code copy} vs a raw copy of its bytes, on a
 * recording real OBS made in this run (720p, Simple CBR, 400 s asked, ≥ 6 minutes of frames on a loaded machine; cached in target/bench/) and on the
 * generated 60-minute recording. Appends to target/benchmark-exact.md.
 */
public final class ExactBenchmark {

    private static final String NAME = "25-01-24_19-50-00";

    public static void main(String[] args) throws Exception {
        StringBuilder rows = new StringBuilder();
        StringBuilder notes = new StringBuilder();
        Path obs = ObsRecording.recorded(Path.of("target/bench/obs29-simple-cbr-720p-6min.mkv").toAbsolutePath(), 400);
        measure("real OBS 29, 720p, 6.2 min", obs, new double[] {37.3, 61.1}, rows, notes);
        if (!(args.length > 0 && "--obs-only".equals(args[0]))) {
            Path generated = CoreBenchmark.recording(Path.of("target/bench/show-60min-720p-gop250.mkv").toAbsolutePath());
            measure("generated 60 min, 720p", generated, new double[] {20 * 60 + 7.3, 50 * 60 + 3.1}, rows, notes);
        }
        String report = """
                # Smart cut against its floor

                | measure | median | best | ratio (medians) | ratio (best) | target |
                |---|---|---|---|---|---|
                """ + rows + "\n" + notes + "\nMachine: " + Runtime.getRuntime().availableProcessors() + " cores.\n";
        System.out.println(report);
        Files.writeString(Path.of("target/benchmark-exact.md"), report);
    }

    private static void measure(String label, Path source, double[] starts, StringBuilder rows, StringBuilder notes)
            throws Exception {
        Path home = TestApp.newHome();
        Files.createLink(home.resolve("videos/" + NAME + ".mkv"), source);
        try (TestApp app = TestApp.start(home, ExportSpeed.settings())) {
            await().atMost(Duration.ofMinutes(2)).until(() ->
                    TestApp.json(app.get("/api/videos/" + NAME)).path("duration").isNumber());
            String out = new ExportSpeed(app, source, NAME).exactRows(label, starts, 5);
            int split = out.indexOf("\n\n");
            rows.append(out, 0, split + 1);
            notes.append(out.substring(split + 2));
        }
    }
}
