package de.scheincam;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.scheincam.testing.Media;
import de.scheincam.testing.Pictures;
import de.scheincam.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Frames and exports with the real ffmpeg on generated recordings, in mkv and mp4. */
class ClipsIT {

    static TestApp app;

    @BeforeAll
    static void boot() throws IOException {
        Path home = TestApp.newHome();
        Files.copy(Media.cached("a.mkv", 40), home.resolve("videos/25-01-24_19-50-00.mkv"));
        Files.copy(Media.cached("a.mp4", 40), home.resolve("videos/25-01-24_23-59-40.mp4"));
        Files.copy(Media.twoSounds("a.mkv", 40), home.resolve("videos/25-01-25_19-00-00.mkv"));
        app = TestApp.start(home, Map.of());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(json(app.get("/api/videos/25-01-24_19-50-00")).path("duration").isNumber()).isTrue();
            assertThat(json(app.get("/api/videos/25-01-24_23-59-40")).path("duration").isNumber()).isTrue();
            assertThat(json(app.get("/api/videos/25-01-25_19-00-00")).path("duration").isNumber()).isTrue();
        });
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void frameIsAJpegOfTheConfiguredSizeFromTheRightSecond() throws IOException {
        for (int second : new int[] {3, 7, 12}) {
            HttpResponse<String> r = app.post("/api/videos/frame",
                    "{\"filename\":\"25-01-24_19-50-00\",\"timestamp\":\"19:50:" + String.format("%02d", second) + "\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode body = json(r);
            assertThat(body.path("success").asBoolean()).isTrue();
            assertThat(body.path("timestamp").asText()).isEqualTo("19:50:" + String.format("%02d", second));
            String image = body.path("image").asText();
            assertThat(image).startsWith("data:image/jpeg;base64,");
            BufferedImage frame = Pictures.dataUrl(image);
            assertThat(frame.getWidth()).isEqualTo(800);
            assertThat(frame.getHeight()).isEqualTo(450);
            assertThat(Pictures.centreLuma(frame)).as("luma at second %d", second).isCloseTo(Pictures.expectedLuma(second),
                    org.assertj.core.data.Offset.offset(8.0));
        }
    }

    @Test
    void frameAfterMidnightIsFoundOnTheNextDay() throws IOException {
        HttpResponse<String> r = app.post("/api/videos/frame",
                "{\"filename\":\"25-01-24_23-59-40.mp4\",\"timestamp\":\"00:00:04\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String image = json(r).path("image").asText();
        BufferedImage frame = Pictures.dataUrl(image);
        // 00:00:04 is 24 s into the recording
        assertThat(Pictures.centreLuma(frame)).isCloseTo(Pictures.expectedLuma(24), org.assertj.core.data.Offset.offset(8.0));
    }

    @Test
    void exportHasTheRequestedDurationAndDownloads() throws IOException {
        HttpResponse<String> r = app.post("/api/videos/export",
                "{\"filename\":\"25-01-24_19-50-00\",\"start_time\":\"19:50:05\",\"end_time\":\"19:50:17\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode job = json(r);
        assertThat(job.path("success").asBoolean()).isTrue();
        assertThat(job.path("state").asText()).isEqualTo("done");
        assertThat(job.path("filepath").asText()).isEqualTo("exports/" + job.path("job_id").asText() + ".mp4");
        Path clip = app.videos.resolve(job.path("filepath").asText());
        assertThat(Media.duration(clip)).isCloseTo(12.0, org.assertj.core.data.Offset.offset(0.5));
        assertThat(Media.decodeErrors(clip)).isEmpty();
        JsonNode streams = Media.probe(clip).path("streams");
        assertThat(streams.findValuesAsText("codec_type")).contains("video", "audio");

        HttpResponse<byte[]> download = app.getBytes(job.path("download_url").asText());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Type")).hasValue("video/mp4");
        assertThat(download.headers().firstValue("Content-Disposition").orElseThrow())
                .contains("filename=\"Scheinbar_2025-01-24_19-50.mp4\"");
        assertThat(download.body()).isEqualTo(Files.readAllBytes(clip));
        // faststart: the index comes before the media data, so browsers can start playing at once
        String head = new String(download.body(), 0, 64, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(Media.boxOffset(download.body(), "moov")).isLessThan(Media.boxOffset(download.body(), "mdat"));
        assertThat(head).contains("ftyp");

        JsonNode status = json(app.get("/api/exports/" + job.path("job_id").asText()));
        assertThat(status.path("state").asText()).isEqualTo("done");
        assertThat(status.path("progress").asDouble()).isEqualTo(1.0);
    }

    @Test
    void everyModeKeepsEverySoundTrackAndSaysSo() {
        for (String mode : new String[] {"copy", "exact", "reencode"}) {
            HttpResponse<String> r = app.post("/api/videos/export", "{\"filename\":\"25-01-25_19-00-00\",\"start_time\":\"19:00:12.4\","
                    + "\"end_time\":\"19:00:16.4\",\"mode\":\"" + mode + "\"}");
            assertThat(r.statusCode()).as(r.body()).isIn(200, 202);
            String id = json(r).path("job_id").asText();
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                    assertThat(json(app.get("/api/exports/" + id)).path("state").asText()).isEqualTo("done"));
            JsonNode status = json(app.get("/api/exports/" + id));
            assertThat(status.path("audio_tracks").asInt()).as(mode + ": " + status).isEqualTo(2);
            Path clip = app.videos.resolve("exports/" + id + ".mp4");
            assertThat(Media.probe(clip).path("streams").findValuesAsText("codec_type")).as(mode)
                    .containsExactly("video", "audio", "audio");
            assertThat(Media.duration(clip)).as(mode).isCloseTo(4.0, org.assertj.core.data.Offset.offset(0.05));
            assertThat(Media.decodeErrors(clip)).as(mode).isEmpty();
        }
    }

    @Test
    void exportAcrossMidnightFromMp4() {
        HttpResponse<String> r = app.post("/api/videos/export",
                "{\"filename\":\"25-01-24_23-59-40.mp4\",\"start_time\":\"23:59:50\",\"end_time\":\"00:00:10\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Path clip = app.videos.resolve(json(r).path("filepath").asText());
        assertThat(Media.duration(clip)).isCloseTo(20.0, org.assertj.core.data.Offset.offset(0.5));
    }

    @Test
    void reencodeModeIsExactToo() {
        HttpResponse<String> r = app.post("/api/videos/export",
                "{\"filename\":\"25-01-24_19-50-00\",\"start_time\":\"19:50:02.5\",\"end_time\":\"19:50:06\",\"mode\":\"reencode\"}");
        assertThat(r.statusCode()).as(r.body()).isIn(200, 202);
        String id = json(r).path("job_id").asText();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(json(app.get("/api/exports/" + id)).path("state").asText()).isEqualTo("done"));
        Path clip = app.videos.resolve("exports/" + id + ".mp4");
        assertThat(Media.duration(clip)).isCloseTo(3.5, org.assertj.core.data.Offset.offset(0.1));
        assertThat(json(app.get("/api/exports/" + id)).path("mode").asText()).isEqualTo("reencode");
    }

    @Test
    void slowExportAnswers202AndCanBeFollowed() {
        try (TestApp impatient = TestApp.start(copyHome(), Map.of("scheincam.export.wait-millis", "0"))) {
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    json(impatient.get("/api/videos/25-01-24_19-50-00")).path("duration").isNumber());
            HttpResponse<String> r = impatient.post("/api/videos/export",
                    "{\"filename\":\"25-01-24_19-50-00\",\"start_time\":\"19:50:00\",\"end_time\":\"19:50:30\",\"mode\":\"reencode\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            JsonNode job = json(r);
            assertThat(job.path("state").asText()).isIn("queued", "running");
            assertThat(r.headers().firstValue("Location")).hasValue(job.path("status_url").asText());
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                    assertThat(json(impatient.get(job.path("status_url").asText())).path("state").asText()).isEqualTo("done"));
            HttpResponse<byte[]> download = impatient.getBytes("/api/exports/" + job.path("job_id").asText() + "/download",
                    "Range", "bytes=0-99");
            assertThat(download.statusCode()).isEqualTo(206);
            assertThat(download.body()).hasSize(100);
        }
    }

    @Test
    void exportsBeyondTheBoundAreRefusedWith429AndNeverRunMoreThanTheLimit() throws Exception {
        try (TestApp bounded = TestApp.start(copyHome(), Map.of("scheincam.export.max-running", "1",
                "scheincam.export.max-queued", "1", "scheincam.export.wait-millis", "0"))) {
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    json(bounded.get("/api/videos/25-01-24_19-50-00")).path("duration").isNumber());
            java.util.List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> calls = new java.util.ArrayList<>();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6);
            for (int i = 0; i < 6; i++) {
                calls.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> bounded.post("/api/videos/export",
                        "{\"filename\":\"25-01-24_19-50-00\",\"start_time\":\"19:50:00\",\"end_time\":\"19:50:20\",\"mode\":\"reencode\"}"),
                        pool));
            }
            java.util.List<HttpResponse<String>> answers = calls.stream().map(java.util.concurrent.CompletableFuture::join).toList();
            pool.shutdown();
            long accepted = answers.stream().filter(a -> a.statusCode() == 202).count();
            java.util.List<HttpResponse<String>> refused = answers.stream().filter(a -> a.statusCode() == 429).toList();
            assertThat(accepted + refused.size()).as("every request accepted or refused").isEqualTo(6);
            assertThat(accepted).isBetween(1L, 2L);
            assertThat(refused).isNotEmpty();
            assertThat(json(refused.get(0)).path("detail").asText()).contains("Too many exports");
            for (HttpResponse<String> a : answers.stream().filter(a -> a.statusCode() == 202).toList()) {
                String id = json(a).path("job_id").asText();
                await().atMost(Duration.ofSeconds(120)).untilAsserted(() ->
                        assertThat(json(bounded.get("/api/exports/" + id)).path("state").asText()).isEqualTo("done"));
            }
            assertThat(bounded.mostProgramsAtOnce()).as("ffmpeg processes at once").isEqualTo(1);
            try (java.util.stream.Stream<Path> files = Files.list(bounded.videos.resolve("exports"))) {
                assertThat(files.map(f -> f.getFileName().toString()))
                        .as("no partial files").noneMatch(n -> n.contains("part") || n.endsWith("progress"));
            }
        }
    }

    private static Path copyHome() {
        Path home = TestApp.newHome();
        try {
            Files.copy(Media.cached("a.mkv", 40), home.resolve("videos/25-01-24_19-50-00.mkv"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return home;
    }
}
