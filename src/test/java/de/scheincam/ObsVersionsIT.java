package de.scheincam;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.scheincam.obs.ObsCapabilities;
import de.scheincam.obs.Recorder;
import de.scheincam.testing.FakeObs;
import de.scheincam.testing.Media;
import de.scheincam.testing.TestApp;
import de.scheincam.watchdog.ShowWatchdog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * OBS 29 and OBS 30+ side by side, against the fake OBS: what GetVersion offers decides how the record
 * directory is set, whether chapters are marked, and a split file (obs-websocket 5.5) continues the show;
 * "not ready" answers are retried.
 */
class ObsVersionsIT {

    private static final String PASSWORD = "fake-obs-secret";
    private static final Path SAMPLE = Media.cached("a.mkv", 20);
    private FakeObs obs;
    private TestApp app;

    private void start(boolean obs55, Map<String, String> more) {
        Path home = TestApp.newHome();
        obs = new FakeObs(PASSWORD, home.resolve("videos"), SAMPLE);
        if (obs55) {
            obs.speak55();
        }
        Map<String, String> settings = new java.util.HashMap<>(Map.of(
                "scheincam.obs.port", String.valueOf(obs.port()),
                "scheincam.obs.password", PASSWORD,
                "scheincam.obs.request-timeout-millis", "1500",
                "scheincam.obs.reconnect-initial-millis", "200",
                "scheincam.obs.heartbeat-millis", "500",
                "scheincam.watchdog.enabled", "false",
                "scheincam.recording.retry-delay-millis", "100"));
        settings.putAll(more);
        app = TestApp.start(home, settings);
        await().atMost(Duration.ofSeconds(10)).until(() -> json(app.get("/api/recordings/status")).path("connected").asBoolean());
    }

    private <T> T bean(String name, Class<T> type) {
        return app.camel().getRegistry().lookupByNameAndType(name, type);
    }

    private List<JsonNode> received(String requestType) {
        return obs.received.stream().filter(r -> requestType.equals(r.path("requestType").asText())).toList();
    }

    private String startRecording() {
        HttpResponse<String> started = app.post("/api/recordings/start", "", TestApp.admin());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        return json(started).path("filename").asText();
    }

    /** A recording as /api/videos lists it (a name with " (2)" is not one the path parameter takes). */
    private JsonNode listed(String filename) {
        for (JsonNode r : json(app.get("/api/videos")).path("videos")) {
            if (filename.equals(r.path("filename").asText())) {
                return r;
            }
        }
        throw new AssertionError(filename + " is not listed");
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
    void obs29KeepsTheProfilePathAndGetsNoChapters() {
        start(false, Map.of());
        ObsCapabilities capabilities = bean("recorder", Recorder.class).capabilities();
        assertThat(capabilities.obsWebSocketVersion()).isEqualTo("5.1.0");
        assertThat(capabilities.offers("GetRecordStatus")).isTrue();
        assertThat(capabilities.offers(ObsCapabilities.SET_RECORD_DIRECTORY)).isFalse();

        startRecording();
        assertThat(received("SetRecordDirectory")).isEmpty();
        assertThat(received("SetProfileParameter")).extracting(r -> r.path("requestData").path("parameterName").asText())
                .contains("FilePath", "RecFilePath");
        assertThat(obs.profile).containsEntry("SimpleOutput/FilePath", app.videos.toString())
                .containsEntry("AdvOut/RecFilePath", app.videos.toString());

        assertThat(bean("recorder", Recorder.class).chapter("Act 1")).isFalse();
        assertThat(obs.count("CreateRecordChapter")).as("not sent to an OBS that does not offer it").isZero();
    }

    @Test
    void obs55GetsTheRecordDirectoryAndChapters() {
        start(true, Map.of());
        ObsCapabilities capabilities = bean("recorder", Recorder.class).capabilities();
        assertThat(capabilities.obsVersion()).isEqualTo("31.0.0");
        assertThat(capabilities.obsWebSocketVersion()).isEqualTo("5.5.4");
        assertThat(capabilities.offers(ObsCapabilities.CREATE_RECORD_CHAPTER)).isTrue();
        Recorder recorder = bean("recorder", Recorder.class);
        assertThat(recorder.chapter("Before the show")).as("not recording: nothing to mark").isFalse();

        startRecording();
        assertThat(received("SetRecordDirectory")).singleElement()
                .satisfies(r -> assertThat(r.path("requestData").path("recordDirectory").asText())
                        .isEqualTo(app.videos.toAbsolutePath().normalize().toString()));
        assertThat(received("SetProfileParameter")).extracting(r -> r.path("requestData").path("parameterName").asText())
                .doesNotContain("FilePath", "RecFilePath");
        assertThat(obs.recordPath).isEqualTo(app.videos.toAbsolutePath().normalize().toString());

        assertThat(recorder.chapter("Act 1: Die Zauberin")).isTrue();
        assertThat(obs.chapters).containsExactly("Act 1: Die Zauberin");
        obs.refuse("CreateRecordChapter", 702); // e.g. a recording format without chapters
        assertThat(recorder.chapter("Act 2")).isFalse();
    }

    @Test
    void theNextActTapMarksAChapterWhereObsOffersIt() {
        start(true, Map.of());
        startRecording();
        String show = await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (JsonNode s : json(app.get("/api/shows")).path("shows")) {
                if (s.path("in_progress").asBoolean()) {
                    return s.path("id").asText();
                }
            }
            return null;
        }, java.util.Objects::nonNull);
        HttpResponse<String> lineup = app.send("PUT", "/api/shows/" + show + "/acts",
                "{\"acts\":[{\"name\":\"Anna: Die Zauberin\"},{\"name\":\"Ben\"}]}",
                "Content-Type", "application/json", TestApp.admin()[0], TestApp.admin()[1]);
        assertThat(lineup.statusCode()).as(lineup.body()).isEqualTo(200);

        HttpResponse<String> first = app.post("/api/shows/current/acts/next", "", TestApp.admin());
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(json(first).path("id").asText()).as("the answer is the show, as without chapters").isEqualTo(show);
        assertThat(json(first).path("acts").get(0).path("source").asText()).isEqualTo("marked");
        assertThat(obs.chapters).containsExactly("Anna: Die Zauberin");

        assertThat(app.post("/api/shows/current/acts/next", "", TestApp.admin()).statusCode()).isEqualTo(200);
        assertThat(obs.chapters).containsExactly("Anna: Die Zauberin", "Ben");
        // the last act ends: no act starts, no chapter
        HttpResponse<String> last = app.post("/api/shows/current/acts/next", "", TestApp.admin());
        assertThat(last.statusCode()).as(last.body()).isEqualTo(200);
        assertThat(json(last).path("acts").get(1).path("end_time").isTextual()).isTrue();
        assertThat(obs.chapters).containsExactly("Anna: Die Zauberin", "Ben");
        assertThat(json(app.get("/api/shows/" + show)).path("acts")).isEqualTo(json(last).path("acts"));
    }

    @Test
    void aSplitContinuesTheShowInTheNewFile() throws Exception {
        start(true, Map.of());
        String first = startRecording();
        String firstName = first.replace(".mkv", "");
        Path firstFile = app.videos.resolve(first);
        long whole = Files.size(SAMPLE);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.size(firstFile) == whole);
        ShowWatchdog watchdog = bean("watchdog", ShowWatchdog.class);
        watchdog.check(); // knows the first file at its full size

        obs.splitNow();
        String second = firstName + " (2).mkv";
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(json(app.get("/api/recordings/status")).path("current_file").asText()).isEqualTo(second));
        JsonNode status = json(app.get("/api/recordings/status"));
        assertThat(status.path("recording").asBoolean()).as("a split is no stop").isTrue();
        assertThat(Files.size(app.videos.resolve(second))).as("the new file starts small").isLessThan(whole);

        watchdog.check();
        assertThat(watchdog.verdict().problems()).doesNotContain("recording file not growing");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode old = listed(first);
            assertThat(old.path("in_progress").asBoolean()).as("the first file is finished").isFalse();
            assertThat(old.path("duration").asDouble()).isBetween(19.9, 20.2);
            JsonNode next = listed(second);
            assertThat(next.path("gap_seconds").isNumber()).as(next.toString()).isTrue();
            assertThat(next.path("gap_seconds").asDouble()).as("continues the show").isZero();
        });
        assertThat(listed(first).path("gap_seconds").isNull()).isTrue();
        // the second file's name is the first one's plus " (2)": its start is when OBS split, not the name's
        LocalDateTime firstStart = LocalDateTime.parse(listed(first).path("start_time").asText());
        LocalDateTime secondStart = LocalDateTime.parse(listed(second).path("start_time").asText());
        assertThat(secondStart).isAfterOrEqualTo(firstStart.plusSeconds(2)).isBeforeOrEqualTo(firstStart.plusSeconds(15));

        HttpResponse<String> stopped = app.post("/api/recordings/stop", "", TestApp.admin());
        assertThat(stopped.statusCode()).as(stopped.body()).isEqualTo(200);
        assertThat(json(stopped).path("filename").asText()).isEqualTo(second);

        // one evening, not two: one show with both files as its parts and no gap between them
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonNode shows = json(app.get("/api/shows"));
            assertThat(shows.path("total").asInt()).as(shows.toString()).isEqualTo(1);
            JsonNode show = shows.path("shows").get(0);
            assertThat(show.path("in_progress").asBoolean()).as(show.toString()).isFalse();
            assertThat(show.path("parts").findValuesAsText("filename")).containsExactly(first, second);
            assertThat(show.path("gaps")).as("a split is no gap").isEmpty();
            assertThat(show.path("id").asText()).isEqualTo(listed(first).path("show_id").asText())
                    .isEqualTo(listed(second).path("show_id").asText());
        });
    }

    @Test
    void notReadyIsRetriedUntilObsIsReady() {
        start(false, Map.of("scheincam.obs.not-ready-tries", "10", "scheincam.obs.not-ready-delay-millis", "50"));
        obs.notReady("SetCurrentProgramScene", 3);
        HttpResponse<String> mute = app.post("/api/admin/mute", "{\"muted\":true}", TestApp.admin());
        assertThat(mute.statusCode()).as(mute.body()).isEqualTo(200);
        assertThat(obs.count("SetCurrentProgramScene")).as("three times not ready, then done").isEqualTo(4);
        assertThat(obs.scene).isEqualTo("muted");
    }

    @Test
    void anObsThatNeverGetsReadyFailsAsBeforeAfterTheTries() {
        start(false, Map.of("scheincam.obs.not-ready-tries", "4", "scheincam.obs.not-ready-delay-millis", "50"));
        obs.notReady("SetCurrentProgramScene", Integer.MAX_VALUE);
        HttpResponse<String> mute = app.post("/api/admin/mute", "{\"muted\":true}", TestApp.admin());
        assertThat(mute.statusCode()).isEqualTo(502);
        assertThat(json(mute).path("detail").asText()).contains("207").contains("SetCurrentProgramScene");
        assertThat(obs.count("SetCurrentProgramScene")).as("the configured tries, no more").isEqualTo(4);
        assertThat(obs.scene).isEqualTo("main");
    }
}
