package de.scheincam;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import de.scheincam.testing.FakeObs;
import de.scheincam.testing.Media;
import de.scheincam.testing.TestApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Alerts for a scheduled start that keeps failing and for OBS away during a show; the shutdown command. */
class AlertsIT {

    private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss");
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger deliveries = new java.util.concurrent.atomic.AtomicInteger();
    /** The webhook answers 500 to this many deliveries first, as a flaky receiver would. */
    private volatile int failFirst;
    private HttpServer receiver;
    private FakeObs obs;

    @BeforeEach
    void webhook() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (deliveries.incrementAndGet() <= failFirst) {
                exchange.sendResponseHeaders(500, -1);
            } else {
                received.add(new ObjectMapper().readTree(body));
                exchange.sendResponseHeaders(204, -1);
            }
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
        if (obs != null) {
            obs.close();
        }
    }

    private TestApp start(Path home, Map<String, String> more) {
        ZonedDateTime now = ZonedDateTime.now(ZoneId.of("Europe/Berlin"));
        Map<String, String> settings = new HashMap<>(Map.of(
                "scheincam.obs.port", String.valueOf(obs.port()),
                "scheincam.obs.password", "pw",
                "scheincam.obs.reconnect-initial-millis", "100",
                "scheincam.alerts.webhooks", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                "scheincam.schedule.enabled", "true",
                "scheincam.schedule.start-time", HMS.format(now.minusMinutes(1)),
                "scheincam.schedule.end-time", HMS.format(now.plusMinutes(10)),
                "scheincam.schedule.weekdays", "0,1,2,3,4,5,6",
                "scheincam.recording.retry-delay-millis", "100"));
        settings.putAll(more);
        return TestApp.start(home, settings);
    }

    @Test
    void aScheduledStartThatKeepsFailingIsReportedOnce() {
        Path home = TestApp.newHome();
        obs = new FakeObs("pw", home.resolve("videos"), Media.cached("a.mkv", 20));
        obs.refuse("StartRecord", 702);
        try (TestApp app = start(home, Map.of())) {
            await().atMost(Duration.ofSeconds(15)).until(() -> received.stream()
                    .anyMatch(a -> a.path("kind").asText().equals("start-failed")));
            assertThat(obs.count("StartRecord")).as("first try and 3 retries before the alert").isGreaterThanOrEqualTo(4);
            assertThat(received.stream().filter(a -> a.path("kind").asText().equals("start-failed")).count()).isEqualTo(1);
            obs.allow("StartRecord");
            await().atMost(Duration.ofSeconds(10)).until(() -> json(app.get("/api/recordings/status")).path("recording").asBoolean());
            // the window opened a minute before anything was recorded: the gap is in the metadata
            String file = json(app.get("/api/recordings/status")).path("current_file").asText();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(json(app.get("/api/videos/" + file.replace(".mkv", ""))).path("gap_seconds").asDouble())
                            .isGreaterThanOrEqualTo(59.0));
        }
    }

    @Test
    void obsAwayDuringTheShowIsReportedAndPushed() throws Exception {
        Path home = TestApp.newHome();
        obs = new FakeObs("pw", home.resolve("videos"), Media.cached("a.mkv", 20));
        int port = obs.port();
        try (TestApp app = start(home, Map.of("scheincam.watchdog.enabled", "true", "scheincam.watchdog.interval-millis", "300",
                "scheincam.watchdog.obs-away-grace-seconds", "1", "scheincam.obs.audio.window-millis", "100",
                "scheincam.obs.reconnect-max-millis", "30000"))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> json(app.get("/api/recordings/status")).path("recording").asBoolean());
            List<String> pushed = new CopyOnWriteArrayList<>();
            java.net.http.WebSocket ws = app.listenToEvents(pushed);
            await().atMost(Duration.ofSeconds(5)).alias("the show's health is pushed after each check")
                    .until(() -> pushed.stream().anyMatch(p -> p.contains("\"type\":\"show-health\"")));
            obs.close();
            obs = null;
            await().atMost(Duration.ofSeconds(15)).until(() -> received.stream()
                    .anyMatch(a -> a.path("kind").asText().equals("obs-disconnected")));
            await().atMost(Duration.ofSeconds(5)).alias("alerts are pushed").until(() -> pushed.stream()
                    .anyMatch(p -> p.contains("\"type\":\"alert\"") && p.contains("obs-disconnected")));
            ws.abort();
            JsonNode status = json(app.get("/api/recordings/status"));
            assertThat(status.path("connected").asBoolean()).isFalse();
            assertThat(status.path("alerts").findValuesAsText("kind")).contains("obs-disconnected");

            // away long enough for the backoff to grow past the urgent cap; then OBS is back where it was
            await().pollDelay(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(9)).until(() -> true);
            obs = new FakeObs("pw", home.resolve("videos"), Media.cached("a.mkv", 20), port);
            long back = System.nanoTime();
            await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(50))
                    .until(() -> json(app.get("/api/recordings/status")).path("recording").asBoolean());
            System.out.println("FIGURE fake OBS back after 8 s away to recording again: " + (System.nanoTime() - back) / 1_000_000 + " ms");
        }
    }

    @Test
    void theShutdownCommandRunsOnlyWhenAllowed() throws Exception {
        Path home = TestApp.newHome();
        obs = new FakeObs("pw", home.resolve("videos"), Media.cached("a.mkv", 20));
        Path marker = home.resolve("shut-down");
        try (TestApp app = start(home, Map.of("scheincam.shutdown.command", "touch " + marker))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> json(app.get("/api/recordings/status")).path("recording").asBoolean());
            var refused = app.post("/api/admin/shutdown", "{\"force\":false}", TestApp.admin());
            assertThat(refused.statusCode()).isEqualTo(409);
            assertThat(json(refused).path("detail").asText()).contains("recording");
            assertThat(marker).doesNotExist();
            assertThat(app.post("/api/admin/shutdown", "{\"force\":true}").statusCode()).as("admin only").isEqualTo(401);
            assertThat(app.post("/api/admin/shutdown", "{\"force\":true}", TestApp.admin()).statusCode()).isEqualTo(200);
            assertThat(marker).exists();
        }
        try (TestApp none = TestApp.start(Map.of())) {
            var r = none.post("/api/admin/shutdown", "{}", TestApp.admin());
            assertThat(r.statusCode()).isEqualTo(409);
            assertThat(json(r).path("detail").asText()).contains("No shutdown command");
        }
        assertThat(Files.exists(marker)).isTrue();
    }

    @Test
    void aDiskThatFillsUpIsReportedAndDeliveredDespiteAFlakyWebhook() throws Exception {
        failFirst = 2;
        Path home = TestApp.newHome();
        obs = new FakeObs("pw", home.resolve("videos"), Media.cached("a.mkv", 20));
        // a reserve no disk has: any growth means "full too soon"
        try (TestApp app = start(home, Map.of("scheincam.watchdog.enabled", "true", "scheincam.watchdog.interval-millis", "300",
                "scheincam.obs.audio.window-millis", "100", "scheincam.watchdog.disk-reserve-hours", "100000000"))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> json(app.get("/api/recordings/status")).path("recording").asBoolean());
            Path file = app.videos.resolve(json(app.get("/api/recordings/status")).path("current_file").asText());
            // OBS writing: the file grows between watchdog checks
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> {
                Files.write(file, new byte[100_000], java.nio.file.StandardOpenOption.APPEND);
                return received.stream().anyMatch(a -> a.path("kind").asText().equals("disk"));
            });
            JsonNode disk = received.stream().filter(a -> a.path("kind").asText().equals("disk")).findFirst().orElseThrow();
            assertThat(disk.path("message").asText()).contains("disk is full in about");
            assertThat(deliveries.get()).as("two refused deliveries retried").isGreaterThanOrEqualTo(3);
            assertThat(received.stream().filter(a -> a.path("kind").asText().equals("disk")).count()).as("alerted once").isEqualTo(1);
        }
    }
}
