package de.scheincam;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.scheincam.testing.Media;
import de.scheincam.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /api/videos} answers from the library's memory (no directory scan or metadata read per
 * request), from bytes made once per change, gzipped when the client accepts it.
 */
class LibraryListingIT {

    static TestApp app;

    @BeforeAll
    static void boot() throws IOException {
        Path home = TestApp.newHome();
        Files.copy(Media.cached("a.mkv", 20), home.resolve("videos/25-01-22_19-50-00.mkv"));
        Files.copy(Media.cached("a.mkv", 20), home.resolve("videos/25-01-23_19-50-00.mkv"));
        app = TestApp.start(home, Map.of());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(json(app.get("/api/videos")).path("videos").findValuesAsText("duration")).hasSize(2)
                        .allMatch(d -> !d.equals("null")));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void theListingComesFromMemoryNotFromTheFolder() throws Exception {
        String before = app.get("/api/videos").body();
        // behind the library's back (its file events stopped): a new file, a metadata file gone
        app.camel().getRouteController().stopRoute("library-watch");
        try {
            Files.copy(Media.cached("a.mkv", 20), app.videos.resolve("25-01-24_19-50-00.mkv"));
            Files.delete(app.videos.resolve("25-01-22_19-50-00.json"));
            HttpResponse<String> after = app.get("/api/videos");
            assertThat(after.statusCode()).isEqualTo(200);
            assertThat(after.body()).isEqualTo(before);
            assertThat(json(after).path("total").asInt()).isEqualTo(2);
        } finally {
            Files.delete(app.videos.resolve("25-01-24_19-50-00.mkv"));
            app.camel().getRouteController().startRoute("library-watch");
        }
    }

    @Test
    void browsersGetItGzippedWithTheSameContent() throws IOException {
        HttpResponse<String> plain = app.get("/api/videos");
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(plain.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        HttpResponse<byte[]> packed = app.getBytes("/api/videos", "Accept-Encoding", "gzip, deflate, br");
        assertThat(packed.statusCode()).isEqualTo(200);
        assertThat(packed.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(packed.headers().firstValue("Vary")).hasValue("Accept-Encoding");
        byte[] unpacked;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(packed.body()))) {
            unpacked = in.readAllBytes();
        }
        ObjectMapper mapper = new ObjectMapper();
        assertThat(mapper.readTree(new String(unpacked, StandardCharsets.UTF_8))).isEqualTo(mapper.readTree(plain.body()));
    }

    @Test
    void aChangeIsInTheNextListing() {
        JsonNode first = json(app.get("/api/videos")).path("videos").get(0);
        boolean keep = first.path("keep").asBoolean();
        String name = first.path("name").asText();
        HttpResponse<String> set = app.send(HttpRequest.newBuilder(app.uri("/api/videos/" + name + "/keep"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"keep\":" + !keep + "}")), TestApp.admin());
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        JsonNode listed = json(app.get("/api/videos")).path("videos");
        for (JsonNode r : listed) {
            if (r.path("name").asText().equals(name)) {
                assertThat(r.path("keep").asBoolean()).isEqualTo(!keep);
            }
        }
        assertThat(listed.findValuesAsText("name")).contains(name);
    }
}
