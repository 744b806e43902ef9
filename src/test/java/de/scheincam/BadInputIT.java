package de.scheincam;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import de.scheincam.testing.Media;
import de.scheincam.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every kind of bad request gets a 4xx with a {"detail"} that says what was wrong, and changes nothing:
 * no file in videos/ written or removed, no ffmpeg started.
 */
class BadInputIT {

    static TestApp app;
    static Path outside;

    @BeforeAll
    static void boot() throws IOException {
        Path home = TestApp.newHome();
        Files.copy(Media.cached("a.mkv", 20), home.resolve("videos/25-01-24_19-50-00.mkv"));
        outside = Files.createTempFile(Path.of("target"), "outside-", ".mkv").toAbsolutePath();
        Files.copy(Media.cached("a.mkv", 20), outside, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        // a symlink in videos/ pointing out of it must never be served or followed
        Files.createSymbolicLink(home.resolve("videos/25-01-20_19-50-00.mkv"), outside);
        app = TestApp.start(home, Map.of("scheincam.export.max-clip-minutes", "1"));
        await().atMost(Duration.ofSeconds(20)).until(() ->
                json(app.get("/api/videos/25-01-24_19-50-00")).path("duration").isNumber());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    record Case(String name, String method, String path, String body, String contentType, int status, String detail) {
    }

    static List<Case> cases() {
        String rec = "25-01-24_19-50-00";
        List<Case> c = new ArrayList<>();
        // traversal in every form
        c.add(new Case("dot-dot in path", "GET", "/api/videos/..%2F..%2Fetc%2Fpasswd", null, null, 400, "not a recording name"));
        c.add(new Case("dot-dot download", "GET", "/api/videos/..%2Fapplication.properties/download", null, null, 400, "not a recording name"));
        c.add(new Case("encoded slash", "GET", "/api/videos/a%2Fb/download", null, null, 400, "not a recording name"));
        c.add(new Case("absolute path in body", "POST", "/api/videos/frame", "{\"filename\":\"/etc/passwd\",\"timestamp\":\"19:50:01\"}", null, 400, "not a recording name"));
        c.add(new Case("dot-dot in body", "POST", "/api/videos/export", "{\"filename\":\"../../etc/passwd\",\"start_time\":\"19:50:01\",\"end_time\":\"19:50:05\"}", null, 400, "not a recording name"));
        c.add(new Case("hidden file", "GET", "/api/videos/.scheincam", null, null, 400, "not a recording name"));
        c.add(new Case("symlink out of videos", "GET", "/api/videos/25-01-20_19-50-00/download", null, null, 404, "No recording"));
        c.add(new Case("symlink frame", "POST", "/api/videos/frame", "{\"filename\":\"25-01-20_19-50-00\",\"timestamp\":\"19:50:01\"}", null, 404, "No recording"));
        c.add(new Case("control characters", "POST", "/api/videos/frame", "{\"filename\":\"a\\u0000b\",\"timestamp\":\"19:50:01\"}", null, 400, "not a recording name"));
        c.add(new Case("unicode name", "GET", "/api/videos/%C3%BCber", null, null, 400, "not a recording name"));
        c.add(new Case("overlong name", "GET", "/api/videos/" + "a".repeat(300), null, null, 422, "filename"));
        // unknown things
        c.add(new Case("unknown recording", "GET", "/api/videos/25-12-31_19-50-00", null, null, 404, "No recording"));
        c.add(new Case("unknown recording export", "POST", "/api/videos/export", "{\"filename\":\"25-12-31_19-50-00\",\"start_time\":\"19:50:01\",\"end_time\":\"19:50:05\"}", null, 404, "No recording"));
        c.add(new Case("unknown export", "GET", "/api/exports/0123456789abcdef", null, null, 404, "No export"));
        c.add(new Case("malformed export id", "GET", "/api/exports/..%2F..%2Fx/download", null, null, 404, "No export"));
        // times
        c.add(new Case("bad time format", "POST", "/api/videos/frame", "{\"filename\":\"" + rec + "\",\"timestamp\":\"quarter past eight\"}", null, 422, "timestamp"));
        c.add(new Case("hour 25", "POST", "/api/videos/frame", "{\"filename\":\"" + rec + "\",\"timestamp\":\"25:00:00\"}", null, 422, "timestamp"));
        c.add(new Case("negative time", "POST", "/api/videos/export", "{\"filename\":\"" + rec + "\",\"start_time\":\"-1:00:00\",\"end_time\":\"19:50:05\"}", null, 422, "start_time"));
        c.add(new Case("NaN time", "POST", "/api/videos/export", "{\"filename\":\"" + rec + "\",\"start_time\":\"NaN\",\"end_time\":\"19:50:05\"}", null, 422, "start_time"));
        c.add(new Case("frame outside recording", "POST", "/api/videos/frame", "{\"filename\":\"" + rec + "\",\"timestamp\":\"19:55:00\"}", null, 422, "outside the recording"));
        c.add(new Case("end before start", "POST", "/api/videos/export", "{\"filename\":\"" + rec + "\",\"start_time\":\"19:50:10\",\"end_time\":\"19:50:10\"}", null, 422, "must be after start_time"));
        c.add(new Case("end outside", "POST", "/api/videos/export", "{\"filename\":\"" + rec + "\",\"start_time\":\"19:50:10\",\"end_time\":\"19:59:00\"}", null, 422, "outside the recording"));
        c.add(new Case("start before recording", "POST", "/api/videos/export", "{\"filename\":\"" + rec + "\",\"start_time\":\"19:40:00\",\"end_time\":\"19:50:05\"}", null, 422, "outside the recording"));
        c.add(new Case("clip too long", "POST", "/api/videos/export", "{\"filename\":\"" + rec + "\",\"start_time\":\"19:50:00\",\"end_time\":\"19:51:30\"}", null, 422, "outside the recording"));
        c.add(new Case("unknown mode", "POST", "/api/videos/export", "{\"filename\":\"" + rec + "\",\"start_time\":\"19:50:01\",\"end_time\":\"19:50:05\",\"mode\":\"turbo\"}", null, 422, "mode"));
        // bodies
        c.add(new Case("malformed JSON", "POST", "/api/videos/export", "{\"filename\":", null, 400, "not valid JSON"));
        c.add(new Case("empty body", "POST", "/api/videos/frame", "", null, 422, "body"));
        c.add(new Case("JSON array", "POST", "/api/videos/frame", "[1,2]", null, 422, "array"));
        c.add(new Case("wrong type", "POST", "/api/videos/frame", "{\"filename\":42,\"timestamp\":\"19:50:01\"}", null, 422, "filename"));
        c.add(new Case("missing field", "POST", "/api/videos/export", "{\"filename\":\"" + rec + "\",\"start_time\":\"19:50:01\"}", null, 422, "end_time"));
        c.add(new Case("unknown field", "POST", "/api/videos/frame", "{\"filename\":\"" + rec + "\",\"timestamp\":\"19:50:01\",\"shell\":\"rm -rf /\"}", null, 422, "shell"));
        c.add(new Case("overlong time", "POST", "/api/videos/frame", "{\"filename\":\"" + rec + "\",\"timestamp\":\"" + "1".repeat(500) + "\"}", null, 422, "timestamp"));
        c.add(new Case("wrong content type", "POST", "/api/videos/frame", "filename=x", "text/plain", 415, "Content-Type"));
        c.add(new Case("form post", "POST", "/api/videos/export", "filename=x", "application/x-www-form-urlencoded", 415, "Content-Type"));
        c.add(new Case("oversized body", "POST", "/api/videos/frame", "{\"filename\":\"" + "a".repeat(70_000) + "\"}", null, 413, "at most"));
        c.add(new Case("keep not boolean", "PUT", "/api/videos/" + rec + "/keep", "{\"keep\":\"yes\"}", null, 422, "keep"));
        // paths and methods
        c.add(new Case("unknown path", "GET", "/api/secrets", null, null, 404, "No API path"));
        c.add(new Case("wrong method", "DELETE", "/api/videos/frame", null, null, 405, "not allowed"));
        return c;
    }

    @TestFactory
    Stream<DynamicTest> everyBadRequestIsRefusedAndChangesNothing() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Map<String, Long> before = snapshot(app.videos);
            int runsBefore = app.programRuns();
            HttpResponse<String> r = request(c);
            assertThat(r.statusCode()).as(c.name() + ": " + r.body()).isEqualTo(c.status());
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
            assertThat(json(r).path("detail").asText()).as(c.name()).containsIgnoringCase(c.detail());
            assertThat(snapshot(app.videos)).as("videos/ unchanged by " + c.name()).isEqualTo(before);
            assertThat(app.programRuns()).as("no program started by " + c.name()).isEqualTo(runsBefore);
        }));
    }

    @Test
    void theAppIsStillHealthyAfterwardsAndTheOutsideFileUntouched() throws IOException {
        assertThat(app.get("/api/ping").statusCode()).isEqualTo(200);
        assertThat(Files.size(outside)).isEqualTo(Files.size(Media.cached("a.mkv", 20)));
        assertThat(json(app.get("/api/videos")).path("videos").findValuesAsText("filename"))
                .doesNotContain("25-01-20_19-50-00.mkv");
    }

    @Test
    void rangeThatIsNotBytesGetsTheWholeFile() throws IOException {
        HttpResponse<byte[]> r = app.getBytes("/api/videos/25-01-24_19-50-00/download", "Range", "pages=1-2");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).hasSize((int) Files.size(app.videos.resolve("25-01-24_19-50-00.mkv")));
    }

    private static HttpResponse<String> request(Case c) {
        HttpRequest.Builder b = HttpRequest.newBuilder(app.uri(c.path()));
        if (c.body() == null) {
            b.method(c.method(), HttpRequest.BodyPublishers.noBody());
        } else {
            b.method(c.method(), HttpRequest.BodyPublishers.ofString(c.body()));
            b.header("Content-Type", c.contentType() == null ? "application/json" : c.contentType());
        }
        return app.send(b);
    }

    static Map<String, Long> snapshot(Path dir) throws IOException {
        Map<String, Long> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                files.put(dir.relativize(p).toString(), Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                        ? Files.size(p) * 1_000_000_000L + Files.getLastModifiedTime(p).toMillis() % 1_000_000_000L : -1L);
            }
        }
        return files;
    }
}
