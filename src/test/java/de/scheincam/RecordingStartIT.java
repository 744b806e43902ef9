package de.scheincam;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.scheincam.testing.FakeObs;
import de.scheincam.testing.Media;
import de.scheincam.testing.TestApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 12, item 6 with the fake OBS: a start OBS reports although it writes no file is a failed start
 * (503, an alert, the schedule retries), never "Recording started"; and item 7: Matroska recordings
 * get short clusters through OBS's custom muxer settings, without touching an operator's own.
 */
class RecordingStartIT {

    private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss");
    private FakeObs obs;

    @AfterEach
    void stop() {
        if (obs != null) {
            obs.close();
        }
    }

    private TestApp start(Path home, boolean scheduled) {
        ZonedDateTime now = ZonedDateTime.now(ZoneId.of("Europe/Berlin"));
        Map<String, String> settings = new HashMap<>(Map.of(
                "scheincam.obs.port", String.valueOf(obs.port()),
                "scheincam.obs.password", "pw",
                "scheincam.obs.reconnect-initial-millis", "100",
                "scheincam.recording.confirm-millis", "1500",
                "scheincam.recording.retry-delay-millis", "100",
                "scheincam.schedule.enabled", String.valueOf(scheduled)));
        if (scheduled) {
            settings.putAll(Map.of("scheincam.schedule.start-time", HMS.format(now.minusMinutes(1)),
                    "scheincam.schedule.end-time", HMS.format(now.plusMinutes(10)),
                    "scheincam.schedule.weekdays", "0,1,2,3,4,5,6"));
        }
        TestApp app = TestApp.start(home, settings);
        await().atMost(Duration.ofSeconds(15)).until(() -> json(app.get("/api/recordings/status")).path("connected").asBoolean());
        return app;
    }

    @Test
    void aStartWithoutAFileIsAFailedStartNotARecording() throws Exception {
        Path home = TestApp.newHome();
        obs = new FakeObs("pw", home.resolve("videos"), Media.cached("a.mkv", 20));
        obs.writesNothing = true;
        try (TestApp app = start(home, false)) {
            HttpResponse<String> r = app.post("/api/recordings/start", "", TestApp.admin());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
            String detail = json(r).path("detail").asText();
            assertThat(detail).contains("OBS reported the recording as started").contains("did not appear")
                    .contains("nothing is being recorded");
            assertThat(r.body()).doesNotContain("Recording started");
            JsonNode status = json(app.get("/api/recordings/status"));
            assertThat(status.path("recording").asBoolean()).as(status.toString()).isFalse();
            assertThat(status.path("current_file").isNull()).isTrue();
            assertThat(status.path("alerts").toString()).contains("recording-not-written");
            assertThat(obs.count("StopRecord")).as("the output OBS thinks it runs is stopped").isEqualTo(1);
            assertThat(json(app.get("/api/videos")).path("total").asInt()).isZero();
            try (var files = Files.list(app.videos)) {
                assertThat(files.filter(f -> f.toString().endsWith(".mkv"))).isEmpty();
            }

            obs.writesNothing = false;
            HttpResponse<String> again = app.post("/api/recordings/start", "", TestApp.admin());
            assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
            assertThat(json(again).path("message").asText()).isEqualTo("Recording started");
            assertThat(Files.size(app.videos.resolve(json(again).path("filename").asText()))).isGreaterThan(4096);
        }
    }

    @Test
    void aScheduledStartWithoutAFileCountsAsFailedAndIsRetried() {
        Path home = TestApp.newHome();
        obs = new FakeObs("pw", home.resolve("videos"), Media.cached("a.mkv", 20));
        obs.writesNothing = true;
        try (TestApp app = start(home, true)) {
            await().atMost(Duration.ofSeconds(40)).until(() ->
                    json(app.get("/api/recordings/status")).path("alerts").toString().contains("start-failed"));
            assertThat(obs.count("StartRecord")).as("first try and 3 retries before the alert").isGreaterThanOrEqualTo(4);
            JsonNode status = json(app.get("/api/recordings/status"));
            assertThat(status.path("recording").asBoolean()).isFalse();
            assertThat(status.path("alerts").toString()).contains("did not appear");
            obs.writesNothing = false;
            await().atMost(Duration.ofSeconds(15)).until(() -> json(app.get("/api/recordings/status")).path("recording").asBoolean());
        }
    }

    @Test
    void matroskaGetsShortClustersAndAnOperatorsMuxerSettingsStay() {
        Path home = TestApp.newHome();
        obs = new FakeObs("pw", home.resolve("videos"), Media.cached("a.mkv", 20));
        obs.profile.put("Output/Mode", "Simple");
        obs.profile.put("SimpleOutput/RecFormat", "mkv");
        obs.profile.put("SimpleOutput/MuxerCustom", "reserve_index_space=50000");
        try (TestApp app = start(home, false)) {
            assertThat(app.post("/api/recordings/start", "", TestApp.admin()).statusCode()).isEqualTo(200);
            assertThat(obs.profile.get("SimpleOutput/MuxerCustom")).isEqualTo("reserve_index_space=50000 cluster_time_limit=1000");
            assertThat(app.post("/api/recordings/stop", "", TestApp.admin()).statusCode()).isEqualTo(200);

            // fragmented MP4: the operator's movflags stay, our Matroska option goes
            obs.profile.put("SimpleOutput/RecFormat", "mp4");
            obs.profile.put("SimpleOutput/MuxerCustom", "movflags=frag_keyframe+empty_moov+delay_moov cluster_time_limit=1000");
            await().atMost(Duration.ofSeconds(5)).until(() -> !json(app.get("/api/recordings/status")).path("recording").asBoolean());
            assertThat(app.post("/api/recordings/start", "", TestApp.admin()).statusCode()).isEqualTo(200);
            assertThat(obs.profile.get("SimpleOutput/MuxerCustom")).isEqualTo("movflags=frag_keyframe+empty_moov+delay_moov");
            assertThat(app.post("/api/recordings/stop", "", TestApp.admin()).statusCode()).isEqualTo(200);

            // Advanced output, mkv, the operator's own cluster length: left alone
            obs.profile.put("Output/Mode", "Advanced");
            obs.profile.put("AdvOut/RecFormat", "mkv");
            obs.profile.put("AdvOut/RecMuxerCustom", "cluster_time_limit=2000");
            await().atMost(Duration.ofSeconds(5)).until(() -> !json(app.get("/api/recordings/status")).path("recording").asBoolean());
            assertThat(app.post("/api/recordings/start", "", TestApp.admin()).statusCode()).isEqualTo(200);
            assertThat(obs.profile.get("AdvOut/RecMuxerCustom")).isEqualTo("cluster_time_limit=2000");
        }
    }
}
