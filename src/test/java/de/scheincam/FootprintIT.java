package de.scheincam;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import de.scheincam.testing.KeepAliveHttp;
import de.scheincam.testing.Media;
import de.scheincam.testing.RawHttp;
import de.scheincam.testing.TestApp;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 13: the app's footprint stays bounded through an attack. The jar runs as operators start it
 * (plain {@code java -jar}, no heap or thread flags); three rounds of the same mix — a crowd of frame
 * requests, exports, junk credentials, dot-segment paths, hundreds of idle connections — each from
 * many loopback addresses, while its threads and resident memory are read from /proc. The thread
 * count may not follow the crowd (every pool is bounded), the later rounds may not need more threads
 * than the first, the heap may not hold more after a round than after the first one (nothing is kept
 * per request or per client), and the memory grown in the rush goes back once the app is quiet.
 */
class FootprintIT {

    private static final String REC = "25-01-24_19-50-00";
    private static final int ROUNDS = 3;
    private static final int FRAME_CLIENTS = 120;
    private static final int IDLE_CONNECTIONS = 400;
    private static final int QUIET_SECONDS = 3;

    record Sample(int threads, long rssKb) { }

    record Round(Sample peak, long liveHeapKb) { }

    @Test
    void threadsAndMemoryStayBoundedThroughRoundsOfAttack() throws Exception {
        Path home = TestApp.newHome();
        Files.copy(Media.cached("a.mkv", 40), home.resolve("videos/" + REC + ".mkv"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dscheincam.library.settle-seconds=1",
                "-Dscheincam.memory.idle-collect-seconds=" + QUIET_SECONDS,
                "-jar", Path.of("target/scheincam.jar").toAbsolutePath().toString()))
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target/footprint-it.log").toFile());
        pb.environment().put("SCHEINCAM_HOME", home.toString());
        pb.environment().put("SCHEINCAM_ADMIN_TOKEN", TestApp.ADMIN_TOKEN);
        pb.environment().put("CAMEL_SERVER_PORT", String.valueOf(port));
        Process app = pb.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() ->
                    http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/videos/" + REC)).build(),
                            HttpResponse.BodyHandlers.ofString()).body().contains("\"duration\""));
            // what a performer does once: the app's ordinary working set (decoder, JIT, pools) in place
            try (KeepAliveHttp warm = new KeepAliveHttp(port)) {
                for (int i = 0; i < 10; i++) {
                    assertThat(warm.postJson("/api/videos/frame", frame(i * 3, 0)).status()).isEqualTo(200);
                }
                assertThat(warm.postJson("/api/videos/export", export(2, 8)).status()).isIn(200, 202);
                assertThat(warm.get("/api/videos/" + REC + "/filmstrip").status()).isEqualTo(200);
            }
            Sample idle = sample(app.pid());
            List<Round> rounds = new ArrayList<>();
            for (int round = 1; round <= ROUNDS; round++) {
                Sample peak = attack(port, app.pid(), round);
                assertThat(RawHttp.get(port, "/api/ping").status()).as("the app answers after round %d", round).isEqualTo(200);
                if (round == ROUNDS) {
                    // quiet now: the heap grown in the rush goes back without anyone asking
                    long halfway = (idle.rssKb() + peak.rssKb()) / 2;
                    long quietFrom = System.nanoTime();
                    await().atMost(Duration.ofSeconds(QUIET_SECONDS * 6L)).pollInterval(Duration.ofMillis(250))
                            .alias("resident memory back below " + halfway + " kB (peak " + peak.rssKb() + " kB, idle "
                                    + idle.rssKb() + " kB)")
                            .until(() -> sample(app.pid()).rssKb() <= halfway);
                    System.out.printf("footprint: %s kB resident %.1f s after the rush%n", sample(app.pid()).rssKb(),
                            (System.nanoTime() - quietFrom) / 1e9);
                }
                rounds.add(new Round(peak, liveHeapKb(app.pid())));
            }
            Sample after = sample(app.pid());
            System.out.printf("footprint: idle %s; rounds %s; after %s%n", idle, rounds, after);
            List<Sample> peaks = rounds.stream().map(Round::peak).toList();

            // every pool is bounded by a setting: HTTP workers (64), frames (16), filmstrips (2), exports (10),
            // credential checks (1) (downloads have no pool: sendfile); the JVM's own threads and Camel's,
            // Vert.x's event loops and timers make the rest. Three times the crowd of clients could not fit in that.
            int bound = idle.threads() + 64 + 16 + 2 + 10 + 1 + 40;
            for (Sample peak : peaks) {
                assertThat(peak.threads()).as("threads at a round's peak (idle %d)", idle.threads()).isLessThanOrEqualTo(bound);
            }
            Sample first = peaks.get(0);
            Sample last = peaks.get(peaks.size() - 1);
            assertThat(last.threads()).as("threads of the last round against the first").isLessThanOrEqualTo(first.threads() + 10);
            // what the heap holds after a full collection: nothing may stay behind per request or per client
            // (G1 grows the committed heap under this load without a heap flag, so resident memory is bounded
            // below as a whole, not round by round)
            long firstLive = rounds.get(0).liveHeapKb();
            for (Round r : rounds) {
                assertThat(r.liveHeapKb()).as("live heap after a round (kB), after round 1 %d", firstLive)
                        .isLessThanOrEqualTo(firstLive + 32 * 1024);
            }
            assertThat(peaks.stream().mapToLong(Sample::rssKb).max().orElseThrow())
                    .as("resident memory at any peak (kB), no heap flag given").isLessThan(1_536 * 1024);
        } finally {
            app.destroy();
            if (!app.waitFor(15, TimeUnit.SECONDS)) {
                app.destroyForcibly();
            }
        }
    }

    /** One round of 12 s; returns the most threads and the most resident memory seen in it. */
    private Sample attack(int port, long pid, int round) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(12);
        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        ExecutorService crowd = Executors.newFixedThreadPool(FRAME_CLIENTS + 40);
        // a crowd of phones asking for frames again as soon as they have one, each its own address
        for (int c = 0; c < FRAME_CLIENTS; c++) {
            String from = "127.0.2." + (c + 1);
            int client = c;
            crowd.submit(() -> loop(from, port, until, answers, "frame",
                    (h, n) -> h.postJson("/api/videos/frame", frame((client + n) % 39, client * 7 % 1000))));
        }
        // exports of short stretches, each client one after the other
        for (int c = 0; c < 8; c++) {
            String from = "127.0.3." + (c + 1);
            int client = c;
            crowd.submit(() -> loop(from, port, until, answers, "export",
                    (h, n) -> h.postJson("/api/videos/export", export((client + n) % 30, 3))));
        }
        // junk credentials and paths that once looped
        for (int c = 0; c < 24; c++) {
            String from = "127.0.4." + (c + 1);
            int client = c;
            String what = c % 2 == 0 ? "junk" : "dots";
            crowd.submit(() -> loop(from, port, until, answers, what,
                    (h, n) -> client % 2 == 0
                            ? h.get("/api/admin/status", "Authorization: Bearer junk-" + round + "-" + client + "-" + n)
                            : h.get("/api/videos/x/%2e%2e")));
        }
        // idle connections that never send a byte, from many addresses
        List<Socket> idle = Collections.synchronizedList(new ArrayList<>());
        crowd.submit(() -> {
            for (int i = 0; i < IDLE_CONNECTIONS && System.nanoTime() < until; i++) {
                try {
                    Socket s = new Socket();
                    s.bind(new InetSocketAddress("127.0.5." + (i % 200 + 1), 0));
                    s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                    idle.add(s);
                } catch (IOException refused) {
                    answers.computeIfAbsent("idle refused", k -> new AtomicInteger()).incrementAndGet();
                }
            }
            // one slow header line, never finished
            try {
                Socket slow = new Socket("127.0.0.1", port);
                OutputStream out = slow.getOutputStream();
                out.write("GET /api/ping HTTP/1.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                idle.add(slow);
            } catch (IOException refused) {
                answers.computeIfAbsent("idle refused", k -> new AtomicInteger()).incrementAndGet();
            }
        });
        int threads = 0;
        long rss = 0;
        while (System.nanoTime() < until) {
            Sample s = sample(pid);
            threads = Math.max(threads, s.threads());
            rss = Math.max(rss, s.rssKb());
            Thread.sleep(200);
        }
        crowd.shutdown();
        assertThat(crowd.awaitTermination(60, TimeUnit.SECONDS)).as("the crowd's last requests answered").isTrue();
        for (Socket s : idle) {
            s.close();
        }
        Sample peak = new Sample(threads, rss);
        System.out.printf("footprint round %d: peak %s; answers %s; idle connections held %d%n", round, peak, answers, idle.size());
        assertThat(answers.get("frame 200")).as("frames still served in round %d", round).isNotNull();
        return peak;
    }

    private interface Call {
        RawHttp.Answer send(KeepAliveHttp http, int n);
    }

    private static void loop(String from, int port, long until, Map<String, AtomicInteger> answers, String what, Call call) {
        KeepAliveHttp http = null;
        for (int n = 0; System.nanoTime() < until; n++) {
            try {
                if (http == null) {
                    http = new KeepAliveHttp(from, port);
                }
                RawHttp.Answer a = call.send(http, n);
                answers.computeIfAbsent(what + " " + a.status(), k -> new AtomicInteger()).incrementAndGet();
            } catch (RuntimeException closed) {
                answers.computeIfAbsent(what + " closed", k -> new AtomicInteger()).incrementAndGet();
                if (http != null) {
                    http.close();
                }
                http = null;
            }
        }
        if (http != null) {
            http.close();
        }
    }

    private static String frame(int second, int millis) {
        return "{\"filename\":\"" + REC + "\",\"timestamp\":\"19:50:" + String.format("%02d.%03d", second, millis) + "\"}";
    }

    private static String export(int second, int seconds) {
        return "{\"filename\":\"" + REC + "\",\"start_time\":\"19:50:" + String.format("%02d", second)
                + "\",\"end_time\":\"19:50:" + String.format("%02d", second + seconds) + "\",\"mode\":\"copy\"}";
    }

    /** The heap in use right after a full collection, in kB. */
    private static long liveHeapKb(long pid) {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        java.util.regex.Matcher used = java.util.regex.Pattern.compile("garbage-first heap\\s+total \\d+K, used (\\d+)K").matcher(info);
        assertThat(used.find()).as("jcmd GC.heap_info: %s", info).isTrue();
        return Long.parseLong(used.group(1));
    }

    private static String jcmd(long pid, String command) {
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(pid), command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out;
        } catch (IOException | InterruptedException e) {
            return "jcmd: " + e;
        }
    }

    private static Sample sample(long pid) {
        try {
            int threads = 0;
            long rss = 0;
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.substring(8).trim());
                } else if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.substring(6).replace("kB", "").trim());
                }
            }
            return new Sample(threads, rss);
        } catch (IOException e) {
            throw new IllegalStateException("the app's /proc entry", e);
        }
    }
}
