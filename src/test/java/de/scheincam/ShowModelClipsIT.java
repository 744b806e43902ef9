package de.scheincam;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.scheincam.remux.JoinClipIT;
import de.scheincam.testing.Media;
import de.scheincam.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Clips and frames by show with the app's own show model (package shows): an evening recorded in two
 * parts 20 s apart (one schedule window) is one show; a clip across its gap, by the id GET /api/shows
 * gives, joins both recordings as one stream copy and names the gap; a frame in the gap is refused.
 */
class ShowModelClipsIT {

    private static final String FRIDAY = "2026-12-04_19-50";
    static TestApp app;

    @BeforeAll
    static void boot() throws IOException {
        Path home = TestApp.newHome();
        Files.copy(Media.cached("a.mkv", 40), home.resolve("videos/26-12-04_19-50-00.mkv")); // 19:50:00-19:50:40
        Files.copy(Media.cached("a.mkv", 20), home.resolve("videos/26-12-04_19-51-00.mkv")); // 19:51:00-19:51:20
        app = TestApp.start(home, Map.of("scheincam.schedule.windows", "Fr 19:50-22:10"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode show = json(app.get("/api/shows/" + FRIDAY));
            assertThat(show.path("parts").size()).isEqualTo(2);
            assertThat(show.path("in_progress").asBoolean()).isFalse();
        });
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void aClipAcrossTheShowsGapJoinsItsRecordingsAsOneStreamCopy() {
        JsonNode gap = json(app.get("/api/shows/" + FRIDAY)).path("gaps").get(0);
        assertThat(gap.path("start_time").asText()).isEqualTo("2026-12-04T19:50:40");
        HttpResponse<String> r = app.post("/api/videos/export",
                "{\"show\":\"" + FRIDAY + "\",\"start_time\":\"19:50:35\",\"end_time\":\"19:51:04\",\"mode\":\"copy\"}");
        assertThat(r.statusCode()).as(r.body()).isIn(200, 202);
        String id = json(r).path("job_id").asText();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(json(app.get("/api/exports/" + id)).path("state").asText()).isIn("done", "failed"));
        JsonNode job = json(app.get("/api/exports/" + id));
        assertThat(job.path("state").asText()).as(job.toString()).isEqualTo("done");
        assertThat(job.path("method").asText()).isEqualTo("remux");
        assertThat(job.path("note").asText()).startsWith("19:50:40–19:51:00 was not recorded").contains("; left out.");
        Path clip = app.videos.resolve(job.path("filepath").asText());
        assertThat(Media.decodeErrors(clip)).isEmpty();
        assertThat(Media.duration(clip)).isCloseTo(9.0, within(2 / 30.0));
        int[] luma = JoinClipIT.frameLumas(clip);
        assertThat(luma[149]).as("the first part's last frame (second 39)").isCloseTo((int) Math.round((225 - 16) * 255 / 219.0), within(8));
        assertThat(luma[150]).as("the second part's first frame (second 0)").isLessThan(8);
    }

    @Test
    void aFrameInTheShowsGapIsRefusedNamingIt() {
        HttpResponse<String> r = app.post("/api/videos/frame", "{\"show\":\"" + FRIDAY + "\",\"timestamp\":\"19:50:50\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(json(r).path("detail").asText()).contains("is in a gap of the show: 19:50:40–19:51:00 was not recorded");
        r = app.post("/api/videos/frame", "{\"show\":\"" + FRIDAY + "\",\"timestamp\":\"19:51:03\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
}
