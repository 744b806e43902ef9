package de.scheincam;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
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

/**
 * Many viewers at once on the in-process decoders (two recordings, more requests than decoders): every
 * frame is the right one, nothing crashes; a deleted recording is not held open by a decoder.
 */
class FramesUnderLoadIT {

    static TestApp app;

    @BeforeAll
    static void boot() throws IOException {
        Path home = TestApp.newHome();
        Files.copy(Media.cached("a.mkv", 40), home.resolve("videos/25-01-24_19-50-00.mkv"));
        Files.copy(Media.cached("a.mp4", 40), home.resolve("videos/25-01-25_19-50-00.mp4"));
        Files.copy(Media.cached("a.mkv", 40), home.resolve("videos/25-01-26_19-50-00.mkv"));
        // the many viewers here share one address (in a venue each has its own): no per-client rate (ClientRatesIT)
        app = TestApp.start(home, Map.of("scheincam.frame.open-recordings", "1", "scheincam.frame.max-decoding", "2",
                "scheincam.rates.frames.per-minute", "0"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(json(app.get("/api/videos"))
                .path("videos").findValuesAsText("duration")).hasSize(3).noneMatch("null"::equals));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void concurrentFramesAreEachTheRightOne() {
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            record Asked(String name, int second, CompletableFuture<HttpResponse<String>> answer) {
            }
            List<Asked> asked = new ArrayList<>();
            for (int i = 0; i < 36; i++) {
                String name = i % 2 == 0 ? "25-01-24_19-50-00" : "25-01-25_19-50-00";
                int second = (i * 7) % 39;
                asked.add(new Asked(name, second, CompletableFuture.supplyAsync(() -> app.post("/api/videos/frame",
                        "{\"filename\":\"" + name + "\",\"timestamp\":\"19:50:" + String.format("%02d", second) + "\"}"), pool)));
            }
            CompletableFuture<HttpResponse<String>> strip = CompletableFuture.supplyAsync(() ->
                    app.get("/api/videos/25-01-24_19-50-00/filmstrip?every=5"), pool);
            for (Asked a : asked) {
                HttpResponse<String> r = a.answer().join();
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                JsonNode body = json(r);
                assertThat(Pictures.centreLuma(Pictures.dataUrl(body.path("image").asText())))
                        .as("%s at second %d", a.name(), a.second()).isCloseTo(Pictures.expectedLuma(a.second()), offset(8.0));
            }
            assertThat(strip.join().statusCode()).isEqualTo(200);
        } finally {
            pool.shutdown();
        }
    }

    private static List<String> openFiles() {
        List<String> open = new ArrayList<>();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    open.add(Files.readSymbolicLink(fd).toString());
                } catch (IOException e) {
                    // closed while listing
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return open;
    }

    @Test
    void aRecordingDeletedAfterItsFramesIsGone() {
        assertThat(app.post("/api/videos/frame", "{\"filename\":\"25-01-26_19-50-00\",\"timestamp\":\"19:50:10\"}")
                .statusCode()).isEqualTo(200);
        HttpResponse<String> deleted = app.send("DELETE", "/api/videos/25-01-26_19-50-00", null, TestApp.admin());
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(app.videos.resolve("25-01-26_19-50-00.mkv")).doesNotExist();
        // the app runs in this JVM: no file descriptor may still hold the deleted file (and its disk space)
        assertThat(openFiles()).noneMatch(f -> f.contains("25-01-26_19-50-00"));
        HttpResponse<String> after = app.post("/api/videos/frame", "{\"filename\":\"25-01-26_19-50-00\",\"timestamp\":\"19:50:10\"}");
        assertThat(after.statusCode()).isEqualTo(404);
    }
}
