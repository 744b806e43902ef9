package de.scheincam;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import de.scheincam.obs.ObsClient;
import de.scheincam.obs.ObsEvent;
import de.scheincam.testing.Media;
import de.scheincam.testing.RealObs;
import de.scheincam.testing.TestApp;
import org.junit.jupiter.api.Test;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The watchdog against real OBS: a camera that shows black and plays silence is noticed while
 * recording; the camera is reloaded and an alert reaches a webhook receiver started by the test.
 */
class WatchdogRealIT {

    @Test
    void aBlackSilentCameraIsReloadedAndReported() throws Exception {
        List<JsonNode> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            received.add(new ObjectMapper().readTree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        Path black = Files.createTempDirectory(Path.of("target"), "black-").resolve("black.mkv").toAbsolutePath();
        Media.run(List.of(Media.FFMPEG.ffmpeg(), "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=black:s=320x180:r=30:d=5",
                "-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo:d=5", "-c:v", "libx264", "-preset", "ultrafast",
                "-c:a", "aac", "-shortest", black.toString()));
        List<ObsEvent> events = new CopyOnWriteArrayList<>();
        try (RealObs obs = RealObs.launch("watchdog-pw")) {
            try (ObsClient observer = obs.observe(events::add)) {
                observer.request("SetInputSettings", Map.of("inputName", "Camera", "inputSettings", Map.of("local_file", black.toString())));
                observer.request("SetSourceFilterEnabled", Map.of("sourceName", "logo", "filterName", "hide", "filterEnabled", true));

                try (TestApp app = TestApp.start(Map.of(
                        "scheincam.obs.port", String.valueOf(obs.port),
                        "scheincam.obs.password", "watchdog-pw",
                        "scheincam.obs.logo.visible", "false",
                        "scheincam.obs.audio.window-millis", "500",
                        "scheincam.watchdog.enabled", "true",
                        "scheincam.watchdog.interval-millis", "1500",
                        "scheincam.watchdog.failures-before-action", "2",
                        "scheincam.alerts.webhooks", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                        "scheincam.alerts.venue", "Testbühne"))) {
                    await().atMost(Duration.ofSeconds(10)).until(() -> json(app.get("/api/recordings/status")).path("connected").asBoolean());
                    assertThat(app.post("/api/recordings/start", "", TestApp.admin()).statusCode()).isEqualTo(200);
                    events.clear();
                    await().atMost(Duration.ofSeconds(30)).until(() -> !received.isEmpty());
                    JsonNode alert = received.get(0);
                    assertThat(alert.path("kind").asText()).isEqualTo("recording");
                    assertThat(alert.path("message").asText()).contains("audio silent").contains("picture black");
                    assertThat(alert.path("venue").asText()).isEqualTo("Testbühne");
                    await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().anyMatch(e ->
                            e.type().equals("MediaInputPlaybackStarted") && "Camera".equals(e.text("inputName"))));
                    JsonNode status = json(app.get("/api/recordings/status"));
                    assertThat(status.path("watchdog").path("state").asText()).isEqualTo("failing");
                    assertThat(status.path("alerts").get(0).path("kind").asText()).isEqualTo("recording");
                    assertThat(app.post("/api/recordings/stop", "", TestApp.admin()).statusCode()).isEqualTo(200);
                }
            }
        } finally {
            receiver.stop(0);
        }
        String log = Files.readString(Path.of("target/test-logs/scheincam.log"), StandardCharsets.UTF_8);
        assertThat(log).contains("ALERT recording");
    }
}
