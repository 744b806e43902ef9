package de.scheincam;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.scheincam.frames.JpegImages;
import de.scheincam.testing.Media;
import de.scheincam.testing.Pictures;
import de.scheincam.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;
import static org.awaitility.Awaitility.await;

/** Filmstrips of generated recordings: layout, the right pictures, the disk cache and its cleanup. */
class FilmstripIT {

    private static final String SHOW = "25-01-24_19-50-00";
    private static final String OLD_SHOW = "20-01-01_19-50-00";
    static TestApp app;

    @BeforeAll
    static void boot() throws IOException {
        Path home = TestApp.newHome();
        Files.copy(Media.cached("a.mkv", 40), home.resolve("videos/" + SHOW + ".mkv"));
        Files.copy(Media.cached("a.mkv", 40), home.resolve("videos/" + OLD_SHOW + ".mkv"));
        app = TestApp.start(home, Map.of());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(json(app.get("/api/videos/" + SHOW)).path("duration").isNumber()).isTrue();
            assertThat(json(app.get("/api/videos/" + OLD_SHOW)).path("duration").isNumber()).isTrue();
        });
        // older than the retention too: kept, so that only OLD_SHOW expires in the retention test
        assertThat(app.send("PUT", "/api/videos/" + SHOW + "/keep", "{\"keep\":true}", "Content-Type",
                "application/json", TestApp.admin()[0], TestApp.admin()[1]).statusCode()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void filmstripHasOneTileEveryNSecondsShowingThoseMoments() {
        HttpResponse<String> r = app.get("/api/videos/" + SHOW + "/filmstrip?every=10");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode strip = json(r);
        double duration = json(app.get("/api/videos/" + SHOW)).path("duration").asDouble();
        int count = (int) Math.ceil(duration / 10);
        assertThat(strip.path("filename").asText()).isEqualTo(SHOW + ".mkv");
        assertThat(strip.path("every_seconds").asInt()).isEqualTo(10);
        assertThat(strip.path("tile_width").asInt()).isEqualTo(160);
        assertThat(strip.path("tile_height").asInt()).isEqualTo(90);
        assertThat(strip.path("columns").asInt()).isEqualTo(10);
        assertThat(strip.path("count").asInt()).isEqualTo(count).isBetween(4, 5);
        List<String> offsets = new java.util.ArrayList<>();
        List<String> times = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            offsets.add(String.valueOf(i * 10));
            times.add("\"19:50:" + (i == 0 ? "00" : String.valueOf(i * 10)) + "\"");
        }
        assertThat(strip.path("offsets").toString()).isEqualTo("[" + String.join(",", offsets) + "]");
        assertThat(strip.path("times").toString()).isEqualTo("[" + String.join(",", times) + "]");
        assertThat(strip.path("sprite_url").asText()).isEqualTo("/api/videos/" + SHOW + "/filmstrip/sprite?every=10");

        HttpResponse<byte[]> sprite = app.getBytes(strip.path("sprite_url").asText());
        assertThat(sprite.statusCode()).isEqualTo(200);
        assertThat(sprite.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(sprite.headers().firstValue("Cache-Control").orElseThrow()).contains("max-age=");
        BufferedImage image = Pictures.jpeg(sprite.body());
        assertThat(image.getWidth()).isEqualTo(10 * 160);
        assertThat(image.getHeight()).isEqualTo(90);
        // the test recording has a keyframe every 2 s, so every tile is exactly its second
        for (int i = 0; i < count && i * 10 < duration - 2; i++) { // the last keyframe is before the end
            int second = i * 10;
            assertThat(Pictures.centreLuma(image, (i % 10) * 160, (i / 10) * 90, 160, 90))
                    .as("tile %d (second %d)", i, second).isCloseTo(Pictures.expectedLuma(second), offset(10.0));
        }
    }

    @Test
    void defaultIsOneTilePerMinuteAndTilesWrapIntoRows() {
        JsonNode strip = json(app.get("/api/videos/" + SHOW + "/filmstrip"));
        assertThat(strip.path("every_seconds").asInt()).isEqualTo(60);
        assertThat(strip.path("count").asInt()).isEqualTo(1);
        assertThat(strip.path("sprite_url").asText()).endsWith("?every=60");

        JsonNode many = json(app.get("/api/videos/" + SHOW + "/filmstrip?every=5"));
        assertThat(many.path("count").asInt()).isGreaterThan(8);
        BufferedImage image = Pictures.jpeg(app.getBytes(many.path("sprite_url").asText()).body());
        assertThat(image.getHeight()).isEqualTo(90 * ((many.path("count").asInt() + 9) / 10));
    }

    @Test
    void aFinishedRecordingsFilmstripIsKeptOnDiskAndNotComputedAgain() throws IOException {
        assertThat(app.get("/api/videos/" + SHOW + "/filmstrip?every=20").statusCode()).isEqualTo(200);
        Path sprite = app.videos.resolve(".filmstrip/" + SHOW + "-20.jpg");
        Path description = app.videos.resolve(".filmstrip/" + SHOW + "-20.json");
        assertThat(sprite).isRegularFile();
        assertThat(description).isRegularFile();
        // swap the kept sprite for a marker: answered from disk, it is the marker that comes back
        byte[] marker = JpegImages.encode(new BufferedImage(1600, 90, BufferedImage.TYPE_3BYTE_BGR), 0.5f);
        Files.write(sprite, marker);
        assertThat(app.getBytes("/api/videos/" + SHOW + "/filmstrip/sprite?every=20").body()).isEqualTo(marker);
        double duration = json(app.get("/api/videos/" + SHOW)).path("duration").asDouble();
        assertThat(json(app.get("/api/videos/" + SHOW + "/filmstrip?every=20")).path("count").asInt())
                .isEqualTo((int) Math.ceil(duration / 20));
    }

    @Test
    void filmstripsGoWithTheirRecordingWhenDeletedOrExpired() throws IOException {
        Path copy = app.videos.resolve("26-11-20_19-50-00.mkv");
        Files.copy(Media.cached("a.mkv", 40), copy);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                json(app.get("/api/videos/26-11-20_19-50-00")).path("duration").isNumber());
        assertThat(app.get("/api/videos/26-11-20_19-50-00/filmstrip?every=10").statusCode()).isEqualTo(200);
        assertThat(app.videos.resolve(".filmstrip/26-11-20_19-50-00-10.jpg")).isRegularFile();
        HttpResponse<String> deleted = app.send("DELETE", "/api/videos/26-11-20_19-50-00", null, TestApp.admin());
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(app.videos.resolve(".filmstrip/26-11-20_19-50-00-10.jpg")).doesNotExist();
        assertThat(app.videos.resolve(".filmstrip/26-11-20_19-50-00-10.json")).doesNotExist();

        // retention: the 2020 show is long past the 14 days
        assertThat(app.get("/api/videos/" + OLD_SHOW + "/filmstrip?every=30").statusCode()).isEqualTo(200);
        assertThat(app.get("/api/videos/" + SHOW + "/filmstrip?every=30").statusCode()).isEqualTo(200);
        assertThat(app.videos.resolve(".filmstrip/" + OLD_SHOW + "-30.jpg")).isRegularFile();
        app.camel().createProducerTemplate().requestBody("direct:cleanup-run", (Object) null);
        assertThat(app.videos.resolve(OLD_SHOW + ".mkv")).doesNotExist();
        assertThat(app.videos.resolve(".filmstrip/" + OLD_SHOW + "-30.jpg")).doesNotExist();
        assertThat(app.videos.resolve(".filmstrip/" + OLD_SHOW + "-30.json")).doesNotExist();
        assertThat(app.videos.resolve(".filmstrip/" + SHOW + "-30.jpg")).as("other recordings' stay").exists();
    }

    @Test
    void badRequestsAreRefusedWithADetailAndWriteNothing() {
        record Case(String path, int status, String detail) {
        }
        for (Case c : List.of(
                new Case("/api/videos/25-01-01_00-00-00/filmstrip", 404, "No recording"),
                new Case("/api/videos/25-01-01_00-00-00/filmstrip/sprite", 404, "No recording"),
                new Case("/api/videos/" + SHOW + "/filmstrip?every=4", 0, "every"),
                new Case("/api/videos/" + SHOW + "/filmstrip?every=601", 0, "every"),
                // only a few spacings: each is a sprite in the cache, so anyone could otherwise make 596 of them
                new Case("/api/videos/" + SHOW + "/filmstrip?every=7", 422, "every"),
                new Case("/api/videos/" + SHOW + "/filmstrip/sprite?every=599", 422, "every"),
                new Case("/api/videos/" + SHOW + "/filmstrip?every=ten", 0, "every"),
                new Case("/api/videos/" + SHOW + "/filmstrip/sprite?every=-5", 0, "every"),
                new Case("/api/videos/..%2F..%2Fetc/filmstrip", 0, ""))) {
            HttpResponse<String> r = app.get(c.path());
            if (c.status() != 0) {
                assertThat(r.statusCode()).as(c.path() + ": " + r.body()).isEqualTo(c.status());
            } else {
                assertThat(r.statusCode()).as(c.path() + ": " + r.body()).isBetween(400, 422);
            }
            assertThat(json(r).path("detail").asText()).as(c.path()).contains(c.detail());
        }
        if (!Files.isDirectory(app.videos.resolve(".filmstrip"))) {
            return;
        }
        try (var files = Files.list(app.videos.resolve(".filmstrip"))) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .noneMatch(n -> n.contains("-4.") || n.contains("-601.") || n.startsWith("25-01-01"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
