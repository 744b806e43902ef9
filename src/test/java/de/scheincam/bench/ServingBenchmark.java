package de.scheincam.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import de.scheincam.library.Recording;
import de.scheincam.testing.TestApp;

import static org.awaitility.Awaitility.await;

/**
 * How fast ScheinCam serves what viewers ask for most (bin/benchmark.sh, after {@link CoreBenchmark}):
 * frames at a wall-clock time by the ffmpeg program and in-process, measured in the same run on the
 * same 60-minute 720p recording; the filmstrip of that show; {@code GET /api/videos} with 2,000
 * recordings under 50 concurrent clients; and the jar's start-up time and memory, plain and with an
 * AppCDS archive. Appends its Markdown to target/benchmark.md. Arguments, if any, pick parts:
 * {@code frames}, {@code listing}, {@code startup}.
 */
public final class ServingBenchmark {

    private static final String NAME = "25-01-24_19-50-00";
    private static final int FRAMES = 60;
    private static final int RECORDINGS = 2000;
    private static final int CLIENTS = 50;
    private static final int STARTS = 3;

    private ServingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, """

                # Serving benchmark

                Frames and filmstrip on the same 60-minute 1280×720 30 fps H.264 recording (GOP 250, mkv),
                measured through the app's HTTP API, one request at a time, page cache warm. Machine: %d cores.

                | measure | result | target |
                |---|---|---|
                """, Runtime.getRuntime().availableProcessors()));
        List<String> parts = args.length == 0 ? List.of("frames", "listing", "startup") : List.of(args);
        if (parts.contains("frames")) {
            // made only for the part that uses it (10 minutes on 2 cores the first time)
            frames(CoreBenchmark.recording(Path.of("target/bench/show-60min-720p-gop250.mkv").toAbsolutePath()), md);
        }
        if (parts.contains("listing")) {
            listing(md);
        }
        if (parts.contains("startup")) {
            startup(md);
        }
        String report = md.toString();
        System.out.println(report);
        Files.writeString(Path.of("target/benchmark.md"), report, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** The old way (ffmpeg program) and the new (in-process) side by side, alternating, same times. */
    private static void frames(Path source, StringBuilder md) throws IOException {
        Path programHome = TestApp.newHome();
        Path inProcessHome = TestApp.newHome();
        Files.createLink(programHome.resolve("videos/" + NAME + ".mkv"), source);
        Files.createLink(inProcessHome.resolve("videos/" + NAME + ".mkv"), source);
        // the crowd below shares one loopback address: the per-client frame rate would refuse it
        try (TestApp program = TestApp.start(programHome, Map.of("scheincam.frame.decoder", "program",
                "scheincam.rates.frames.per-minute", "0"));
             TestApp inProcess = TestApp.start(inProcessHome, Map.of("scheincam.rates.frames.per-minute", "0"))) {
            for (TestApp app : List.of(program, inProcess)) {
                await().atMost(Duration.ofMinutes(2)).until(() ->
                        TestApp.json(app.get("/api/videos/" + NAME)).path("duration").isNumber());
            }
            // filmstrip first, while nothing of the recording is open or decoded yet
            double stripCold = timed(() -> require(inProcess.get("/api/videos/" + NAME + "/filmstrip?every=60"), "filmstrip"));
            JsonNode strip = TestApp.json(inProcess.get("/api/videos/" + NAME + "/filmstrip?every=60"));
            double stripKept = timed(() -> require(inProcess.get("/api/videos/" + NAME + "/filmstrip?every=60"), "filmstrip"));
            double spriteKept = timed(() -> {
                HttpResponse<byte[]> r = inProcess.getBytes(strip.path("sprite_url").asText());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("sprite: " + r.statusCode());
                }
            });
            List<Double> byProgram = new ArrayList<>();
            List<Double> byDecoder = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                frameOnce(program, 600 + i);
                frameOnce(inProcess, 600 + i);
            }
            Random random = new Random(42);
            for (int i = 0; i < FRAMES; i++) {
                int second = random.nextInt(3590);
                if (i % 2 == 0) {
                    byProgram.add(frameOnce(program, second));
                    byDecoder.add(frameOnce(inProcess, second));
                } else {
                    byDecoder.add(frameOnce(inProcess, second));
                    byProgram.add(frameOnce(program, second));
                }
            }
            md.append(String.format(Locale.ROOT, """
                    | frame at a wall-clock time, ffmpeg program (before), p50 / p95 | %.0f / %.0f ms | |
                    | frame at a wall-clock time, in-process (now), p50 / p95 | %.0f / %.0f ms | ≤ 100 / ≤ 200 ms |
                    | filmstrip, 60 thumbnails of the 60-minute show, computed | %.2f s | ≤ 5 s |
                    | filmstrip again (kept on disk): description / sprite | %.0f / %.0f ms | |
                    """, CoreBenchmark.percentile(byProgram, 50) * 1000, CoreBenchmark.percentile(byProgram, 95) * 1000,
                    CoreBenchmark.percentile(byDecoder, 50) * 1000, CoreBenchmark.percentile(byDecoder, 95) * 1000,
                    stripCold, stripKept * 1000, spriteKept * 1000));
        }
    }

    /**
     * {@code GET /api/videos} with 2,000 recordings: 50 clients each polling once a second (a full house
     * of phones), then 50 clients asking back to back (what the server can do at most).
     */
    private static void listing(StringBuilder md) throws Exception {
        Path home = TestApp.newHome();
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        LocalDateTime first = LocalDateTime.of(2020, 1, 1, 19, 50);
        for (int i = 0; i < RECORDINGS; i++) {
            LocalDateTime start = first.plusDays(i);
            String name = String.format(Locale.ROOT, "%02d-%02d-%02d_19-50-00", start.getYear() % 100,
                    start.getMonthValue(), start.getDayOfMonth());
            Files.createFile(home.resolve("videos/" + name + ".mkv"));
            Recording r = new Recording(name + ".mkv", name, start, start.plusHours(2).plusMinutes(20), 8400.0, 0,
                    "mkv", i % 50 == 0, false, 1280, 720, 30.0, null, false);
            Files.write(home.resolve("videos/" + name + ".json"), json.writeValueAsBytes(r));
        }
        // retention would delete most of these old recordings: not during the benchmark
        try (TestApp app = TestApp.startUnchecked(home, Map.of("scheincam.cleanup.cron", "0 0 0 1 1 ? 2099",
                "scheincam.rates.frames.per-minute", "0", "scheincam.rates.downloads.per-minute", "0"))) {
            HttpResponse<String> probe = app.get("/api/videos");
            int total = TestApp.json(probe).path("total").asInt();
            if (total != RECORDINGS) {
                throw new IllegalStateException("library has " + total + " recordings, expected " + RECORDINGS);
            }
            int bytes = probe.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            ExecutorService httpThreads = Executors.newFixedThreadPool(4);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(httpThreads).build();
            URI uri = app.uri("/api/videos");
            int gzipped = http.send(HttpRequest.newBuilder(uri).header("Accept-Encoding", "gzip").build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body().length;
            load(http, uri, true, CLIENTS, Duration.ofSeconds(5), 0); // warm-up: JIT, connections
            Load polling = load(http, uri, true, CLIENTS, Duration.ofSeconds(20), 1000);
            Load pollingPlain = load(http, uri, false, CLIENTS, Duration.ofSeconds(20), 1000);
            Load flat = load(http, uri, true, CLIENTS, Duration.ofSeconds(10), 0);
            md.append(String.format(Locale.ROOT, """
                    | `GET /api/videos`, 2,000 recordings (%d kB, gzipped %d kB as browsers ask), 50 clients polling once a second: p50 / p95 / p99 | %.1f / %.1f / %.1f ms (%d requests) | p99 ≤ 10 ms |
                    | same without gzip: p50 / p95 / p99 | %.1f / %.1f / %.1f ms | |
                    | same with gzip, 50 clients back to back: p50 / p99, throughput | %.1f / %.1f ms, %.0f requests/s | |
                    """, bytes / 1024, gzipped / 1024, polling.p(50), polling.p(95), polling.p(99), polling.count(),
                    pollingPlain.p(50), pollingPlain.p(95), pollingPlain.p(99),
                    flat.p(50), flat.p(99), flat.perSecond()));
            httpThreads.shutdown(); // its threads would keep the JVM (and exec:java) running
        }
    }

    private record Load(List<Double> millis, double seconds) {
        double p(int percentile) {
            return CoreBenchmark.percentile(millis, percentile);
        }

        int count() {
            return millis.size();
        }

        double perSecond() {
            return millis.size() / seconds;
        }
    }

    /** {@code clients} threads (a fixed pool), each asking every {@code periodMillis} (0: back to back), for {@code length}. */
    private static Load load(HttpClient http, URI uri, boolean gzip, int clients, Duration length, long periodMillis)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        long end = start + length.toNanos();
        List<Future<List<Double>>> results = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            long phase = periodMillis == 0 ? 0 : periodMillis * c / clients; // spread, as real phones are
            results.add(pool.submit(() -> {
                List<Double> mine = new ArrayList<>();
                HttpRequest.Builder builder = HttpRequest.newBuilder(uri).GET().timeout(Duration.ofSeconds(30));
                if (gzip) {
                    builder.header("Accept-Encoding", "gzip"); // as every browser does; the body stays packed here
                }
                HttpRequest request = builder.build();
                long next = start + TimeUnit.MILLISECONDS.toNanos(phase);
                while (true) {
                    long now = System.nanoTime();
                    if (periodMillis > 0 && next > now) {
                        TimeUnit.NANOSECONDS.sleep(next - now);
                    }
                    if (System.nanoTime() >= end) {
                        return mine;
                    }
                    long t0 = System.nanoTime();
                    HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    mine.add((System.nanoTime() - t0) / 1e6);
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("GET /api/videos: " + r.statusCode());
                    }
                    next += TimeUnit.MILLISECONDS.toNanos(periodMillis);
                }
            }));
        }
        List<Double> all = new ArrayList<>();
        for (Future<List<Double>> f : results) {
            all.addAll(f.get());
        }
        pool.shutdown();
        return new Load(all, (System.nanoTime() - start) / 1e9);
    }

    /** The jar from start to its first API answer, and its memory then; plain and with an AppCDS archive. */
    private static void startup(StringBuilder md) throws Exception {
        Path jar = Path.of("target/scheincam.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            md.append("| start-up | not measured: target/scheincam.jar missing (mvn package) | |\n");
            return;
        }
        Path archive = Path.of("target/bench/scheincam.jsa").toAbsolutePath();
        Files.deleteIfExists(archive);
        List<double[]> plain = new ArrayList<>();
        for (int i = 0; i < STARTS; i++) {
            plain.add(startOnce(jar, List.of()));
        }
        startOnce(jar, List.of("-XX:ArchiveClassesAtExit=" + archive)); // records the classes start-up loads
        List<double[]> cds = new ArrayList<>();
        if (Files.exists(archive)) {
            for (int i = 0; i < STARTS; i++) {
                cds.add(startOnce(jar, List.of("-XX:SharedArchiveFile=" + archive)));
            }
        }
        md.append(String.format(Locale.ROOT, """
                | jar start → first API answer, plain (median of %d) | %.2f s | ≤ 3 s |
                | RSS 5 s after start, plain | %.0f MB | ≤ 250 MB |
                """, STARTS, median(plain, 0), median(plain, 1)));
        if (cds.isEmpty()) {
            md.append("| with AppCDS | not measured: the archive was not written | |\n");
        } else {
            md.append(String.format(Locale.ROOT, """
                    | jar start → first API answer, AppCDS archive (%d MB) | %.2f s | |
                    | RSS 5 s after start, AppCDS | %.0f MB | |
                    """, Files.size(archive) / (1024 * 1024), median(cds, 0), median(cds, 1)));
        }
    }

    /** One start of the jar in a fresh home: {seconds to the first answer of /api/ping, RSS in MB}. */
    private static double[] startOnce(Path jar, List<String> jvmOptions) throws Exception {
        Path home = TestApp.newHome();
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dcamel.server.port=" + port, "-Dscheincam.schedule.enabled=false",
                "-Dscheincam.watchdog.enabled=false",
                "-Dscheincam.obs.port=" + freePort(), // no OBS: as on a venue PC before OBS starts
                "-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(home.resolve("console.log").toFile());
        pb.environment().put("SCHEINCAM_HOME", home.toString());
        pb.environment().put("SCHEINCAM_ADMIN_TOKEN", TestApp.ADMIN_TOKEN);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        HttpRequest ping = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/ping"))
                .timeout(Duration.ofSeconds(2)).build();
        long t0 = System.nanoTime();
        Process process = pb.start();
        try {
            double seconds = -1;
            while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(60)) {
                try {
                    if (http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        seconds = (System.nanoTime() - t0) / 1e9;
                        break;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                if (!process.isAlive()) {
                    throw new IllegalStateException("the jar exited: see " + home.resolve("console.log"));
                }
                TimeUnit.MILLISECONDS.sleep(10);
            }
            if (seconds < 0) {
                throw new IllegalStateException("no answer within 60 s: see " + home.resolve("console.log"));
            }
            TimeUnit.SECONDS.sleep(5);
            return new double[] {seconds, rssMegabytes(process.pid())};
        } finally {
            process.destroy(); // SIGTERM: Camel shuts down, and an AppCDS archive is written at exit
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Resident memory of a process, MB (/proc); also ColdBenchmark's. */
    static double rssMegabytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return -1;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static double frameOnce(TestApp app, int secondOfShow) {
        LocalTime at = LocalTime.of(19, 50).plusSeconds(secondOfShow);
        return timed(() -> {
            JsonNode frame = TestApp.json(app.post("/api/videos/frame",
                    "{\"filename\":\"" + NAME + "\",\"timestamp\":\"" + at + "\"}"));
            if (!frame.path("success").asBoolean()) {
                throw new IllegalStateException("frame failed: " + frame);
            }
        });
    }

    private static void require(HttpResponse<String> r, String what) {
        if (r.statusCode() != 200) {
            throw new IllegalStateException(what + ": " + r.statusCode() + " " + r.body());
        }
    }

    private static double timed(Runnable work) {
        long t0 = System.nanoTime();
        work.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double median(List<double[]> runs, int index) {
        List<Double> values = new ArrayList<>();
        runs.forEach(r -> values.add(r[index]));
        return CoreBenchmark.percentile(values, 50);
    }
}
