package de.scheincam;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.scheincam.testing.Media;
import de.scheincam.testing.TestApp;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * target/scheincam.jar killed with SIGKILL (no shutdown hook runs) in the middle of an export and in the
 * middle of metadata writes, then started again on the same home: the metadata is whole and agrees with
 * the API, the partial export and the ffmpeg left cutting it are gone, the library is intact.
 */
class CrashIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REC = "25-01-24_19-50-00";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicInteger starts = new AtomicInteger();

    /** The jar as operators run it, on a home, with test speed settings; answers once /api/ping does. */
    private Running start(Path home) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dcamel.server.port=" + port,
                "-Dscheincam.schedule.enabled=false",
                "-Dscheincam.watchdog.enabled=false",
                "-Dscheincam.export.wait-millis=0",
                "-Dscheincam.export.max-clip-minutes=5",
                "-Dscheincam.library.settle-seconds=1",
                "-jar", Path.of("target/scheincam.jar").toAbsolutePath().toString()))
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target/crash-it-" + starts.incrementAndGet() + ".log").toFile());
        pb.environment().put("SCHEINCAM_HOME", home.toString());
        pb.environment().put("SCHEINCAM_ADMIN_TOKEN", TestApp.ADMIN_TOKEN);
        Running app = new Running(pb.start(), port);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> app.send(HttpRequest.newBuilder(app.uri("/api/ping"))).statusCode() == 200);
        return app;
    }

    private final class Running {
        final Process process;
        final int port;

        Running(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }

        HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        }

        JsonNode get(String path) throws IOException, InterruptedException {
            return JSON.readTree(send(HttpRequest.newBuilder(uri(path))).body());
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();   // SIGKILL on Linux
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void killedDuringAnExportTheNextStartRemovesThePartialClipAndStopsTheLeftoverFfmpeg() throws Exception {
        Path home = TestApp.newHome();
        Files.copy(Media.cached("a.mkv", 120), home.resolve("videos/" + REC + ".mkv"));
        Path exports = home.resolve("videos/exports");
        Running app = start(home);
        ProcessHandle ffmpeg;
        String jobId;
        String metadata;
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> app.get("/api/videos/" + REC).path("duration").isNumber());
            metadata = Files.readString(home.resolve("videos/" + REC + ".json"));
            HttpResponse<String> r = app.send(HttpRequest.newBuilder(app.uri("/api/videos/export"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"filename\":\"" + REC
                            + "\",\"start_time\":\"19:50:00\",\"end_time\":\"19:51:59\",\"mode\":\"reencode\"}")));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            jobId = JSON.readTree(r.body()).path("job_id").asText();
            Path part = exports.resolve(jobId + ".part.mp4");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(part) && Files.size(part) > 0);
            ffmpeg = app.process.descendants().filter(p -> p.info().command().map(c -> c.endsWith("/ffmpeg")).orElse(false))
                    .findFirst().orElseThrow(() -> new AssertionError("no ffmpeg running the export"));
        } catch (Throwable t) {
            app.stop();
            throw t;
        }
        // frozen, so it can neither finish the clip nor die of its closed pipes before the next start looks
        // for it (CI's faster run once finished it first): the next start must stop it, and a SIGTERM alone
        // does not stop a stopped process
        assertThat(new ProcessBuilder("kill", "-STOP", Long.toString(ffmpeg.pid())).start().waitFor()).isZero();
        app.kill();
        assertThat(ffmpeg.isAlive()).as("a SIGKILLed JVM leaves its ffmpeg running").isTrue();
        assertThat(names(exports)).anyMatch(n -> n.endsWith(".part.mp4"));
        // and a damaged job file (as a disk fault might leave): it must not keep the app from starting
        Files.writeString(exports.resolve("00000000000000aa.json"), "{\"job_id\":\"00000000000000aa\",\"sta");

        Running again = start(home);
        try {
            assertThat(ffmpeg.isAlive()).as("the leftover ffmpeg was stopped at start").isFalse();
            assertThat(names(exports)).as("partial clip, progress file and damaged job removed").isEmpty();
            HttpResponse<String> job = again.send(HttpRequest.newBuilder(again.uri("/api/exports/" + jobId)));
            assertThat(job.statusCode()).isEqualTo(404);
            JsonNode recording = again.get("/api/videos/" + REC);
            assertThat(recording.path("duration").asDouble()).isCloseTo(120.0, org.assertj.core.data.Offset.offset(0.5));
            assertThat(Files.readString(home.resolve("videos/" + REC + ".json"))).isEqualTo(metadata);
            assertThat(Files.readString(Path.of("target/crash-it-" + starts.get() + ".log")))
                    .contains("left from an earlier run").contains("Removed interrupted export file");
        } finally {
            again.stop();
        }
    }

    @Test
    void killedDuringMetadataWritesTheNextStartFindsWholeConsistentMetadata() throws Exception {
        Path home = TestApp.newHome();
        List<String> names = List.of("25-01-24_19-50-00", "25-01-25_19-50-00", "25-01-26_19-50-00");
        for (String name : names) {
            Files.copy(Media.cached("a.mkv", 20), home.resolve("videos/" + name + ".mkv"));
        }
        int rounds = 3;
        int leftoversSeen = 0;
        int checks = 0;
        for (int round = 0; round < rounds; round++) {
            Running app = start(home);
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger writes = new AtomicInteger();
            List<Thread> writers = new ArrayList<>();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> app.get("/api/videos").path("videos").findValues("duration")
                        .stream().filter(JsonNode::isNumber).count() == names.size());
                for (int w = 0; w < 4; w++) {
                    String name = names.get(w % names.size());
                    Thread writer = new Thread(() -> {
                        boolean keep = false;
                        while (writing.get()) {
                            keep = !keep;
                            try {
                                app.send(HttpRequest.newBuilder(app.uri("/api/videos/" + name + "/keep"))
                                        .header("Content-Type", "application/json")
                                        .header("Authorization", "Bearer " + TestApp.ADMIN_TOKEN)
                                        .PUT(HttpRequest.BodyPublishers.ofString("{\"keep\":" + keep + "}")));
                                writes.incrementAndGet();
                            } catch (IOException | InterruptedException e) {
                                return;   // the app is gone
                            }
                        }
                    });
                    writer.start();
                    writers.add(writer);
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> writes.get() >= 200);
            } catch (Throwable t) {
                writing.set(false);
                app.stop();
                throw t;
            }
            app.kill();
            writing.set(false);
            for (Thread writer : writers) {
                writer.join(10_000);
            }
            // right after the kill, before any repair: every JSON is whole
            List<String> files = names(home.resolve("videos"));
            leftoversSeen += (int) files.stream().filter(n -> n.endsWith(".json.tmp")).count();
            for (String name : names) {
                JsonNode meta = JSON.readTree(home.resolve("videos/" + name + ".json").toFile());
                assertThat(meta.path("keep").isBoolean()).as("whole JSON for " + name).isTrue();
                assertThat(meta.path("filename").asText()).isEqualTo(name + ".mkv");
                checks++;
            }

            Running again = start(home);
            try {
                assertThat(names(home.resolve("videos"))).as("interrupted writes cleaned").noneMatch(n -> n.endsWith(".tmp"));
                JsonNode listing = again.get("/api/videos");
                assertThat(listing.path("total").asInt()).isEqualTo(names.size());
                for (String name : names) {
                    JsonNode onDisk = JSON.readTree(home.resolve("videos/" + name + ".json").toFile());
                    JsonNode served = again.get("/api/videos/" + name);
                    assertThat(served.path("keep")).as("API and file agree for " + name).isEqualTo(onDisk.path("keep"));
                    assertThat(served.path("duration").asDouble()).isCloseTo(20.0, org.assertj.core.data.Offset.offset(0.3));
                    checks++;
                }
            } finally {
                again.stop();
            }
            System.out.printf("metadata crash round %d: %d keep writes before SIGKILL%n", round + 1, writes.get());
        }
        System.out.printf("metadata crash: %d rounds, %d consistency checks passed, %d interrupted writes (.json.tmp) found and cleaned%n",
                rounds, checks, leftoversSeen);
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }
}
