package de.scheincam;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import de.scheincam.clips.FrameGrabber;
import de.scheincam.testing.FakeObs;
import de.scheincam.testing.Media;
import de.scheincam.testing.TestApp;
import org.junit.jupiter.api.Test;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 13, item 2: a crowd of frame requests gets the frames bulkhead and nothing more. While 100
 * clients ask for frames at once, /api/ping answers fast, a schedule window that opens during the
 * crowd starts the recording on time (fake OBS), and what does not fit is answered 503 with
 * Retry-After and {"detail"} at once. Identical requests share one decode.
 */
class BulkheadsIT {

    private static final String REC = "25-01-24_19-50-00";
    private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss");

    private static String frame(int second, int millis) {
        return "{\"filename\":\"" + REC + "\",\"timestamp\":\"19:50:" + String.format("%02d.%03d", second, millis) + "\"}";
    }

    @Test
    void aCrowdOfFramesLeavesPingAndTheScheduleAlone() throws Exception {
        Path home = TestApp.newHome();
        Files.copy(Media.cached("a.mkv", 40), home.resolve("videos/" + REC + ".mkv"));
        try (FakeObs obs = new FakeObs("pw", home.resolve("videos"), Media.cached("a.mkv", 20))) {
            // the window opens once the app is up and the crowd below has been at it for 6 s
            ZonedDateTime opens = ZonedDateTime.now(ZoneId.of("Europe/Berlin")).plusSeconds(25).withNano(0);
            Map<String, String> settings = new HashMap<>(Map.of(
                    "scheincam.obs.port", String.valueOf(obs.port()),
                    "scheincam.obs.password", "pw",
                    "scheincam.obs.reconnect-initial-millis", "100",
                    "scheincam.recording.confirm-millis", "1500",
                    "scheincam.schedule.enabled", "true",
                    "scheincam.schedule.start-time", HMS.format(opens),
                    "scheincam.schedule.end-time", HMS.format(opens.plusMinutes(10)),
                    "scheincam.schedule.weekdays", "0,1,2,3,4,5,6",
                    // 100 phones here share one address (in a venue each has its own): the per-client
                    // connection cap (ConnectionLimitsIT) is not what this test is about
                    "scheincam.http.max-connections-per-client", "200"));
            // nor is the per-client rate for frames (ClientRatesIT): here the bulkhead is what holds the crowd
            settings.put("scheincam.rates.frames.per-minute", "0");
            try (TestApp app = TestApp.start(home, settings)) {
                await().atMost(Duration.ofSeconds(15)).until(() -> json(app.get("/api/recordings/status")).path("connected").asBoolean());
                await().atMost(Duration.ofSeconds(30)).until(() -> json(app.get("/api/videos/" + REC)).path("duration").isNumber());
                Instant crowdStart = opens.toInstant().minusSeconds(6);
                await().atMost(Duration.ofSeconds(25)).until(() -> !Instant.now().isBefore(crowdStart));
                assertThat(obs.recording).as("not recording before the window").isFalse();

                // 100 clients, each asking again as soon as it has a frame (or after Retry-After), for 12 s; the window opens after 6
                Instant crowdEnd = crowdStart.plusSeconds(12);
                AtomicBoolean crowding = new AtomicBoolean(true);
                java.util.concurrent.CountDownLatch crowdOver = new java.util.concurrent.CountDownLatch(1);
                Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
                List<String> refusals = java.util.Collections.synchronizedList(new ArrayList<>());
                ExecutorService clients = Executors.newFixedThreadPool(100);
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                List<CompletableFuture<Void>> crowd = new ArrayList<>();
                for (int c = 0; c < 100; c++) {
                    int client = c;
                    crowd.add(CompletableFuture.runAsync(() -> {
                        for (int n = 0; crowding.get(); n++) {
                            HttpRequest request = HttpRequest.newBuilder(app.uri("/api/videos/frame"))
                                    .timeout(Duration.ofSeconds(40)).header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(frame((client + n) % 39, client * 7 % 1000))).build();
                            try {
                                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                                statuses.computeIfAbsent(r.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                                if (r.statusCode() == 503 && refusals.size() < 5) {
                                    refusals.add(r.headers().firstValue("Retry-After").orElse("none") + " "
                                            + r.headers().firstValue("Content-Type").orElse("") + " " + r.body());
                                }
                                if (r.statusCode() == 503) {
                                    // a browser's client honours Retry-After (a hammering one needs a per-client rate limit)
                                    crowdOver.await(Long.parseLong(r.headers().firstValue("Retry-After").orElse("0")),
                                            java.util.concurrent.TimeUnit.SECONDS);
                                }
                            } catch (IOException | InterruptedException e) {
                                statuses.computeIfAbsent(-1, s -> new AtomicInteger()).incrementAndGet();
                            }
                        }
                    }, clients));
                }

                // the operator's dashboard polls /api/ping meanwhile
                HttpClient pinger = HttpClient.newHttpClient();
                List<Long> pings = new ArrayList<>();
                Instant recordingSeen = null;
                while (Instant.now().isBefore(crowdEnd)) {
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> ping = pinger.send(HttpRequest.newBuilder(app.uri("/api/ping"))
                                .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
                        assertThat(ping.statusCode()).isEqualTo(200);
                        pings.add((System.nanoTime() - t0) / 1_000_000);
                    } catch (java.net.http.HttpTimeoutException e) {
                        pings.add(3000L);
                    }
                    if (recordingSeen == null && obs.recording) {
                        recordingSeen = Instant.now();
                    }
                }
                crowding.set(false);
                crowdOver.countDown();
                CompletableFuture.allOf(crowd.toArray(CompletableFuture[]::new)).get(60, java.util.concurrent.TimeUnit.SECONDS);
                clients.shutdown();

                List<Long> sorted = pings.stream().sorted().toList();
                long p50 = sorted.get(sorted.size() / 2);
                long p99 = sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1));
                long frames = statuses.getOrDefault(200, new AtomicInteger()).get();
                long busy = statuses.getOrDefault(503, new AtomicInteger()).get();
                System.out.printf("100 frame clients for 12 s: %s (status -> answers); %d pings, p50 %d ms, p99 %d ms, max %d ms;"
                                + " recording seen %s after the window opened%n", statuses, pings.size(), p50, p99,
                        sorted.get(sorted.size() - 1), recordingSeen == null ? "never" : Duration.between(opens.toInstant(), recordingSeen));
                assertThat(p99).as("ping p99 during the crowd (ms): " + sorted).isLessThan(250);
                assertThat(frames).as("frames still served").isPositive();
                assertThat(busy).as("the excess refused at once").isPositive();
                assertThat(statuses.keySet()).as("only frames or refusals").containsOnly(200, 503);
                assertThat(refusals).allSatisfy(r -> assertThat(r)
                        .startsWith("5 application/json {\"detail\":\"Too many frames are being served at once"));
                assertThat(recordingSeen).as("the schedule started the recording during the crowd").isNotNull();
                assertThat(Duration.between(opens.toInstant(), recordingSeen)).as("on time").isLessThan(Duration.ofSeconds(3));
                await().atMost(Duration.ofSeconds(10)).until(() -> json(app.get("/api/recordings/status")).path("recording").asBoolean());
            }
        }
    }

    @Test
    void identicalFramesAtOnceShareOneDecode() throws Exception {
        Path home = TestApp.newHome();
        Files.copy(Media.cached("a.mkv", 40), home.resolve("videos/" + REC + ".mkv"));
        // six phones asking at once share one loopback address here: its per-client bound (4 at once) is off
        try (TestApp app = TestApp.start(home, Map.of("scheincam.rates.frames.per-minute", "0"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> json(app.get("/api/videos/" + REC)).path("duration").isNumber());
            FrameGrabber frames = app.camel().getRegistry().lookupByNameAndType("frames", FrameGrabber.class);
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                long before = frames.coalesced();
                List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    answers.add(CompletableFuture.supplyAsync(() -> app.post("/api/videos/frame", frame(31, 250)), pool));
                }
                List<String> images = new ArrayList<>();
                for (CompletableFuture<HttpResponse<String>> a : answers) {
                    HttpResponse<String> r = a.join();
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                    images.add(json(r).path("image").asText());
                }
                assertThat(images).as("one picture for all").allMatch(images.get(0)::equals);
                System.out.printf("6 identical frames at once: %d joined another's decode%n", frames.coalesced() - before);
                assertThat(frames.coalesced() - before).as("requests answered by another's decode").isPositive();
            } finally {
                pool.shutdown();
            }
        }
    }
}
