package de.scheincam;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.scheincam.testing.KeepAliveHttp;
import de.scheincam.testing.Media;
import de.scheincam.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The library flow and its API: recordings dropped into videos/ become metadata, list and downloads. */
class LibraryApiIT {

    static TestApp app;
    static Path early;

    @BeforeAll
    static void boot() throws IOException {
        Path home = TestApp.newHome();
        // written "while the app was down": must be found and probed at start
        early = home.resolve("videos/25-01-22_19-50-00.mkv");
        Files.copy(Media.cached("a.mkv", 20), early);
        // metadata left by a crash mid-show: end unknown, must be repaired
        Files.copy(Media.cached("a.mkv", 20), home.resolve("videos/25-01-23_19-50-00.mkv"));
        Files.writeString(home.resolve("videos/25-01-23_19-50-00.json"), "{\"filename\":\"25-01-23_19-50-00.mkv\","
                + "\"name\":\"25-01-23_19-50-00\",\"start_time\":\"2025-01-23T19:50:00\",\"end_time\":null,"
                + "\"size\":1,\"container\":\"mkv\",\"keep\":true,\"in_progress\":true}");
        app = TestApp.start(home, Map.of());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void recordingsWrittenWhileDownAreProbedAtStart() throws IOException {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode info = json(app.get("/api/videos/25-01-22_19-50-00"));
            assertThat(info.path("duration").asDouble()).isBetween(19.9, 20.2);
            assertThat(info.path("end_time").asText()).isEqualTo("2025-01-22T19:50:20");
        });
        JsonNode repaired = json(app.get("/api/videos/25-01-23_19-50-00.mkv"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(json(app.get("/api/videos/25-01-23_19-50-00")).path("end_time").asText())
                        .isEqualTo("2025-01-23T19:50:20"));
        JsonNode after = json(app.get("/api/videos/25-01-23_19-50-00"));
        assertThat(after.path("keep").asBoolean()).as("repair keeps the keep flag").isTrue();
        assertThat(after.path("in_progress").asBoolean()).isFalse();
        assertThat(repaired.path("start_time").asText()).isEqualTo("2025-01-23T19:50:00");
        JsonNode onDisk = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(app.videos.resolve("25-01-23_19-50-00.json").toFile());
        assertThat(onDisk.path("end_time").asText()).isEqualTo("2025-01-23T19:50:20");
        assertThat(onDisk.path("width").asInt()).isEqualTo(320);
    }

    /** OBS names a file it splits, or one whose name is taken, "<name> (2)": reached by its name like any other. */
    @Test
    void aRecordingNamedWithASpaceIsFoundDownloadedAndKeptByItsName() throws IOException {
        Path part = app.videos.resolve("25-01-24_21-00-00 (2).mkv");
        Files.copy(Media.cached("a.mkv", 20), part);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            HttpResponse<String> r = app.get("/api/videos/25-01-24_21-00-00%20(2)");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(json(r).path("filename").asText()).isEqualTo("25-01-24_21-00-00 (2).mkv");
            assertThat(json(r).path("duration").isNumber()).isTrue();
        });
        HttpResponse<byte[]> download = app.getBytes("/api/videos/25-01-24_21-00-00%20(2).mkv/download");
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(Files.readAllBytes(part));
        HttpResponse<String> keep = app.send("PUT", "/api/videos/25-01-24_21-00-00%20(2)/keep", "{\"keep\":true}",
                "Content-Type", "application/json", "Authorization", "Bearer " + TestApp.ADMIN_TOKEN);
        assertThat(keep.statusCode()).as(keep.body()).isEqualTo(200);
        assertThat(json(app.get("/api/videos/25-01-24_21-00-00%20(2)")).path("keep").asBoolean()).isTrue();
        // a broken escape is the client's mistake, answered as such
        de.scheincam.testing.RawHttp.Answer broken = de.scheincam.testing.RawHttp.get(app.port, "/api/videos/25-01-24_21-00-00%2");
        assertThat(broken.status()).as(broken.body()).isEqualTo(400);
        assertThat(broken.json().path("detail").asText()).isNotBlank();
    }

    @Test
    void droppedRecordingGetsMetadata() throws IOException {
        Files.copy(Media.cached("a.mkv", 20), app.videos.resolve("25-01-24_20-00-00.mkv"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            HttpResponse<String> r = app.get("/api/videos/25-01-24_20-00-00");
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode info = json(r);
            assertThat(info.path("filename").asText()).isEqualTo("25-01-24_20-00-00.mkv");
            assertThat(info.path("start_time").asText()).isEqualTo("2025-01-24T20:00:00");
            assertThat(info.path("end_time").asText()).isEqualTo("2025-01-24T20:00:20");
            assertThat(info.path("container").asText()).isEqualTo("mkv");
            assertThat(info.path("height").asInt()).isEqualTo(180);
        });
        JsonNode meta = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(app.videos.resolve("25-01-24_20-00-00.json").toFile());
        assertThat(meta.path("duration").asDouble()).isBetween(19.9, 20.2);
    }

    @Test
    void growingRecordingIsInProgressUntilItStops() throws Exception {
        byte[] whole = Files.readAllBytes(Media.cached("a.mkv", 20));
        Path target = app.videos.resolve("25-01-25_19-50-00.mkv");
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
            int chunk = whole.length / 8;
            for (int i = 0; i < 4; i++) {
                out.write(whole, i * chunk, chunk);
                out.flush();
                int written = (i + 1) * chunk;
                // the file keeps changing: listed, in progress, no end yet
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    JsonNode info = json(app.get("/api/videos/25-01-25_19-50-00"));
                    assertThat(info.path("in_progress").asBoolean()).isTrue();
                    assertThat(info.path("end_time").isNull()).isTrue();
                    assertThat(info.path("size").asLong()).isEqualTo(written);
                });
            }
            out.write(whole, 4 * chunk, whole.length - 4 * chunk);
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode info = json(app.get("/api/videos/25-01-25_19-50-00"));
            assertThat(info.path("in_progress").asBoolean()).isFalse();
            assertThat(info.path("end_time").asText()).isEqualTo("2025-01-25T19:50:20");
            assertThat(info.path("size").asLong()).isEqualTo(whole.length);
        });
    }

    @Test
    void listIsNewestFirstAndNewestInfoMatches() throws IOException {
        Files.copy(Media.cached("a.mkv", 20), app.videos.resolve("26-03-01_19-50-00.mkv"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode list = json(app.get("/api/videos"));
            assertThat(list.path("total").asInt()).isEqualTo(list.path("videos").size()).isGreaterThanOrEqualTo(3);
            assertThat(list.path("videos").get(0).path("filename").asText()).isEqualTo("26-03-01_19-50-00.mkv");
            String previous = "9999";
            for (JsonNode v : list.path("videos")) {
                assertThat(v.path("start_time").asText()).isLessThanOrEqualTo(previous);
                previous = v.path("start_time").asText();
            }
        });
        assertThat(json(app.get("/api/videos/newest/info")).path("filename").asText()).isEqualTo("26-03-01_19-50-00.mkv");
        assertThat(json(app.get("/api/videos/")).path("total").asInt()).as("trailing slash").isGreaterThanOrEqualTo(3);
    }

    /** The contract check (TestApp.close fails on a mismatch) sees the answers: it cannot pass by seeing none. */
    @Test
    void everyAnswerIsCheckedAgainstTheContract() {
        int before = app.contract().checked();
        assertThat(app.get("/api/videos").statusCode()).isEqualTo(200);
        assertThat(app.get("/api/videos/25-01-01_00-00-00").statusCode()).isEqualTo(404);
        // an exchange completes just after its answer is written: the count may lag the client by a moment
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(app.contract().checked() - before).as("answers checked").isGreaterThanOrEqualTo(2));
        assertThat(app.contract().mismatches()).isEmpty();
    }

    @Test
    void unknownRecordingIs404WithDetail() {
        HttpResponse<String> r = app.get("/api/videos/25-12-31_19-50-00");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).path("detail").asText()).contains("25-12-31_19-50-00");
    }

    @Test
    void downloadServesWholeFileAndRanges() throws IOException {
        await().atMost(Duration.ofSeconds(20)).until(() -> app.get("/api/videos/25-01-22_19-50-00").statusCode() == 200);
        byte[] original = Files.readAllBytes(early);
        HttpResponse<byte[]> whole = app.getBytes("/api/videos/25-01-22_19-50-00/download");
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(original);
        assertThat(whole.headers().firstValue("Content-Type")).hasValue("video/x-matroska");
        assertThat(whole.headers().firstValue("Content-Disposition").orElseThrow())
                .startsWith("attachment; filename=\"Scheinbar_2025-01-22_19-50.mkv\"");
        assertThat(whole.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(whole.headers().firstValue("filename")).as("no request data echoed").isEmpty();

        HttpResponse<byte[]> part = app.getBytes("/api/videos/25-01-22_19-50-00/download", "Range", "bytes=100-1099");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 100-1099/" + original.length);
        assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(original, 100, 1100));

        HttpResponse<byte[]> tail = app.getBytes("/api/videos/25-01-22_19-50-00/download", "Range", "bytes=-500");
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(java.util.Arrays.copyOfRange(original, original.length - 500, original.length));

        HttpResponse<String> beyond = app.get("/api/videos/25-01-22_19-50-00/download", "Range", "bytes=" + original.length + "-");
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(json(beyond).path("detail").asText()).contains("outside the file");
    }

    @Test
    void contractAndDocsAreServed() {
        HttpResponse<String> yaml = app.get("/api/openapi.yaml");
        assertThat(yaml.statusCode()).isEqualTo(200);
        assertThat(yaml.body()).contains("operationId: exportVideo");
        JsonNode spec = json(app.get("/api/openapi.json"));
        assertThat(spec.path("paths").has("/videos/frame")).isTrue();
        HttpResponse<String> docs = app.get("/docs/");
        assertThat(docs.statusCode()).isEqualTo(200);
        assertThat(docs.body()).contains("swagger-ui");
        assertThat(app.get("/docs/swagger-initializer.js").body()).contains("/api/openapi.yaml");
        assertThat(app.get("/docs/swagger-ui-bundle.js").statusCode()).isEqualTo(200);
    }

    @Test
    void pingAndHealthKeepTheOriginalShape() {
        JsonNode ping = json(app.get("/api/ping"));
        assertThat(ping.path("status").asText()).isEqualTo("ok");
        assertThat(ping.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d");
        JsonNode health = json(app.get("/api/health/"));
        assertThat(health.path("obs_connected").isBoolean()).isTrue();
        assertThat(health.path("recording").isBoolean()).isTrue();
        assertThat(health.has("version")).isTrue();
        assertThat(app.get("/observe/health/live").body()).contains("UP");
        assertThat(app.get("/observe/health/ready").body()).contains("UP");
        // no OBS in this test: the full health names it, and only it, as DOWN (MonitoringIT has the rest)
        assertThat(json(app.get("/observe/health")).path("checks").findValuesAsText("name")).containsExactly("obs");
    }

    @Test
    void jsonAnswersComeWholeWithTheirLength() {
        try (KeepAliveHttp http = new KeepAliveHttp(app.port)) {
            for (String path : new String[] {"/api/ping", "/api/videos", "/api/health"}) {
                String body = http.get(path).body();
                String headers = http.lastHeaders().toLowerCase(java.util.Locale.ROOT);
                assertThat(headers).as(path).contains("\r\ncontent-length: " + body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + "\r\n")
                        .doesNotContain("transfer-encoding");
                assertThat(body).startsWith("{");
            }
        }
    }

    @Test
    void unknownPathsAndMethodsAnswerWithDetail() {
        HttpResponse<String> missing = app.get("/api/nothing-here");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).path("detail").asText()).contains("/api/nothing-here");
        HttpResponse<String> wrongMethod = app.send("PUT", "/api/ping", null);
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("GET");
        assertThat(json(wrongMethod).path("detail").asText()).contains("PUT");
    }
}
