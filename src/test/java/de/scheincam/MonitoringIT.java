package de.scheincam;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.scheincam.testing.FakeObs;
import de.scheincam.testing.Media;
import de.scheincam.testing.Scrape;
import de.scheincam.testing.TestApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Prometheus metrics at /observe/metrics and Camel health at /observe/health (all checks), /ready and
 * /live, read over HTTP from the booted app while the things they measure change.
 */
class MonitoringIT {

    private FakeObs obs;
    private TestApp app;

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
    void metricsFollowObsTheRecordingTheLibraryAndExports() throws IOException {
        Path home = TestApp.newHome();
        obs = new FakeObs(null, home.resolve("videos"), Media.cached("a.mkv", 20));
        app = TestApp.start(home, Map.of("scheincam.obs.port", String.valueOf(obs.port()),
                "scheincam.obs.reconnect-initial-millis", "200", "scheincam.obs.reconnect-max-millis", "1000",
                "scheincam.obs.heartbeat-millis", "500"));
        await().atMost(Duration.ofSeconds(10)).until(() -> Scrape.of(app).value("scheincam_obs_connected") == 1.0);
        Scrape first = Scrape.of(app);
        assertThat(first.value("scheincam_recordings")).isZero();
        assertThat(first.value("scheincam_recordings_size_bytes")).isZero();
        assertThat(first.value("scheincam_recording")).isZero();
        assertThat(first.value("scheincam_watchdog_state{state=\"idle\"}")).isEqualTo(1.0);
        assertThat(first.value("scheincam_exports{state=\"queued\"}")).isZero();
        assertThat(first.value("scheincam_disk_free_bytes")).isGreaterThan(0);
        assertThat(first.total("scheincam_export_duration_seconds_count")).isZero();

        // a file lands in videos/: counted, with its bytes
        Path landed = app.videos.resolve("25-01-24_19-50-00.mkv");
        Files.copy(Media.cached("a.mkv", 20), landed);
        long bytes = Files.size(landed);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Scrape s = Scrape.of(app);
            assertThat(s.value("scheincam_recordings")).isEqualTo(1.0);
            assertThat(s.value("scheincam_recordings_size_bytes")).isEqualTo((double) bytes);
        });

        // OBS records: the gauge flips and tonight's seconds grow while it runs
        HttpResponse<String> start = app.post("/api/recordings/start", "", TestApp.admin());
        assertThat(start.statusCode()).as(start.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Scrape s = Scrape.of(app);
            assertThat(s.value("scheincam_recording")).isEqualTo(1.0);
            assertThat(s.value("scheincam_recordings")).isEqualTo(2.0);
            assertThat(s.value("scheincam_recorded_tonight_seconds")).isGreaterThan(0.0);
        });
        double during = Scrape.of(app).value("scheincam_recorded_tonight_seconds");
        await().atMost(Duration.ofSeconds(5)).until(() -> Scrape.of(app).value("scheincam_recorded_tonight_seconds") >= during + 1);
        HttpResponse<String> stop = app.post("/api/recordings/stop", "", TestApp.admin());
        assertThat(stop.statusCode()).as(stop.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> Scrape.of(app).value("scheincam_recording") == 0.0);

        // an export: the duration timer counts it
        HttpResponse<String> export = app.post("/api/videos/export",
                "{\"filename\":\"25-01-24_19-50-00\",\"start_time\":\"19:50:02\",\"end_time\":\"19:50:06\"}");
        assertThat(export.statusCode()).as(export.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Scrape s = Scrape.of(app);
            assertThat(s.total("scheincam_export_duration_seconds_count")).isEqualTo(1.0);
            assertThat(s.total("scheincam_export_duration_seconds_sum")).isGreaterThan(0.0);
            assertThat(s.value("scheincam_exports{state=\"running\"}")).isZero();
        });

        // with OBS connected everything is UP
        HttpResponse<String> health = app.get("/observe/health");
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);

        // OBS goes away: its gauge and its check say so; the app stays live and ready (it still serves clips)
        obs.close();
        obs = null;
        await().atMost(Duration.ofSeconds(10)).until(() -> Scrape.of(app).value("scheincam_obs_connected") == 0.0);
        HttpResponse<String> all = app.get("/observe/health");
        assertThat(all.statusCode()).isEqualTo(503);
        JsonNode down = json(all);
        assertThat(down.path("status").asText()).isEqualTo("DOWN");
        assertThat(down.path("checks").findValuesAsText("name")).containsExactly("obs");
        assertThat(down.path("checks").get(0).path("message").asText()).contains("OBS is not connected");
        assertThat(app.get("/observe/health/ready").statusCode()).isEqualTo(200);
        assertThat(app.get("/observe/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void readinessFallsWhenTheDiskIsShortOrFfmpegCannotRunAndLivenessStays() {
        // a floor above any real free space, and an ffmpeg that is not there
        app = TestApp.start(Map.of("scheincam.export.min-free-mb", String.valueOf(Long.MAX_VALUE / (1024 * 1024 * 2)),
                "scheincam.ffmpeg.path", "/nonexistent/ffmpeg"));
        HttpResponse<String> ready = app.get("/observe/health/ready");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
        JsonNode checks = json(ready).path("checks");
        assertThat(checks.findValuesAsText("name")).containsExactlyInAnyOrder("disk", "ffmpeg");
        assertThat(ready.body()).contains("exports are refused below").contains("ffmpeg cannot run");
        assertThat(app.get("/observe/health/live").statusCode()).isEqualTo(200);
        Scrape s = Scrape.of(app);
        assertThat(s.value("scheincam_disk_min_free_bytes")).isGreaterThan(s.value("scheincam_disk_free_bytes"));
    }

    @Test
    void readinessIsUpWithDiskAndFfmpegFine() {
        app = TestApp.start(Map.of());
        HttpResponse<String> ready = app.get("/observe/health/ready");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(json(ready).path("status").asText()).isEqualTo("UP");
    }
}
