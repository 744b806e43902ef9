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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every kind of bad request gets a 4xx with a {"detail"} that says what was wrong, and changes nothing:
 * no file in videos/ written or removed, no ffmpeg started.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
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
        // the folder the logs API serves: no request may clear, add or change a file there
        Files.createDirectories(home.resolve("logs"));
        Files.writeString(home.resolve("logs/scheincam.log"), "2025-01-24 20:31:00 INFO a line the operator keeps\n");
        app = TestApp.start(home, Map.of("scheincam.export.max-clip-minutes", "1"));
        await().atMost(Duration.ofSeconds(20)).until(() ->
                json(app.get("/api/videos/25-01-24_19-50-00")).path("duration").isNumber());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    record Case(String name, String method, String path, String body, String contentType, int status, String detail,
                boolean admin) {
        Case(String name, String method, String path, String body, String contentType, int status, String detail) {
            this(name, method, path, body, contentType, status, detail, false);
        }

        /** The same request sent with the admin token, so it is refused for its content, not its credential. */
        static Case admin(String name, String method, String path, String body, int status, String detail) {
            return new Case(name, method, path, body, null, status, detail, true);
        }
    }

    static List<Case> cases() {
        String rec = "25-01-24_19-50-00";
        List<Case> c = new ArrayList<>();
        // traversal in every form
        c.add(new Case("dot-dot in path", "GET", "/api/videos/..%2F..%2Fetc%2Fpasswd", null, null, 400, "not a recording name"));
        c.add(new Case("dot-dot download", "GET", "/api/videos/..%2Fapplication.properties/download", null, null, 400, "not a recording name"));
        c.add(new Case("encoded dot-dot segment", "GET", "/api/videos/x/%2e%2e", null, null, 400, "'..' segments"));
        c.add(new Case("dot-dot segment", "GET", "/api/videos/x/..", null, null, 400, "'..' segments"));
        c.add(new Case("encoded dot segment, trailing slash", "GET", "/api/videos/x/%2E/", null, null, 400, "'..' segments"));
        c.add(new Case("dot segment in the middle", "GET", "/api/./ping", null, null, 400, "'..' segments"));
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
        // more exports and frames: types, nulls, odd characters, huge and negative values
        c.add(new Case("time as a number", "POST", "/api/videos/export", "{\"filename\":\"" + rec + "\",\"start_time\":1e309,\"end_time\":\"19:50:05\"}", null, 422, "start_time"));
        c.add(new Case("hour 99", "POST", "/api/videos/export", "{\"filename\":\"" + rec + "\",\"start_time\":\"99:99:99\",\"end_time\":\"19:50:05\"}", null, 422, "start_time"));
        c.add(new Case("negative seconds", "POST", "/api/videos/export", "{\"filename\":\"" + rec + "\",\"start_time\":\"19:50:-5\",\"end_time\":\"19:50:05\"}", null, 422, "start_time"));
        c.add(new Case("null filename", "POST", "/api/videos/export", "{\"filename\":null,\"start_time\":\"19:50:01\",\"end_time\":\"19:50:05\"}", null, 422, "filename"));
        c.add(new Case("missing filename", "POST", "/api/videos/export", "{\"start_time\":\"19:50:01\",\"end_time\":\"19:50:05\"}", null, 422, "filename"));
        c.add(new Case("backslash traversal", "POST", "/api/videos/export", "{\"filename\":\"..\\\\..\\\\x\",\"start_time\":\"19:50:01\",\"end_time\":\"19:50:05\"}", null, 400, "not a recording name"));
        c.add(new Case("right-to-left override", "POST", "/api/videos/frame", "{\"filename\":\"\\u202Evkm.25-01-24\",\"timestamp\":\"19:50:01\"}", null, 400, "not a recording name"));
        c.add(new Case("control character in time", "POST", "/api/videos/frame", "{\"filename\":\"" + rec + "\",\"timestamp\":\"19:50\\u0007:01\"}", null, 422, "timestamp"));
        c.add(new Case("NUL in path", "GET", "/api/videos/%00/download", null, null, 422, "filename"));
        c.add(new Case("trailing garbage", "POST", "/api/videos/export", "{\"filename\":\"" + rec + "\",\"start_time\":\"19:50:01\",\"end_time\":\"19:50:05\"} x", null, 400, "not valid JSON"));
        c.add(new Case("deeply nested", "POST", "/api/videos/frame", "[".repeat(5000) + "]".repeat(5000), null, 400, "not valid JSON"));
        // one strict reading of every body (issue 13, items 8 and 9)
        String export = "{\"filename\":\"" + rec + "\",\"start_time\":\"19:50:01\",\"end_time\":\"19:50:05\"}";
        c.add(new Case("two JSON values", "POST", "/api/videos/export", export + export, null, 400, "not valid JSON"));
        c.add(new Case("two JSON values, a space between", "POST", "/api/videos/export", export + " " + export, null, 400, "not valid JSON"));
        c.add(new Case("duplicate key", "POST", "/api/videos/export", export.replace("{", "{\"filename\":\"x\","), null, 400, "duplicate"));
        c.add(new Case("duplicate key, nested", "PUT", "/api/schedule/exceptions", "{\"closed_dates\":[],\"extra_shows\":[{\"date\":\"2030-01-01\",\"start_time\":\"19:00\",\"end_time\":\"20:00\",\"date\":\"2030-01-02\"}]}", null, 400, "duplicate", true));
        c.add(new Case("invalid UTF-8", "POST", "/api/videos/frame", "{\"filename\":\"\u00ff\u00fe\",\"timestamp\":\"19:50:01\"}", "application/json; latin1", 400, "UTF-8"));
        c.add(new Case("overlong UTF-8", "POST", "/api/videos/frame", "{\"filename\":\"\u00c0\u00af\",\"timestamp\":\"19:50:01\"}", "application/json; latin1", 400, "UTF-8"));
        c.add(Case.admin("settings a JSON string", "PUT", "/api/settings", "\"weekdays\"", 422, "object"));
        c.add(Case.admin("settings a JSON array", "PUT", "/api/settings", "[{\"weekdays\":[1]}]", 422, "object"));
        c.add(Case.admin("settings a number", "PUT", "/api/settings", "42", 422, "object"));
        c.add(Case.admin("settings two values", "PUT", "/api/settings", "{\"delete_age_days\":3}{\"delete_age_days\":4}", 400, "not valid JSON"));
        c.add(Case.admin("settings duplicate key", "PUT", "/api/settings", "{\"delete_age_days\":3,\"delete_age_days\":4}", 400, "duplicate"));
        c.add(Case.admin("keep duplicate key", "PUT", "/api/videos/" + rec + "/keep", "{\"keep\":true,\"keep\":false}", 400, "duplicate"));
        c.add(Case.admin("mute a JSON string", "POST", "/api/admin/mute", "\"muted\"", 422, "object"));
        c.add(Case.admin("log dot-dot", "GET", "/api/admin/logs/..", null, 400, "'..' segments"));
        c.add(new Case("xml body", "POST", "/api/videos/frame", "<frame/>", "application/xml", 415, "Content-Type"));
        // admin operations with the right token and a wrong body
        c.add(Case.admin("keep missing", "PUT", "/api/videos/" + rec + "/keep", "{}", 422, "keep"));
        c.add(Case.admin("keep null", "PUT", "/api/videos/" + rec + "/keep", "{\"keep\":null}", 422, "keep"));
        c.add(Case.admin("duplicate weekdays", "PUT", "/api/settings", "{\"weekdays\":[1,1]}", 422, "weekdays"));
        c.add(Case.admin("weekday 7", "PUT", "/api/settings", "{\"weekdays\":[7]}", 422, "weekdays"));
        c.add(Case.admin("negative retention", "PUT", "/api/settings", "{\"delete_age_days\":-1}", 422, "delete_age_days"));
        c.add(Case.admin("huge retention", "PUT", "/api/settings", "{\"delete_age_days\":99999999999999999999}", 422, "delete_age_days"));
        c.add(Case.admin("port out of range", "PUT", "/api/settings", "{\"obs_port\":70000}", 422, "obs_port"));
        c.add(Case.admin("port as text", "PUT", "/api/settings", "{\"obs_port\":\"4455\"}", 422, "obs_port"));
        c.add(Case.admin("empty settings", "PUT", "/api/settings", "{}", 422, "properties"));
        c.add(Case.admin("settings time 25:00", "PUT", "/api/settings", "{\"start_time\":\"25:00\"}", 422, "start_time"));
        c.add(Case.admin("overlong host", "PUT", "/api/settings", "{\"obs_host\":\"" + "h".repeat(300) + "\"}", 422, "obs_host"));
        c.add(Case.admin("unknown setting", "PUT", "/api/settings", "{\"videos_dir\":\"/etc\"}", 422, "videos_dir"));
        c.add(Case.admin("impossible date", "PUT", "/api/schedule/exceptions", "{\"closed_dates\":[\"2025-02-30\"],\"extra_shows\":[]}", 422, "closed_dates"));
        c.add(Case.admin("duplicate closed dates", "PUT", "/api/schedule/exceptions", "{\"closed_dates\":[\"2030-01-01\",\"2030-01-01\"],\"extra_shows\":[]}", 422, "closed_dates"));
        c.add(Case.admin("exceptions missing field", "PUT", "/api/schedule/exceptions", "{\"closed_dates\":[]}", 422, "extra_shows"));
        c.add(Case.admin("mute not boolean", "POST", "/api/admin/mute", "{\"muted\":\"yes\"}", 422, "muted"));
        c.add(Case.admin("logo missing field", "POST", "/api/admin/logo", "{}", 422, "visible"));
        c.add(Case.admin("shutdown force as text", "POST", "/api/admin/shutdown", "{\"force\":\"true\"}", 422, "force"));
        c.add(Case.admin("log traversal", "GET", "/api/admin/logs/..%2F..%2Fetc%2Fpasswd", null, 400, "log"));
        c.add(Case.admin("log hidden name", "GET", "/api/admin/logs/.scheincam", null, 400, "log"));
        c.add(Case.admin("log lines negative", "GET", "/api/admin/logs/scheincam.log?lines=-1", null, 422, "lines"));
        c.add(Case.admin("log lines NaN", "GET", "/api/admin/logs/scheincam.log?lines=NaN", null, 422, "lines"));
        c.add(Case.admin("log lines huge", "GET", "/api/admin/logs/scheincam.log?lines=99999999999", null, 422, "lines"));
        return c;
    }

    @TestFactory
    @Order(1)
    Stream<DynamicTest> everyBadRequestIsRefusedAndChangesNothing() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Map<String, Long> before = snapshot(app.videos);
            Map<String, Long> logsBefore = snapshot(app.home.resolve("logs"));
            int runsBefore = app.programRuns();
            HttpResponse<String> r = request(c);
            assertThat(r.statusCode()).as(c.name() + ": " + r.body()).isEqualTo(c.status());
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
            assertThat(json(r).path("detail").asText()).as(c.name()).containsIgnoringCase(c.detail());
            assertThat(snapshot(app.videos)).as("videos/ unchanged by " + c.name()).isEqualTo(before);
            assertThat(snapshot(app.home.resolve("logs"))).as("logs/ unchanged by " + c.name()).isEqualTo(logsBefore);
            assertThat(app.programRuns()).as("no program started by " + c.name()).isEqualTo(runsBefore);
        }));
    }

    @Test
    @Order(2)
    void theAppIsStillHealthyAfterwardsAndTheOutsideFileUntouched() throws IOException {
        assertThat(cases()).as("the suite's size").hasSizeGreaterThanOrEqualTo(45);
        assertThat(app.get("/api/ping").statusCode()).isEqualTo(200);
        assertThat(app.get("/observe/health/ready").statusCode()).isEqualTo(200);
        assertThat(json(app.get("/api/settings", TestApp.admin())).path("weekdays").toString()).isEqualTo("[2,3,4,5,6]");
        assertThat(Files.size(outside)).isEqualTo(Files.size(Media.cached("a.mkv", 20)));
        assertThat(json(app.get("/api/videos")).path("videos").findValuesAsText("filename"))
                .doesNotContain("25-01-20_19-50-00.mkv");
    }

    /**
     * A burst of dot-segment paths once made Vert.x reroute for ever (StackOverflowError on the event
     * loop): a burst of 100 stopped the API for 11.4 s, and 4 threads sending them for 15 s kept
     * /api/ping timing out for 3.5 minutes. Now: 4 clients sending them as fast as they are answered
     * for 5 s (answered a moment later, as junk is), and ping answers within 200 ms throughout.
     */
    @Test
    @Order(3)
    void aBurstOfDotSegmentPathsLeavesPingFast() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
        try {
            List<java.util.concurrent.Future<?>> burst = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                String from = "127.0.6." + (c + 1);
                burst.add(pool.submit(() -> {
                    try (de.scheincam.testing.KeepAliveHttp http = new de.scheincam.testing.KeepAliveHttp(from, app.port)) {
                        while (System.nanoTime() < until) {
                            de.scheincam.testing.RawHttp.Answer a = http.get("/api/videos/x/%2e%2e");
                            assertThat(a.status()).isEqualTo(400);
                            assertThat(http.lastHeaders().toLowerCase(java.util.Locale.ROOT)).contains("content-type: application/json");
                            refused.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            List<Long> pings = new ArrayList<>();
            try (de.scheincam.testing.KeepAliveHttp ping = new de.scheincam.testing.KeepAliveHttp(app.port)) {
                while (System.nanoTime() < until) {
                    long t0 = System.nanoTime();
                    assertThat(ping.get("/api/ping").status()).isEqualTo(200);
                    pings.add((System.nanoTime() - t0) / 1_000_000);
                    Thread.sleep(20);
                }
            }
            for (java.util.concurrent.Future<?> f : burst) {
                f.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
            List<Long> sorted = new ArrayList<>(pings);
            java.util.Collections.sort(sorted);
            System.out.printf("dot segments: %d refused 400 from 4 clients in 5 s; /api/ping n=%d p50 %d ms max %d ms%n",
                    refused.get(), sorted.size(), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
            assertThat(refused.get()).as("dot-segment requests answered").isGreaterThanOrEqualTo(40);
            assertThat(pings).as("ping latencies (ms) during the burst").allMatch(ms -> ms < 200);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Odd paths as a scanner sends them, raw (no client normalises them first), against the API, the
     * clips, the logs and the static UI: each is a 4xx with JSON {"detail"} — never text/html, never a
     * 5xx, never a file from outside videos/ (a canary in the home and application.properties itself).
     */
    @Test
    void oddPathsAreRefusedAsJsonAndReadNothingOutside() throws IOException {
        Path canary = app.home.resolve("canary.txt");
        Files.writeString(canary, "CANARY-4f1d not to be served");
        Map<String, Long> before = snapshot(app.videos);
        List<String> paths = List.of(
                "/api/videos/..", "/api/videos/x/..", "/api/videos/.", "/api/videos/%2e", "/api/videos/%2E%2E/x",
                "/api/videos/..;/x", "/api/videos/x/..;", "/api/..;/admin/status",
                "/api/videos/x\\..\\..\\canary.txt", "/api/videos/..%5c..%5ccanary.txt", "/api/videos/%5c..%5ccanary.txt/download",
                "/api/videos/%c0%ae%c0%ae/canary.txt", "/api/videos/%c0%af/x", "/api/videos/x%00.mkv/download",
                "/api/exports/..%2f..%2fcanary.txt/download", "/api/exports/x/download/..", "/api/exports/%2e%2e",
                "/api/admin/logs/..", "/api/admin/logs/..%2f..%2fcanary.txt", "/api/admin/logs/%2e%2e/canary.txt",
                "/api/admin/logs/..%5ccanary.txt",
                "/..", "/../canary.txt", "/%2e%2e/canary.txt", "/%2e%2e/%2e%2e/application.properties",
                "/..%2fcanary.txt", "/..%2f..%2fapplication.properties", "/index.html/..", "/index.html/../../canary.txt",
                "/docs/../../canary.txt", "/docs/%2e%2e/%2e%2e/canary.txt", "/docs/..%2f..%2fapplication.properties",
                "/" + "a".repeat(3000), "/api/videos/" + "b".repeat(3000) + "/download");
        org.assertj.core.api.SoftAssertions soft = new org.assertj.core.api.SoftAssertions();
        for (String path : paths) {
            de.scheincam.testing.RawHttp.Answer a = de.scheincam.testing.RawHttp.get(app.port, path);
            String seen = path + " -> " + a.status() + " " + a.contentType() + " " + a.body();
            soft.assertThat(a.status()).as(seen).isBetween(400, 499);
            soft.assertThat(a.contentType()).as(seen).startsWith("application/json");
            if (a.contentType().startsWith("application/json")) {
                soft.assertThat(a.json().path("detail").asText()).as(seen).isNotBlank();
            }
            soft.assertThat(a.body()).as(seen).doesNotContain("CANARY-4f1d").doesNotContain("scheincam.admin");
        }
        // doubled slashes are only untidy: read as the path without them, inside what the API serves
        for (String path : List.of("//api/videos", "/api//videos", "/api/videos//25-01-24_19-50-00")) {
            de.scheincam.testing.RawHttp.Answer a = de.scheincam.testing.RawHttp.get(app.port, path);
            String seen = path + " -> " + a.status() + " " + a.contentType() + " " + a.body();
            soft.assertThat(a.status()).as(seen).isLessThan(500);
            soft.assertThat(a.contentType()).as(seen).startsWith("application/json");
        }
        soft.assertAll();
        assertThat(snapshot(app.videos)).isEqualTo(before);
    }

    /** Paths java.net.URI will not send: Vert.x refused them itself, in text/html. */
    @Test
    void malformedPathsAreRefusedAsJson() throws IOException {
        Map<String, Long> before = snapshot(app.videos);
        for (String path : List.of("/api/videos/%zz", "/%zz", "/api/videos/a%00b/download")) {
            de.scheincam.testing.RawHttp.Answer a = de.scheincam.testing.RawHttp.get(app.port, path);
            assertThat(a.status()).as(path + ": " + a.body()).isBetween(400, 499);
            assertThat(a.contentType()).as(path + ": " + a.status() + " " + a.body()).startsWith("application/json");
            assertThat(a.json().path("detail").asText()).as(path).isNotBlank();
        }
        assertThat(snapshot(app.videos)).isEqualTo(before);
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
            // "; latin1": the body's characters are its bytes, to send bytes that are not UTF-8
            boolean latin1 = c.contentType() != null && c.contentType().endsWith("; latin1");
            b.method(c.method(), HttpRequest.BodyPublishers.ofByteArray(c.body().getBytes(
                    latin1 ? java.nio.charset.StandardCharsets.ISO_8859_1 : java.nio.charset.StandardCharsets.UTF_8)));
            b.header("Content-Type", c.contentType() == null ? "application/json" : latin1 ? "application/json" : c.contentType());
        }
        if (c.admin()) {
            b.header("Authorization", "Bearer " + TestApp.ADMIN_TOKEN);
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
