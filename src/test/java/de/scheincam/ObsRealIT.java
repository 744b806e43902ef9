package de.scheincam;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import de.scheincam.obs.ObsCapabilities;
import de.scheincam.obs.ObsClient;
import de.scheincam.obs.ObsEvent;
import de.scheincam.testing.FakeObs;
import de.scheincam.testing.Media;
import de.scheincam.testing.RealObs;
import de.scheincam.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * ScheinCam against real OBS Studio 29 / obs-websocket 5.1 under Xvfb: recording, preview, scenes,
 * logo, audio, camera reload, OBS crashing mid-show and coming back, a wrong password.
 * Prints the figures the OBS issue asks for (lines starting with FIGURE).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObsRealIT {

    private static final String PASSWORD = "real-obs-secret-42";
    static RealObs obs;
    static ObsClient observer;
    static TestApp app;
    static final List<ObsEvent> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startObsAndApp() throws Exception {
        Path home = TestApp.newHome();
        obs = RealObs.launch(PASSWORD);
        observer = obs.observe(events::add);
        app = TestApp.start(home, Map.of(
                "scheincam.obs.port", String.valueOf(obs.port),
                "scheincam.obs.password", PASSWORD,
                "scheincam.obs.reconnect-initial-millis", "250",
                "scheincam.obs.reconnect-max-millis", "1000",
                "scheincam.obs.heartbeat-millis", "1000",
                "scheincam.obs.audio.window-millis", "2000"));
        await().atMost(Duration.ofSeconds(15)).until(() -> json(app.get("/api/recordings/status")).path("connected").asBoolean());
    }

    @AfterAll
    static void stopAll() {
        if (app != null) {
            app.close();
        }
        if (observer != null) {
            observer.close();
        }
        if (obs != null) {
            obs.close();
        }
    }

    @Test
    @Order(0)
    void obs29OffersWhatTheFakeObsPlaysAndNoChapters() {
        de.scheincam.obs.Recorder recorder = app.camel().getRegistry().lookupByNameAndType("recorder", de.scheincam.obs.Recorder.class);
        ObsCapabilities capabilities = recorder.capabilities();
        System.out.println("FIGURE GetVersion: obsVersion " + capabilities.obsVersion() + ", obsWebSocketVersion "
                + capabilities.obsWebSocketVersion() + ", " + capabilities.availableRequests().size() + " requests; "
                + ObsCapabilities.SET_RECORD_DIRECTORY + " " + capabilities.offers(ObsCapabilities.SET_RECORD_DIRECTORY) + ", "
                + ObsCapabilities.SPLIT_RECORD_FILE + " " + capabilities.offers(ObsCapabilities.SPLIT_RECORD_FILE) + ", "
                + ObsCapabilities.CREATE_RECORD_CHAPTER + " " + capabilities.offers(ObsCapabilities.CREATE_RECORD_CHAPTER));
        System.out.println("FIGURE availableRequests: " + new java.util.TreeSet<>(capabilities.availableRequests()));
        assertThat(capabilities.obsVersion()).startsWith("29.");
        assertThat(capabilities.obsWebSocketVersion()).startsWith("5.");
        // the fake's default is this OBS: tests against it see the same requests on offer
        assertThat(capabilities.availableRequests()).containsExactlyInAnyOrderElementsOf(FakeObs.OBS_29_REQUESTS);
        assertThat(capabilities.offers(ObsCapabilities.CREATE_RECORD_CHAPTER)).isFalse();

        assertThat(app.post("/api/recordings/start", "", TestApp.admin()).statusCode()).isEqualTo(200);
        assertThat(recorder.chapter("Act 1")).as("OBS 29 has no chapters: nothing sent").isFalse();
        assertThat(app.post("/api/recordings/stop", "", TestApp.admin()).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(1)
    void startAndStopMakeARecordingWithTheChosenNameAndTrueTimes() {
        long t0 = System.nanoTime();
        HttpResponse<String> started = app.post("/api/recordings/start", "", TestApp.admin());
        long startLatency = (System.nanoTime() - t0) / 1_000_000;
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        System.out.println("FIGURE start request to OBS_WEBSOCKET_OUTPUT_STARTED: " + startLatency + " ms");
        String file = json(started).path("filename").asText();
        assertThat(file).matches("\\d{2}-\\d{2}-\\d{2}_\\d{2}-\\d{2}-\\d{2}( \\(\\d+\\))?\\.mkv");
        // OBS reports STARTED as its muxer opens the file: it appears a moment later
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(app.videos.resolve(file)));
        assertThat(json(app.get("/api/recordings/status")).path("current_file").asText()).isEqualTo(file);

        await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> true); // record 4 s
        HttpResponse<String> stopped = app.post("/api/recordings/stop", "", TestApp.admin());
        assertThat(stopped.statusCode()).as(stopped.body()).isEqualTo(200);
        assertThat(json(app.get("/api/recordings/status")).path("recording").asBoolean()).isFalse();

        double seconds = Media.duration(app.videos.resolve(file));
        // the start answers once the file is confirmed growing: the recording runs from before that answer
        assertThat(seconds).isBetween(3.0, 6.0 + startLatency / 1000.0);
        String name = file.replace(".mkv", "");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonNode info = json(app.get("/api/videos/" + name));
            assertThat(info.path("in_progress").asBoolean()).isFalse();
            assertThat(info.path("duration").asDouble()).isCloseTo(seconds, org.assertj.core.data.Offset.offset(0.1));
            assertThat(info.path("end_time").asText()).isNotEmpty();
        });
    }

    @Test
    @Order(2)
    void previewIsAJpegOfTheProgram() throws Exception {
        JsonNode preview = json(app.get("/api/recordings/preview"));
        assertThat(preview.path("connected").asBoolean()).isTrue();
        String image = preview.path("image").asText();
        assertThat(image).startsWith("data:image/jpg;base64,");
        BufferedImage jpeg = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(image.substring(image.indexOf(',') + 1))));
        assertThat(jpeg.getWidth()).isEqualTo(512);
        assertThat(jpeg.getHeight()).isEqualTo(288);
    }

    @Test
    @Order(3)
    void muteSwitchesTheSceneAndLogoTogglesTheFilter() {
        assertThat(app.post("/api/admin/mute", "{\"muted\":true}", TestApp.admin()).statusCode()).isEqualTo(200);
        assertThat(observer.request("GetCurrentProgramScene").path("currentProgramSceneName").asText()).isEqualTo("muted");
        assertThat(json(app.get("/api/recordings/status")).path("muted").asBoolean()).isTrue();
        app.post("/api/admin/mute", "{\"muted\":false}", TestApp.admin());
        assertThat(observer.request("GetCurrentProgramScene").path("currentProgramSceneName").asText()).isEqualTo("main");

        app.post("/api/admin/logo", "{\"visible\":false}", TestApp.admin());
        assertThat(observer.request("GetSourceFilter", Map.of("sourceName", "logo", "filterName", "hide"))
                .path("filterEnabled").asBoolean()).isTrue();
        app.post("/api/admin/logo", "{\"visible\":true}", TestApp.admin());
        assertThat(observer.request("GetSourceFilter", Map.of("sourceName", "logo", "filterName", "hide"))
                .path("filterEnabled").asBoolean()).isFalse();
    }

    @Test
    @Order(4)
    void audioCheckHearsTheTone() {
        JsonNode audio = json(app.get("/api/admin/audio/check", TestApp.admin()));
        assertThat(audio.path("working").asBoolean()).as(audio.toString()).isTrue();
        assertThat(audio.path("audio_range").asDouble()).isGreaterThan(0.01);
    }

    @Test
    @Order(5)
    void cameraReloadRestartsTheInput() {
        events.clear();
        HttpResponse<String> reload = app.post("/api/admin/camera/reload", "", TestApp.admin());
        assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().anyMatch(e ->
                e.type().equals("MediaInputPlaybackStarted") && "Camera".equals(e.text("inputName"))));
    }

    @Test
    @Order(6)
    void obsKilledMidRecordingThenRestarted() {
        HttpResponse<String> started = app.post("/api/recordings/start", "", TestApp.admin());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        String file = json(started).path("filename").asText();
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true); // record 3 s

        long killed = System.nanoTime();
        obs.kill();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> !json(app.get("/api/recordings/status")).path("connected").asBoolean());
        System.out.println("FIGURE OBS killed to status disconnected: " + (System.nanoTime() - killed) / 1_000_000 + " ms");
        assertThat(json(app.get("/api/recordings/status")).path("recording").asBoolean()).isFalse();
        String name = file.replace(".mkv", "");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonNode info = json(app.get("/api/videos/" + name));
            assertThat(info.path("in_progress").asBoolean()).isFalse();
            assertThat(info.path("duration").asDouble()).as("the partial mkv is readable").isBetween(1.5, 6.0);
            assertThat(info.path("end_time").asText()).isNotEmpty();
        });

        obs.start();
        long back = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> json(app.get("/api/recordings/status")).path("connected").asBoolean());
        System.out.println("FIGURE OBS back to reconnected: " + (System.nanoTime() - back) / 1_000_000 + " ms");
        JsonNode status = json(app.get("/api/recordings/status"));
        assertThat(status.path("recording").asBoolean()).isFalse();
        assertThat(status.path("muted").asBoolean()).isFalse();
        assertThat(app.post("/api/admin/mute", "{\"muted\":false}", TestApp.admin()).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(7)
    void aWrongPasswordIsReportedAndNotHammered() {
        try (TestApp wrong = TestApp.start(Map.of("scheincam.obs.port", String.valueOf(obs.port),
                "scheincam.obs.password", "not-the-password",
                "scheincam.obs.reconnect-initial-millis", "100",
                "scheincam.obs.reconnect-max-millis", "5000"))) {
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    json(wrong.get("/api/recordings/status")).path("obs_state").asText().equals("auth_failed"));
            assertThat(json(wrong.get("/api/recordings/status")).path("problem").asText()).contains("password");
            ObsClient client = wrong.camel().getRegistry().lookupByNameAndType("obs", ObsClient.class);
            int attempts = client.connectAttempts();
            await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
            assertThat(client.connectAttempts() - attempts).as("attempts in 3 s after a refused password").isLessThanOrEqualTo(1);
        }
    }
}
