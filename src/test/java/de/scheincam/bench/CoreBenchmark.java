package de.scheincam.bench;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * a 5-minute export in the default mode vs a raw copy of the same bytes, and frame extraction
 * percentiles, on a generated OBS-like 60-minute 1280×720 30 fps H.264 recording (GOP 250, 2 B-frames,
 * CBR 2.5 Mbit/s, AAC 48 kHz). Everything goes through the booted app's HTTP API, as a performer's
 * browser would. Writes target/benchmark.md.
 */
public final class CoreBenchmark {

    private static final String NAME = "25-01-24_19-50-00";
    private static final int RUNS = 7;

    public static void main(String[] args) throws Exception {
        Path source = recording(Path.of("target/bench/show-60min-720p-gop250.mkv").toAbsolutePath());
        Path home = TestApp.newHome();
        Files.createLink(home.resolve("videos/" + NAME + ".mkv"), source);
        try (TestApp app = TestApp.start(home, Map.of("scheincam.export.max-clip-minutes", "10"))) {
            await().atMost(Duration.ofMinutes(2)).until(() ->
                    TestApp.json(app.get("/api/videos/" + NAME)).path("duration").isNumber());
            double[] starts = {20 * 60 + 7.3, 50 * 60 + 3.1};
            List<Double> export = new ArrayList<>();
            List<Double> raw = new ArrayList<>();
            List<Double> exportFfmpegOnly = new ArrayList<>();
            List<Double> ffmpegFloor = new ArrayList<>();
            // warm-up: page cache and JIT, as on a venue PC that has the show's file hot
            exportOnce(app, starts[0]);
            rawCopy(source, starts[0]);
            for (int i = 0; i < RUNS; i++) {
                double s = starts[i % 2];
                raw.add(rawCopy(source, s));
                export.add(exportOnce(app, s));
                exportFfmpegOnly.add(ffmpegOnly(source, s));
                ffmpegFloor.add(ffmpegNull(source, s));
            }
            List<Double> frames = new ArrayList<>();
            Random random = new Random(42);
            for (int i = 0; i < 5; i++) {
                frameOnce(app, 600);
            }
            for (int i = 0; i < 60; i++) {
                frames.add(frameOnce(app, random.nextInt(3590)));
            }
            String report = report(median(export), median(raw), median(exportFfmpegOnly), median(ffmpegFloor),
                    percentile(frames, 50), percentile(frames, 95));
            System.out.println(report);
            Files.writeString(Path.of("target/benchmark.md"), report);
        }
    }

    private static double exportOnce(TestApp app, double startSeconds) throws IOException {
        LocalTime start = LocalTime.of(19, 50).plusNanos((long) (startSeconds * 1e9));
        LocalTime end = start.plusMinutes(5);
        long t0 = System.nanoTime();
        JsonNode job = TestApp.json(app.post("/api/videos/export", "{\"filename\":\"" + NAME + "\",\"start_time\":\""
                + hms(start) + "\",\"end_time\":\"" + hms(end) + "\"}"));
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (!"done".equals(job.path("state").asText())) {
            throw new IllegalStateException("export not done: " + job);
        }
        Files.delete(app.videos.resolve(job.path("filepath").asText()));
        return seconds;
    }

    /** ffmpeg's own share: the same command line the app runs, without HTTP, job and verification. */
    private static double ffmpegOnly(Path source, double startSeconds) throws IOException {
        Path out = source.resolveSibling("ffmpeg-only.mp4");
        long t0 = System.nanoTime();
        Media.run(List.of(Media.FFMPEG.ffmpeg(), "-v", "error", "-y", "-ss", String.format(Locale.ROOT, "%.3f", startSeconds),
                "-i", source.toString(), "-t", "300", "-map", "0:v:0", "-map", "0:a:0?", "-c", "copy",
                "-moov_size", "593536", "-f", "mp4", out.toString()));
        double seconds = (System.nanoTime() - t0) / 1e9;
        Files.delete(out);
        return seconds;
    }

    /** What any ffmpeg-based export costs at least: demux and mux the same packets, writing nothing. */
    private static double ffmpegNull(Path source, double startSeconds) {
        long t0 = System.nanoTime();
        Media.run(List.of(Media.FFMPEG.ffmpeg(), "-v", "error", "-ss", String.format(Locale.ROOT, "%.3f", startSeconds),
                "-i", source.toString(), "-t", "300", "-map", "0:v:0", "-map", "0:a:0?", "-c", "copy", "-f", "null", "-"));
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The physical floor: copying the bytes that hold the clip (keyframe before start to the clip's end). */
    private static double rawCopy(Path source, double startSeconds) throws IOException {
        long from = packetPosition(source, startSeconds - 10);
        long to = packetPosition(source, startSeconds + 300);
        Path out = source.resolveSibling("raw-copy.bin");
        long t0 = System.nanoTime();
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
             FileChannel dst = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING)) {
            long done = 0;
            while (done < to - from) {
                done += in.transferTo(from + done, to - from - done, dst);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Files.delete(out);
        return seconds;
    }

    private static long packetPosition(Path source, double seconds) {
        String csv = Media.run(List.of(Media.FFMPEG.ffprobe(), "-v", "error", "-select_streams", "v:0",
                "-read_intervals", String.format(Locale.ROOT, "%.3f%%+#1", seconds),
                "-show_entries", "packet=pos", "-of", "csv=p=0", source.toString())).trim();
        return Long.parseLong(csv.lines().findFirst().orElseThrow().trim().replace(",", ""));
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

    private static String report(double export, double raw, double ffmpegOnly, double ffmpegFloor,
                                 double frameP50, double frameP95) {
        return String.format(Locale.ROOT, """
                # Core benchmark

                60-minute 1280×720 30 fps H.264 recording (GOP 250, 2 B-frames, CBR 2.5 Mbit/s, AAC), mkv;
                5-minute clips starting off-keyframe at minutes 20 and 50; medians of %d runs, page cache warm.
                Measured through the app's HTTP API. Machine: %d cores.

                | measure | time | ratio | target |
                |---|---|---|---|
                | raw copy of the clip's bytes (floor) | %.3f s | 1.00 | |
                | export, default mode (copy), HTTP end to end incl. ffprobe check | %.3f s | %.2f× raw | ≤ 1.5× |
                | of which ffmpeg alone | %.3f s | %.2f× raw | |
                | ffmpeg demux + mux of the same packets to nothing (any ffmpeg export's floor) | %.3f s | %.2f× raw | |
                | frame at a wall-clock time, p50 | %.0f ms | | ≤ 250 ms |
                | frame at a wall-clock time, p95 | %.0f ms | | |
                """, RUNS, Runtime.getRuntime().availableProcessors(), raw, export, export / raw, ffmpegOnly,
                ffmpegOnly / raw, ffmpegFloor, ffmpegFloor / raw, frameP50 * 1000, frameP95 * 1000);
    }

    private static String hms(LocalTime t) {
        return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 1_000_000);
    }

    private static double median(List<Double> values) {
        return percentile(values, 50);
    }

    private static double percentile(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
