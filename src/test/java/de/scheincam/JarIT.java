package de.scheincam;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.scheincam.testing.Media;
import de.scheincam.testing.TestApp;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The deliverable itself: target/scheincam.jar started as operators start it, from another working
 * directory, with its home from SCHEINCAM_HOME and settings from the home's application.properties,
 * environment variables and -D.
 */
class JarIT {

    @Test
    void theJarRunsFromAnywhereWithHomeAndOverrides() throws Exception {
        Path home = TestApp.newHome();
        // the home's file is read: a changed download prefix must show
        Files.writeString(home.resolve("application.properties"),
                Files.readString(home.resolve("application.properties"))
                        .replace("scheincam.download.prefix = Scheinbar", "scheincam.download.prefix = Kleinkunst"));
        Path elsewhere = Files.createTempDirectory(Path.of("target"), "videos-elsewhere-").toAbsolutePath();
        Files.copy(Media.cached("a.mkv", 20), elsewhere.resolve("25-01-24_19-50-00.mkv"));
        Path workingDir = Files.createTempDirectory(Path.of("target"), "cwd-");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dscheincam.library.settle-seconds=1",
                "-jar", Path.of("target/scheincam.jar").toAbsolutePath().toString()))
                .directory(workingDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target/jar-it.log").toFile());
        pb.environment().put("SCHEINCAM_HOME", home.toString());
        pb.environment().put("SCHEINCAM_VIDEOS_DIR", elsewhere.toString());
        pb.environment().put("SCHEINCAM_ADMIN_TOKEN", TestApp.ADMIN_TOKEN);
        pb.environment().put("CAMEL_SERVER_PORT", String.valueOf(port));
        long started = System.nanoTime();
        Process app = pb.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            URI ping = URI.create("http://127.0.0.1:" + port + "/api/ping");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() ->
                    http.send(HttpRequest.newBuilder(ping).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
            System.out.printf("jar start to first answer: %d ms%n", (System.nanoTime() - started) / 1_000_000);

            URI info = URI.create("http://127.0.0.1:" + port + "/api/videos/25-01-24_19-50-00");
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                JsonNode recording = new ObjectMapper().readTree(
                        http.send(HttpRequest.newBuilder(info).build(), HttpResponse.BodyHandlers.ofString()).body());
                assertThat(recording.path("duration").asDouble()).isBetween(19.9, 20.2);
            });
            assertThat(elsewhere.resolve("25-01-24_19-50-00.json")).as("metadata in the overridden folder").exists();
            assertThat(home.resolve("videos/25-01-24_19-50-00.json")).doesNotExist();
            assertThat(workingDir.resolve("videos")).as("nothing relative to the working directory").doesNotExist();

            HttpResponse<Void> download = http.send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + port + "/api/videos/25-01-24_19-50-00/download")).header("Range", "bytes=0-9").build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(download.headers().firstValue("Content-Disposition").orElseThrow()).contains("Kleinkunst_2025-01-24_19-50.mkv");
            HttpResponse<String> delete = http.send(HttpRequest.newBuilder(info).DELETE()
                    .header("Authorization", "Bearer " + TestApp.ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(delete.statusCode()).as("admin token from the environment").isEqualTo(200);
            assertThat(Files.readString(home.resolve("logs/scheincam.log")))
                    .as("the port from CAMEL_SERVER_PORT, not the file's 8080").contains("HttpServer started on 127.0.0.1:" + port)
                    .doesNotContain("started on 127.0.0.1:8080");
            assertThat(Files.readString(home.resolve("logs/scheincam.log"))).contains("Deleted recording 25-01-24_19-50-00.mkv");
        } finally {
            app.destroy();
            if (!app.waitFor(15, TimeUnit.SECONDS)) {
                app.destroyForcibly();
            }
        }
        assertThat(app.exitValue()).as("graceful stop on SIGTERM").isIn(0, 143);
    }
}
