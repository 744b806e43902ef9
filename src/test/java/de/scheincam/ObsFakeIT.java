package de.scheincam;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import de.scheincam.testing.FakeObs;
import de.scheincam.testing.Media;
import de.scheincam.testing.TestApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The OBS client, recorder and their API against a fake obs-websocket server, including its faults. */
class ObsFakeIT {

    private static final String PASSWORD = "fake-obs-secret";
    private FakeObs obs;
    private TestApp app;

    private TestApp start(String password, Map<String, String> more) {
        Path home = TestApp.newHome();
        obs = new FakeObs(PASSWORD, home.resolve("videos"), Media.cached("a.mkv", 20));
        Map<String, String> settings = new java.util.HashMap<>(Map.of(
                "scheincam.obs.port", String.valueOf(obs.port()),
                "scheincam.obs.password", password,
                "scheincam.obs.request-timeout-millis", "1500",
                "scheincam.obs.reconnect-initial-millis", "200",
                "scheincam.obs.reconnect-max-millis", "3000",
                "scheincam.obs.heartbeat-millis", "500",
                "scheincam.recording.retry-delay-millis", "100"));
        settings.putAll(more);
        app = TestApp.start(home, settings);
        return app;
    }

    private void awaitConnected() {
        await().atMost(Duration.ofSeconds(10)).until(() -> json(app.get("/api/recordings/status")).path("connected").asBoolean());
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        if (obs != null) {
            obs.close();
        }
    }

    @Test
    void connectsWithThePasswordAndReportsOnHealth() {
        start(PASSWORD, Map.of());
        awaitConnected();
        assertThat(json(app.get("/api/health")).path("obs_connected").asBoolean()).isTrue();
        JsonNode status = json(app.get("/api/recordings/status"));
        assertThat(status.path("recording").asBoolean()).isFalse();
        assertThat(status.path("muted").asBoolean()).isFalse();
        assertThat(status.path("problem").asText()).isEmpty();
        assertThat(obs.logoFilterEnabled).as("logo shown on connect: hide filter off").isFalse();
        assertThat(app.get("/api/recordings/status").body()).doesNotContain(PASSWORD);
    }

    @Test
    void aWrongPasswordIsReportedPlainlyAndNotHammered() throws Exception {
        start("wrong-password", Map.of());
        await().atMost(Duration.ofSeconds(10)).until(() -> json(app.get("/api/recordings/status")).path("obs_state").asText().equals("auth_failed"));
        JsonNode status = json(app.get("/api/recordings/status"));
        assertThat(status.path("connected").asBoolean()).isFalse();
        assertThat(status.path("problem").asText()).contains("password");
        int attempts = obs.authFailures.get();
        Thread.sleep(2000); // a window in which a tight loop would try dozens of times
        assertThat(obs.authFailures.get() - attempts).isLessThanOrEqualTo(1);
        HttpResponse<String> start = app.post("/api/recordings/start", "", TestApp.admin());
        assertThat(start.statusCode()).isEqualTo(503);
        assertThat(json(start).path("detail").asText()).contains("password");
    }

    @Test
    void startAndStopMakeARecordingTheLibraryLists() {
        start(PASSWORD, Map.of());
        awaitConnected();
        HttpResponse<String> started = app.post("/api/recordings/start", "", TestApp.admin());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        String file = json(started).path("filename").asText();
        assertThat(file).matches("\\d{2}-\\d{2}-\\d{2}_\\d{2}-\\d{2}-\\d{2}\\.mkv");
        assertThat(obs.filenameFormatting + ".mkv").isEqualTo(file);
        assertThat(obs.recordPath).isEqualTo(app.videos.toString());
        JsonNode status = json(app.get("/api/recordings/status"));
        assertThat(status.path("recording").asBoolean()).isTrue();
        assertThat(status.path("current_file").asText()).isEqualTo(file);
        assertThat(status.path("current_start_time").asText()).isNotEmpty();
        String name = file.replace(".mkv", "");
        await().atMost(Duration.ofSeconds(5)).until(() -> app.get("/api/videos/" + name).statusCode() == 200);
        assertThat(json(app.get("/api/admin/status", TestApp.admin())).path("obs").path("recording").asBoolean()).isTrue();

        HttpResponse<String> again = app.post("/api/recordings/start", "", TestApp.admin());
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(json(again).path("detail").asText()).contains("already recording");

        HttpResponse<String> stopped = app.post("/api/recordings/stop", "", TestApp.admin());
        assertThat(stopped.statusCode()).as(stopped.body()).isEqualTo(200);
        assertThat(json(stopped).path("filename").asText()).isEqualTo(file);
        assertThat(json(app.get("/api/recordings/status")).path("recording").asBoolean()).isFalse();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode info = json(app.get("/api/videos/" + name));
            assertThat(info.path("in_progress").asBoolean()).isFalse();
            assertThat(info.path("duration").asDouble()).isBetween(19.9, 20.2);
        });
        HttpResponse<String> stopAgain = app.post("/api/recordings/stop", "", TestApp.admin());
        assertThat(stopAgain.statusCode()).isEqualTo(409);
    }

    @Test
    void aRecordingStartedAgainAfterAStopByHandContinuesTheShowAndSaysWhy() {
        start(PASSWORD, Map.of());
        awaitConnected();
        HttpResponse<String> first = app.post("/api/recordings/start", "", TestApp.admin());
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        String one = json(first).path("filename").asText().replace(".mkv", "");
        assertThat(app.post("/api/recordings/stop", "", TestApp.admin()).statusCode()).isEqualTo(200);
        // a new name needs a new second
        await().pollDelay(Duration.ofMillis(1100)).atMost(Duration.ofSeconds(2)).until(() -> true);
        HttpResponse<String> second = app.post("/api/recordings/start", "", TestApp.admin());
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        String two = json(second).path("filename").asText().replace(".mkv", "");
        assertThat(two).isNotEqualTo(one);
        await().atMost(Duration.ofSeconds(5)).until(() -> app.get("/api/videos/" + two).statusCode() == 200);
        JsonNode resumed = json(app.get("/api/videos/" + two));
        assertThat(resumed.path("gap_reason").asText()).isEqualTo("stopped-by-hand");
        assertThat(resumed.path("show_id").asText()).isEqualTo(json(app.get("/api/videos/" + one)).path("show_id").asText())
                .isNotEmpty();
        assertThat(json(app.get("/api/videos/" + one)).has("gap_reason")).as("the show's first part: no gap before it").isFalse();

        // the operator's lineup, and the one tap that starts the next act while the show is recorded
        String show = resumed.path("show_id").asText();
        HttpResponse<String> lineup = app.send("PUT", "/api/shows/" + show + "/acts", "{\"acts\":[{\"name\":\"Anna\"},{\"name\":\"Ben\"}]}",
                "Content-Type", "application/json", TestApp.admin()[0], TestApp.admin()[1]);
        assertThat(lineup.statusCode()).as(lineup.body()).isEqualTo(200);
        HttpResponse<String> next = app.post("/api/shows/current/acts/next", "", TestApp.admin());
        assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
        JsonNode acts = json(next).path("acts");
        assertThat(acts.get(0).path("source").asText()).isEqualTo("marked");
        assertThat(acts.get(0).path("start_time").asText()).startsWith(java.time.LocalDate.now(java.time.ZoneId.of("Europe/Berlin")).toString());
        assertThat(acts.get(0).path("end_time").isNull()).isTrue();
        assertThat(acts.get(1).path("start_time").isNull()).isTrue();
        assertThat(json(app.get("/api/shows/" + show)).path("acts")).isEqualTo(acts);
        assertThat(obs.received).as("OBS 29 offers no chapters: none asked for")
                .noneMatch(r -> "CreateRecordChapter".equals(r.path("requestType").asText()));
        assertThat(obs.received).as("the fake OBS logs what it receives")
                .anyMatch(r -> "StartRecord".equals(r.path("requestType").asText()));
        assertThat(app.post("/api/recordings/stop", "", TestApp.admin()).statusCode()).isEqualTo(200);
    }

    @Test
    void aStoppedEventBeforeTheAnswerIsHandled() {
        start(PASSWORD, Map.of());
        awaitConnected();
        obs.stoppedEventBeforeResponse = true;
        assertThat(app.post("/api/recordings/start", "", TestApp.admin()).statusCode()).isEqualTo(200);
        HttpResponse<String> stopped = app.post("/api/recordings/stop", "", TestApp.admin());
        assertThat(stopped.statusCode()).as(stopped.body()).isEqualTo(200);
        assertThat(json(app.get("/api/recordings/status")).path("recording").asBoolean()).isFalse();
    }

    @Test
    void obsRefusalsAreReportedWithTheirCodeAndRetriedForStarts() {
        start(PASSWORD, Map.of());
        awaitConnected();
        obs.refuse("SetCurrentProgramScene", 600);
        HttpResponse<String> mute = app.post("/api/admin/mute", "{\"muted\":true}", TestApp.admin());
        assertThat(mute.statusCode()).isEqualTo(502);
        assertThat(json(mute).path("detail").asText()).contains("600").contains("SetCurrentProgramScene");

        obs.refuse("SetProfileParameter", 702);
        HttpResponse<String> start = app.post("/api/recordings/start", "", TestApp.admin());
        assertThat(start.statusCode()).isEqualTo(502);
        assertThat(obs.count("SetProfileParameter")).as("first try plus 3 retries").isEqualTo(4);
        assertThat(obs.count("StartRecord")).isZero();
    }

    @Test
    void aSilentObsAnswers503WithinTheRequestTimeout() {
        start(PASSWORD, Map.of("scheincam.obs.heartbeat-millis", "60000"));
        awaitConnected();
        obs.silent = true;
        long t0 = System.nanoTime();
        HttpResponse<String> mute = app.post("/api/admin/mute", "{\"muted\":true}", TestApp.admin());
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(mute.statusCode()).isEqualTo(503);
        assertThat(json(mute).path("detail").asText()).contains("did not answer");
        assertThat(millis).isLessThan(4000);
    }

    @Test
    void aDroppedConnectionIsNoticedAndStateIsSyncedOnReconnect() {
        start(PASSWORD, Map.of());
        awaitConnected();
        obs.recording = true; // OBS started recording by itself while we were away
        obs.scene = "muted";
        obs.dropConnections();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode status = json(app.get("/api/recordings/status"));
            assertThat(status.path("connected").asBoolean()).isTrue();
            assertThat(status.path("recording").asBoolean()).as("adopted").isTrue();
            assertThat(status.path("muted").asBoolean()).isTrue();
        });
        assertThat(obs.connections.get()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aHalfOpenConnectionIsDetectedByTheHeartbeat() {
        start(PASSWORD, Map.of("scheincam.obs.request-timeout-millis", "700"));
        awaitConnected();
        obs.silent = true;
        await().atMost(Duration.ofSeconds(5)).until(() -> !json(app.get("/api/recordings/status")).path("connected").asBoolean());
        obs.silent = false;
        await().atMost(Duration.ofSeconds(10)).until(() -> json(app.get("/api/recordings/status")).path("connected").asBoolean());
    }

    @Test
    void manyPreviewViewersShareOneScreenshot() {
        start(PASSWORD, Map.of("scheincam.obs.preview.interval-millis", "1000"));
        awaitConnected();
        ExecutorService pool = Executors.newFixedThreadPool(50);
        List<CompletableFuture<HttpResponse<String>>> viewers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            viewers.add(CompletableFuture.supplyAsync(() -> app.get("/api/recordings/preview"), pool));
        }
        for (CompletableFuture<HttpResponse<String>> v : viewers) {
            JsonNode preview = json(v.join());
            assertThat(preview.path("connected").asBoolean()).isTrue();
            assertThat(preview.path("image").asText()).startsWith("data:image/jpg;base64,");
        }
        pool.shutdown();
        assertThat(obs.count("GetSourceScreenshot")).isBetween(1, 2);
    }

    @Test
    void muteLogoCameraAndAudioCheckDriveObs() {
        start(PASSWORD, Map.of("scheincam.obs.audio.window-millis", "600"));
        awaitConnected();
        JsonNode mute = json(app.post("/api/admin/mute", "{\"muted\":true}", TestApp.admin()));
        assertThat(mute.path("muted").asBoolean()).isTrue();
        assertThat(obs.scene).isEqualTo("muted");
        await().atMost(Duration.ofSeconds(3)).until(() -> json(app.get("/api/recordings/preview")).path("muted").asBoolean());
        app.post("/api/admin/mute", "{\"muted\":false}", TestApp.admin());
        assertThat(obs.scene).isEqualTo("main");

        app.post("/api/admin/logo", "{\"visible\":false}", TestApp.admin());
        assertThat(obs.logoFilterEnabled).isTrue();
        app.post("/api/admin/logo", "{\"visible\":true}", TestApp.admin());
        assertThat(obs.logoFilterEnabled).isFalse();

        HttpResponse<String> reload = app.post("/api/admin/camera/reload", "", TestApp.admin());
        assertThat(reload.statusCode()).isEqualTo(200);
        assertThat(obs.count("SetInputSettings")).isEqualTo(1);
        assertThat(obs.count("TriggerMediaInputAction")).isEqualTo(1);

        JsonNode audio = json(app.get("/api/admin/audio/check", TestApp.admin()));
        assertThat(audio.path("working").asBoolean()).as(audio.toString()).isTrue();
        assertThat(audio.path("audio_range").asDouble()).isGreaterThan(0.01);
    }

    @Test
    void recordingAndAdminControlsNeedTheAdminToken() {
        start(PASSWORD, Map.of());
        awaitConnected();
        for (String[] call : new String[][] {{"POST", "/api/recordings/start"}, {"POST", "/api/recordings/stop"},
                {"GET", "/api/admin/status"}, {"POST", "/api/admin/camera/reload"}, {"GET", "/api/admin/audio/check"}}) {
            HttpResponse<String> r = app.send(call[0], call[1], null);
            assertThat(r.statusCode()).as(call[1]).isEqualTo(401);
        }
        assertThat(app.post("/api/admin/mute", "{\"muted\":true}", "Authorization", "Bearer nope").statusCode()).isEqualTo(401);
        assertThat(obs.scene).isEqualTo("main");
        assertThat(obs.count("StartRecord")).isZero();
    }

    @Test
    void recordingChangesArePushedToWebsocketClients() throws Exception {
        start(PASSWORD, Map.of());
        awaitConnected();
        List<String> pushed = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.net.http.WebSocket ws = app.listenToEvents(pushed);
        assertThat(app.post("/api/recordings/start", "", TestApp.admin()).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> pushed.stream().anyMatch(p ->
                p.contains("\"type\":\"recording\"") && p.contains("\"recording\":true")));
        ws.abort();
        // the API keeps answering on the shared port
        for (int i = 0; i < 10; i++) {
            assertThat(app.get("/api/ping").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void withoutObsTheAppStaysReadyAndSaysSo() {
        start(PASSWORD, Map.of());
        awaitConnected();
        obs.close();
        obs = null;
        await().atMost(Duration.ofSeconds(5)).until(() -> !json(app.get("/api/recordings/status")).path("connected").asBoolean());
        assertThat(json(app.get("/api/health")).path("obs_connected").asBoolean()).isFalse();
        assertThat(app.get("/observe/health/ready").statusCode()).isEqualTo(200);
        HttpResponse<String> start = app.post("/api/recordings/start", "", TestApp.admin());
        assertThat(start.statusCode()).isEqualTo(503);
        assertThat(json(app.get("/api/recordings/preview")).path("image").isNull()).isTrue();
    }
}
