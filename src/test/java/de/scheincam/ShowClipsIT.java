package de.scheincam;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.scheincam.clips.ShowParts;
import de.scheincam.core.Refusal;
import de.scheincam.remux.JoinClipIT;
import de.scheincam.testing.Media;
import de.scheincam.testing.Pictures;
import de.scheincam.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Frames and clips by show, through the API, with the show model stood in for by a fixed
 * {@link ShowParts} bound in the registry (the shows package binds the real one): two evenings of two
 * recordings each with a gap between them, one pair with the same encoder settings (a stream copy
 * joins them), one pair with another picture size (ffmpeg re-encodes them into one). Each generated
 * recording's picture tells its second: luma (second mod 10) × 25.
 */
class ShowClipsIT {

    static final double FRAME = 1 / 30.0;
    static TestApp app;

    /** Two evenings: 19:50:00–19:50:40 and 19:51:00–19:51:20 (OBS lost between); 19:00:00–19:00:40 and 19:01:00–19:01:12. */
    static final ShowParts SHOWS = show -> switch (show) {
        case "2025-01-24_19-50" -> List.of(
                new ShowParts.Part("25-01-24_19-50-00.mkv", at("2025-01-24T19:50:00"), at("2025-01-24T19:50:40"), null),
                new ShowParts.Part("25-01-24_19-51-00.mkv", at("2025-01-24T19:51:00"), at("2025-01-24T19:51:20"), "OBS lost"));
        case "2025-01-25_19-00" -> List.of(
                new ShowParts.Part("25-01-25_19-00-00.mkv", at("2025-01-25T19:00:00"), at("2025-01-25T19:00:40"), null),
                new ShowParts.Part("25-01-25_19-01-00.mkv", at("2025-01-25T19:01:00"), at("2025-01-25T19:01:12"), "app restarted"));
        default -> throw Refusal.notFound("Show '" + show + "' not found.");
    };

    @BeforeAll
    static void boot() throws IOException {
        Path home = TestApp.newHome();
        Files.copy(Media.cached("a.mkv", 40), home.resolve("videos/25-01-24_19-50-00.mkv"));
        Files.copy(Media.cached("join-b.mkv", 20), home.resolve("videos/25-01-24_19-51-00.mkv"));
        Files.copy(Media.cached("a.mkv", 40), home.resolve("videos/25-01-25_19-00-00.mkv"));
        Files.copy(Media.busy("join-other.mkv", 12), home.resolve("videos/25-01-25_19-01-00.mkv"));
        app = TestApp.start(home, Map.of(), Map.of("showParts", SHOWS));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String name : List.of("25-01-24_19-50-00", "25-01-24_19-51-00", "25-01-25_19-00-00", "25-01-25_19-01-00")) {
                assertThat(json(app.get("/api/videos/" + name)).path("duration").isNumber()).as(name).isTrue();
            }
        });
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void aCopyAcrossTheGapJoinsBothRecordingsAsOneStreamAndNamesTheGap() {
        JsonNode job = export("{\"show\":\"2025-01-24_19-50\",\"start_time\":\"19:50:32\",\"end_time\":\"19:51:05\",\"mode\":\"copy\"}");
        assertThat(job.path("method").asText()).as(job.toString()).isEqualTo("remux");
        assertThat(job.path("show").asText()).isEqualTo("2025-01-24_19-50");
        assertThat(job.path("note").asText()).startsWith("19:50:40–19:51:00 was not recorded (OBS lost); left out.")
                .contains("copied as one stream");
        assertThat(job.path("duration").asDouble()).isCloseTo(13.0, within(0.001));
        Path clip = clip(job);
        assertThat(Media.decodeErrors(clip)).isEmpty();
        assertThat(Media.duration(clip)).isCloseTo(13.0, within(2 * FRAME));
        // 8 s of the first recording's seconds 32–39, then 5 s of the second's 0–4: both sides of the join
        int[] luma = JoinClipIT.frameLumas(clip);
        assertThat(luma.length).isCloseTo(390, within(2));
        assertThat(luma[239]).as("the first recording's last frame (second 39)").isCloseTo(gray(9 * 25), within(8));
        assertThat(luma[240]).as("the second recording's first frame (second 0)").isCloseTo(gray(0), within(8));
        assertThat(luma[0]).as("second 32").isCloseTo(gray(2 * 25), within(8));
        assertThat(luma[389]).as("second 4").isCloseTo(gray(4 * 25), within(8));
    }

    @Test
    void anExactClipAcrossTheGapIsASmartCutJoinedToTheRest() {
        JsonNode job = export("{\"show\":\"2025-01-24_19-50\",\"start_time\":\"19:50:33.5\",\"end_time\":\"19:51:03\"}");
        assertThat(job.path("method").asText()).as(job.toString()).isEqualTo("smart-cut");
        assertThat(job.path("note").asText()).startsWith("19:50:40–19:51:00 was not recorded (OBS lost); left out.")
                .contains("frames re-encoded up to the next keyframe").contains("2 recordings copied as one stream");
        Path clip = clip(job);
        assertThat(Media.decodeErrors(clip)).isEmpty();
        assertThat(Media.duration(clip)).isCloseTo(9.5, within(2 * FRAME));
        assertThat(Media.firstFrameLuma(clip)).as("starts on the requested frame (second 33)").isCloseTo(3 * 25, within(8.0));
    }

    @Test
    void recordingsWithAnotherPictureSizeAreReencodedIntoOne() {
        JsonNode job = export("{\"show\":\"2025-01-25_19-00\",\"start_time\":\"19:00:30\",\"end_time\":\"19:01:05\",\"mode\":\"copy\"}");
        assertThat(job.path("method").asText()).as(job.toString()).isEqualTo("reencode");
        assertThat(job.path("note").asText()).startsWith("19:00:40–19:01:00 was not recorded (app restarted); left out.")
                .contains("re-encoded into one").contains("640×360, not 320×180");
        Path clip = clip(job);
        assertThat(Media.decodeErrors(clip)).isEmpty();
        assertThat(Media.duration(clip)).isCloseTo(15.0, within(3 * FRAME));
        JsonNode video = Media.probe(clip).path("streams").get(0);
        assertThat(video.path("width").asInt()).isEqualTo(320);
        int[] luma = JoinClipIT.frameLumas(clip);
        assertThat(luma[299]).as("the first recording's last frame (second 39)").isCloseTo(gray(9 * 25), within(8));
    }

    @Test
    void framesComeFromTheRecordingThatHoldsTheTimeAndAFrameInTheGapIsRefusedNamingIt() throws IOException {
        HttpResponse<String> r = app.post("/api/videos/frame", "{\"show\":\"2025-01-24_19-50\",\"timestamp\":\"19:51:02\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Pictures.centreLuma(Pictures.dataUrl(json(r).path("image").asText()))).isCloseTo(Pictures.expectedLuma(2), within(8.0));
        r = app.post("/api/videos/frame", "{\"show\":\"2025-01-24_19-50\",\"timestamp\":\"19:50:37\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Pictures.centreLuma(Pictures.dataUrl(json(r).path("image").asText()))).isCloseTo(Pictures.expectedLuma(37), within(8.0));

        r = app.post("/api/videos/frame", "{\"show\":\"2025-01-24_19-50\",\"timestamp\":\"19:50:50\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(json(r).path("detail").asText()).isEqualTo("Field 'timestamp': 19:50:50 is in a gap of the show: "
                + "19:50:40–19:51:00 was not recorded (OBS lost).");
    }

    @Test
    void badRequestsByShowAreRefusedAndNothingIsQueued() {
        HttpResponse<String> r = app.post("/api/videos/export", "{\"show\":\"2025-01-24_19-50\",\"start_time\":\"19:50:45\",\"end_time\":\"19:50:55\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(json(r).path("detail").asText()).isEqualTo("Nothing was recorded from 19:50:45 to 19:50:55: "
                + "19:50:40–19:51:00 was not recorded (OBS lost).");
        r = app.post("/api/videos/export", "{\"show\":\"2025-01-24_19-50\",\"filename\":\"25-01-24_19-50-00\",\"start_time\":\"19:50:05\","
                + "\"end_time\":\"19:50:10\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(json(r).path("detail").asText()).isEqualTo("Give either 'filename' or 'show', not both.");
        r = app.post("/api/videos/export", "{\"start_time\":\"19:50:05\",\"end_time\":\"19:50:10\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(json(r).path("detail").asText()).contains("Either 'filename'");
        r = app.post("/api/videos/frame", "{\"show\":\"2025-01-24_19-50\",\"filename\":\"25-01-24_19-50-00\",\"timestamp\":\"19:50:05\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        r = app.post("/api/videos/frame", "{\"timestamp\":\"19:50:05\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        r = app.post("/api/videos/export", "{\"show\":\"2025-01-24_19-50\",\"start_time\":\"19:50:05\",\"end_time\":\"19:51:30\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(json(r).path("detail").asText()).contains("outside the show (19:50:00–19:51:20)");
        r = app.post("/api/videos/export", "{\"show\":\"2024-01-01_00-00\",\"start_time\":\"19:50:05\",\"end_time\":\"19:50:10\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
    }

    private static JsonNode export(String body) {
        HttpResponse<String> r = app.post("/api/videos/export", body);
        assertThat(r.statusCode()).as(r.body()).isIn(200, 202);
        String id = json(r).path("job_id").asText();
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() ->
                assertThat(json(app.get("/api/exports/" + id)).path("state").asText()).isIn("done", "failed"));
        JsonNode job = json(app.get("/api/exports/" + id));
        assertThat(job.path("state").asText()).as(job.toString()).isEqualTo("done");
        return job;
    }

    private static Path clip(JsonNode job) {
        return app.videos.resolve(job.path("filepath").asText());
    }

    /** The coded luma (limited range) as ffmpeg's gray output shows it (full range). */
    private static int gray(double coded) {
        return (int) Math.round(Math.max(0, (coded - 16) * 255 / 219));
    }

    private static LocalDateTime at(String t) {
        return LocalDateTime.parse(t);
    }
}
