package de.scheincam;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import de.scheincam.clips.ExportAdmission;
import de.scheincam.testing.Media;
import de.scheincam.testing.TestApp;
import org.junit.jupiter.api.Test;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 13, per-client rates: a client that ignores Retry-After and asks again at once is refused
 * cheaply (429, Retry-After, {"detail"}), before the contract check, while another client still gets
 * its frames and /api/ping stays fast. Clients are told apart by X-Forwarded-For from a trusted proxy
 * (the test's loopback), as phones behind the venue's reverse proxy would be.
 * <p>
 * {@code -DClientRatesIT.withoutRates=true} runs the same with every rate off, to see the test fail.
 */
class ClientRatesIT {

    private static final String REC = "25-01-24_19-50-00";
    private static final boolean WITHOUT_RATES = Boolean.getBoolean("ClientRatesIT.withoutRates");

    private static String frame(int second) {
        return "{\"filename\":\"" + REC + "\",\"timestamp\":\"19:50:" + String.format("%02d", second) + "\"}";
    }

    private static Map<String, String> settings(Map<String, String> more) {
        Map<String, String> settings = new HashMap<>(Map.of("scheincam.access.trusted-proxies", "127.0.0.1"));
        settings.putAll(more);
        if (WITHOUT_RATES) {
            for (String kind : new String[] {"frames", "filmstrips", "exports", "downloads"}) {
                settings.put("scheincam.rates." + kind + ".per-minute", "0");
            }
        }
        return settings;
    }

    private static TestApp start(Map<String, String> more) throws IOException {
        Path home = TestApp.newHome();
        Files.copy(Media.cached("a.mkv", 40), home.resolve("videos/" + REC + ".mkv"));
        TestApp app = TestApp.start(home, settings(more));
        await().atMost(Duration.ofSeconds(30)).until(() -> json(app.get("/api/videos/" + REC)).path("duration").isNumber());
        return app;
    }

    @Test
    void aGreedyClientIsRefusedCheaplyWhileOthersGetTheirFramesAndPingStaysFast() throws Exception {
        try (TestApp app = start(Map.of())) {
            AtomicBoolean going = new AtomicBoolean(true);
            Map<Integer, AtomicInteger> greedy = new ConcurrentHashMap<>();
            List<String> refusals = java.util.Collections.synchronizedList(new ArrayList<>());
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            ExecutorService threads = Executors.newFixedThreadPool(21);
            List<CompletableFuture<Void>> clients = new ArrayList<>();
            // the greedy client: 20 threads, each asking again the moment it has an answer, Retry-After ignored
            for (int t = 0; t < 20; t++) {
                int thread = t;
                clients.add(CompletableFuture.runAsync(() -> {
                    for (int n = 0; going.get(); n++) {
                        HttpRequest request = HttpRequest.newBuilder(app.uri("/api/videos/frame")).timeout(Duration.ofSeconds(30))
                                .header("Content-Type", "application/json").header("X-Forwarded-For", "10.0.0.66")
                                .POST(HttpRequest.BodyPublishers.ofString(frame((thread + n) % 39))).build();
                        try {
                            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                            greedy.computeIfAbsent(r.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                            if (r.statusCode() == 429 && refusals.size() < 5) {
                                refusals.add(r.headers().firstValue("Retry-After").orElse("none") + " "
                                        + r.headers().firstValue("Content-Type").orElse("") + " " + r.body());
                            }
                        } catch (IOException | InterruptedException e) {
                            greedy.computeIfAbsent(-1, s -> new AtomicInteger()).incrementAndGet();
                        }
                    }
                }, threads));
            }
            // a well-behaved phone scrubbing: a frame about every 250 ms, from another address
            Map<Integer, AtomicInteger> polite = new ConcurrentHashMap<>();
            clients.add(CompletableFuture.runAsync(() -> {
                for (int n = 0; going.get(); n++) {
                    HttpRequest request = HttpRequest.newBuilder(app.uri("/api/videos/frame")).timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json").header("X-Forwarded-For", "10.0.0.7")
                            .POST(HttpRequest.BodyPublishers.ofString(frame(n * 3 % 39))).build();
                    try {
                        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                        polite.computeIfAbsent(r.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                        assertThat(r.statusCode() != 200 || json(r).path("image").asText().startsWith("data:image/jpeg;base64,")).isTrue();
                        Thread.sleep(250); // the phone's own pace, not a wait for the app
                    } catch (IOException | InterruptedException e) {
                        polite.computeIfAbsent(-1, s -> new AtomicInteger()).incrementAndGet();
                    }
                }
            }, threads));

            // the operator's dashboard polls /api/ping meanwhile, for 12 s
            HttpClient pinger = HttpClient.newHttpClient();
            List<Long> pings = new ArrayList<>();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(12);
            while (System.nanoTime() < end) {
                long t0 = System.nanoTime();
                try {
                    HttpResponse<String> ping = pinger.send(HttpRequest.newBuilder(app.uri("/api/ping"))
                            .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(ping.statusCode()).isEqualTo(200);
                    pings.add((System.nanoTime() - t0) / 1_000_000);
                } catch (java.net.http.HttpTimeoutException e) {
                    pings.add(3000L);
                }
            }
            going.set(false);
            CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            threads.shutdown();

            List<Long> sorted = pings.stream().sorted().toList();
            long p50 = sorted.get(sorted.size() / 2);
            long p99 = sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1));
            int greedyServed = greedy.getOrDefault(200, new AtomicInteger()).get();
            System.out.printf("greedy client (20 threads, 12 s): %s; polite client: %s; %d pings, p50 %d ms, p99 %d ms, max %d ms%n",
                    greedy, polite, pings.size(), p50, p99, sorted.get(sorted.size() - 1));

            assertThat(p99).as("ping p99 (ms) while the greedy client hammers: " + sorted).isLessThan(250);
            assertThat(polite.keySet()).as("the polite client gets every frame it asks for").containsOnly(200);
            assertThat(polite.get(200).get()).as("frames the polite client got").isGreaterThanOrEqualTo(20);
            assertThat(greedy.getOrDefault(429, new AtomicInteger()).get()).as("the greedy client refused").isPositive();
            // its burst (30) and 10 a second, with a second's slack for the edges of the run
            assertThat(greedyServed).as("frames the greedy client got").isPositive().isLessThanOrEqualTo(30 + 10 * 13);
            // 8 of its 20 at a time are made: the frames bulkhead (16) is never the greedy client's alone
            assertThat(greedy.keySet()).as("only frames or refusals").isSubsetOf(200, 429);
            // past its rate, or past its 8 frames in the making at once (it sends 20 at a time)
            assertThat(refusals).isNotEmpty().allSatisfy(r -> assertThat(r).matches(
                    "[1-9]\\d* application/json; charset=utf-8 \\{\"detail\":\"Too many frames (asked for by 10\\.0\\.0\\.66:"
                            + " at most 600 a minute \\(30 at once\\); try again in [1-9]\\d* s\\."
                            + "|at once for 10\\.0\\.0\\.66: at most 8 are made for one client at a time; ask again once one is answered\\.)\"}"));
        }
    }

    @Test
    void everyExpensiveCallIsLimitedBeforeTheContractCheckButNotTheAdmins() throws Exception {
        Map<String, String> low = new HashMap<>();
        for (String kind : new String[] {"frames", "filmstrips", "exports", "downloads"}) {
            low.put("scheincam.rates." + kind + ".burst", "2");
            low.put("scheincam.rates." + kind + ".per-minute", "1");
        }
        low.put("scheincam.export.max-per-client", "1");
        try (TestApp app = start(low)) {
            String badExport = "{\"filename\":\"" + REC + "\",\"start_time\":\"quarter past\",\"end_time\":\"19:50:05\"}";
            record Call(String kind, String method, String path, String body, int status) {
            }
            List<Call> calls = List.of(
                    new Call("frames", "POST", "/api/videos/frame", frame(3), 200),
                    new Call("filmstrips", "GET", "/api/videos/" + REC + "/filmstrip/?every=10", null, 200),
                    // a body the contract refuses (422) is refused for the rate first: the contract is not even read
                    new Call("exports", "POST", "/api/videos/export", badExport, 422),
                    new Call("downloads", "GET", "/api/videos/" + REC + "/download", null, 200));
            for (Call call : calls) {
                String[] phone = {"Content-Type", "application/json", "X-Forwarded-For", "10.0.0.5"};
                for (int i = 0; i < 2; i++) {
                    HttpResponse<String> r = app.send(call.method(), call.path(), call.body(), phone);
                    assertThat(r.statusCode()).as(call.kind() + " " + r.body()).isEqualTo(call.status());
                }
                HttpResponse<String> refused = app.send(call.method(), call.path(), call.body(), phone);
                assertThat(refused.statusCode()).as(call.kind() + " past its rate").isEqualTo(429);
                assertThat(refused.headers().firstValue("Retry-After")).as(call.kind()).hasValueSatisfying(s ->
                        assertThat(Long.parseLong(s)).isBetween(1L, 60L));
                assertThat(json(refused).path("detail").asText()).as(call.kind())
                        .startsWith("Too many " + call.kind() + " asked for by 10.0.0.5: at most 1 a minute (2 at once); try again in");
                HttpResponse<String> otherPhone = app.send(call.method(), call.path(), call.body(),
                        "Content-Type", "application/json", "X-Forwarded-For", "10.0.0.6");
                assertThat(otherPhone.statusCode()).as(call.kind() + " for another client").isEqualTo(call.status());
                for (int i = 0; i < 3; i++) {
                    HttpResponse<String> admin = app.send(call.method(), call.path(), call.body(), "Content-Type", "application/json",
                            "X-Forwarded-For", "10.0.0.5", "Authorization", "Bearer " + TestApp.ADMIN_TOKEN);
                    assertThat(admin.statusCode()).as(call.kind() + " for the admin").isEqualTo(call.status());
                }
            }

            // exports going at once are counted per client as the rates are: by the address the proxy names
            String clip = "{\"filename\":\"" + REC + "\",\"start_time\":\"19:50:00\",\"end_time\":\"19:50:30\",\"mode\":\"reencode\"}";
            HttpResponse<String> first = app.post("/api/videos/export", clip, "X-Forwarded-For", "10.0.0.8", "Prefer", "respond-async");
            assertThat(first.statusCode()).as(first.body()).isIn(200, 202);
            HttpResponse<String> second = app.post("/api/videos/export", clip, "X-Forwarded-For", "10.0.0.8", "Prefer", "respond-async");
            assertThat(second.statusCode()).as(second.body()).isEqualTo(429);
            assertThat(json(second).path("detail").asText()).startsWith("You already have 1 exports running or waiting");
            HttpResponse<String> neighbour = app.post("/api/videos/export", clip, "X-Forwarded-For", "10.0.0.9", "Prefer", "respond-async");
            assertThat(neighbour.statusCode()).as(neighbour.body()).isIn(200, 202);

            // and a client whose export came to nothing is not remembered (every address ever seen was)
            ExportAdmission admission = app.camel().getRegistry().lookupByNameAndType("exportAdmission", ExportAdmission.class);
            String unknown = "{\"filename\":\"25-12-31_19-50-00\",\"start_time\":\"19:50:01\",\"end_time\":\"19:50:05\"}";
            for (int i = 0; i < 30; i++) {
                assertThat(app.post("/api/videos/export", unknown, "X-Forwarded-For", "10.1.0." + i).statusCode()).isEqualTo(404);
            }
            assertThat(admission.clientsRemembered()).as("clients with an export or clip alive").isEqualTo(2);
        }
    }
}
