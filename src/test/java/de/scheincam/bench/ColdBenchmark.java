package de.scheincam.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import de.scheincam.testing.Media;
import de.scheincam.testing.RawHttp;
import de.scheincam.testing.TestApp;

/**
 * The app cold, as a venue meets it after a restart (bin/benchmark.sh): a fresh JVM each time, started
 * with a plain {@code java -jar} (settings only, no JVM flags), in a fresh home holding the 60-minute
 * recording. Per start: seconds to the first answer, RSS 5 s after it, the first 20 frames at random
 * wall-clock times (each a new connection; the first one on its own), the first 5-minute export (mode
 * copy) against a copy of the same bytes from the page cache, then 20 frames once warm (after 60 more).
 * Medians over {@link #STARTS} starts. Arguments: jars to compare, as {@code label=path} (default: this
 * build's {@code target/scheincam.jar}); their starts alternate. Appends to target/benchmark.md.
 */
public final class ColdBenchmark {

    private static final String NAME = "25-01-24_19-50-00";
    private static final int STARTS = 3;
    private static final int COLD_FRAMES = 20;
    private static final double EXPORT_START = 20 * 60 + 7.3;

    /** One start's figures. */
    record Start(double firstAnswer, double rssMb, double firstFrame, double coldP50, double warmP50,
                 double export, double rawCopy) {
    }

    private ColdBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path source = CoreBenchmark.recording(Path.of("target/bench/show-60min-720p-gop250.mkv").toAbsolutePath());
        Map<String, Path> jars = new LinkedHashMap<>();
        for (String arg : args) {
            jars.put(arg.substring(0, arg.indexOf('=')), Path.of(arg.substring(arg.indexOf('=') + 1)).toAbsolutePath());
        }
        if (jars.isEmpty()) {
            jars.put("now", Path.of("target/scheincam.jar").toAbsolutePath());
        }
        Map<String, List<Start>> runs = new LinkedHashMap<>();
        jars.keySet().forEach(label -> runs.put(label, new ArrayList<>()));
        long[] range = byteRange(source, EXPORT_START, 300);
        for (int i = 0; i < STARTS; i++) {
            for (Map.Entry<String, Path> jar : jars.entrySet()) {
                Start s = once(jar.getValue(), source, range, new Random(100 + i));
                System.out.println(jar.getKey() + " start " + (i + 1) + ": " + s);
                runs.get(jar.getKey()).add(s);
            }
        }
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, """

                # Cold benchmark

                A fresh JVM each time (`java -jar`, no JVM flags, a fresh home with the 60-minute recording),
                medians of %d starts per jar, starts of the jars alternating. Frames: random wall-clock times,
                each a new connection. Export: 5 minutes from 20:07.3, mode `copy`, HTTP end to end, against a
                copy of its bytes from the page cache (median of 3). Machine: %d cores.

                | jar | first answer | RSS 5 s later | first frame | first 20 frames p50 | warm frames p50 | first export | ratio to the copy |
                |---|---|---|---|---|---|---|---|
                """, STARTS, Runtime.getRuntime().availableProcessors()));
        for (Map.Entry<String, List<Start>> e : runs.entrySet()) {
            List<Start> r = e.getValue();
            md.append(String.format(Locale.ROOT, "| %s | %.2f s | %.0f MB | %.0f ms | %.0f ms | %.0f ms | %.3f s | %.2f× |%n",
                    e.getKey(), median(r, Start::firstAnswer), median(r, Start::rssMb), median(r, Start::firstFrame) * 1000,
                    median(r, Start::coldP50) * 1000, median(r, Start::warmP50) * 1000, median(r, Start::export),
                    median(r, s -> s.export() / s.rawCopy())));
        }
        md.append("\nTargets (issue 18): first answer ≤ 2 s with ≤ 200 MB; first 20 frames p50 ≤ 100 ms, warm ≤ 60 ms;"
                + " first export ≤ 2× the copy.\n");
        System.out.println(md);
        Files.writeString(Path.of("target/benchmark.md"), md.toString(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static Start once(Path jar, Path source, long[] range, Random random) throws Exception {
        Path home = TestApp.newHome();
        Files.createLink(home.resolve("videos/" + NAME + ".mkv"), source);
        int port = ServingBenchmark.freePort();
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dcamel.server.port=" + port, "-Dscheincam.schedule.enabled=false", "-Dscheincam.watchdog.enabled=false",
                "-Dscheincam.obs.port=" + ServingBenchmark.freePort(), // no OBS: as on a venue PC before OBS starts
                "-Dscheincam.rates.frames.per-minute=0", "-Dscheincam.rates.exports.per-minute=0",
                "-Dscheincam.frame.read-limit-millis=60000", // a loaded machine is not a damaged file
                "-jar", jar.toString());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(home.resolve("console.log").toFile());
        pb.environment().put("SCHEINCAM_HOME", home.toString());
        pb.environment().put("SCHEINCAM_ADMIN_TOKEN", TestApp.ADMIN_TOKEN);
        long t0 = System.nanoTime();
        Process process = pb.start();
        try {
            double firstAnswer = firstAnswer(process, port, t0, home);
            TimeUnit.SECONDS.sleep(5);
            double rss = ServingBenchmark.rssMegabytes(process.pid());
            waitForProbe(port);
            List<Double> cold = new ArrayList<>();
            for (int i = 0; i < COLD_FRAMES; i++) {
                cold.add(ScrubBenchmark.frame(port, random.nextInt(3590_000)));
            }
            double export = export(port, home);
            List<Double> copies = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                copies.add(rawCopy(source, range));
            }
            for (int i = 0; i < 60; i++) {
                ScrubBenchmark.frame(port, random.nextInt(3590_000));
            }
            List<Double> warm = new ArrayList<>();
            for (int i = 0; i < COLD_FRAMES; i++) {
                warm.add(ScrubBenchmark.frame(port, random.nextInt(3590_000)));
            }
            return new Start(firstAnswer, rss, cold.get(0), CoreBenchmark.percentile(cold, 50),
                    CoreBenchmark.percentile(warm, 50), export, CoreBenchmark.median(copies));
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Seconds from starting the process to the first 200 of /api/ping. */
    private static double firstAnswer(Process process, int port, long t0, Path home) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        HttpRequest ping = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/ping"))
                .timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(60)) {
            try {
                if (http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return (System.nanoTime() - t0) / 1e9;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the jar exited: see " + home.resolve("console.log"));
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        throw new IllegalStateException("no answer within 60 s: see " + home.resolve("console.log"));
    }

    private static void waitForProbe(int port) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!RawHttp.get(port, "/api/videos/" + NAME).json().path("duration").isNumber()) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("the recording was not probed within 2 minutes");
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    /** The first export after start, HTTP end to end (following its job if it answers 202): seconds. */
    private static double export(int port, Path home) throws Exception {
        long t0 = System.nanoTime();
        long from = (long) (EXPORT_START * 1000);
        RawHttp.Answer answer = RawHttp.postJson("127.0.0.1", port, "/api/videos/export", "{\"filename\":\"" + NAME
                + "\",\"start_time\":\"" + ScrubBenchmark.hms(from) + "\",\"end_time\":\"" + ScrubBenchmark.hms(from + 300_000)
                + "\",\"mode\":\"copy\"}");
        JsonNode job = answer.json();
        while (List.of("queued", "running").contains(job.path("state").asText())) {
            TimeUnit.MILLISECONDS.sleep(20);
            job = RawHttp.get(port, "/api/exports/" + job.path("job_id").asText()).json();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (!"done".equals(job.path("state").asText())) {
            throw new IllegalStateException("export not done: " + answer.status() + " " + job);
        }
        Files.deleteIfExists(home.resolve("videos").resolve(job.path("filepath").asText()));
        return seconds;
    }

    /** The clip's bytes (from 10 s before its start, the keyframe before it included, to its end) copied as cp would. */
    private static double rawCopy(Path source, long[] range) throws IOException {
        Path out = source.resolveSibling("cold-raw-copy.bin");
        long t0 = System.nanoTime();
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
             FileChannel dst = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING)) {
            long done = 0;
            while (done < range[1] - range[0]) {
                done += in.transferTo(range[0] + done, range[1] - range[0] - done, dst);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Files.delete(out);
        return seconds;
    }

    private static long[] byteRange(Path source, double start, double seconds) {
        return new long[] {packetPosition(source, start - 10), packetPosition(source, start + seconds)};
    }

    private static long packetPosition(Path source, double seconds) {
        String csv = Media.run(List.of(Media.FFMPEG.ffprobe(), "-v", "error", "-select_streams", "v:0",
                "-read_intervals", String.format(Locale.ROOT, "%.3f%%+#1", seconds),
                "-show_entries", "packet=pos", "-of", "csv=p=0", source.toString())).trim();
        return Long.parseLong(csv.lines().findFirst().orElseThrow().trim().replace(",", ""));
    }

    private static double median(List<Start> runs, java.util.function.ToDoubleFunction<Start> value) {
        List<Double> values = new ArrayList<>();
        runs.forEach(r -> values.add(value.applyAsDouble(r)));
        return CoreBenchmark.median(values);
    }
}
