package de.scheincam;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import de.scheincam.testing.Media;
import de.scheincam.testing.TestApp;
import org.junit.jupiter.api.Test;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Admin actions need the admin token; viewer actions the viewer password when one is set; no defaults. */
class AuthIT {

    @Test
    void adminActionsRefuseMissingAndWrongTokensAndWorkWithTheRightOne() throws IOException {
        Path home = TestApp.newHome();
        Files.copy(Media.cached("a.mkv", 20), home.resolve("videos/25-01-24_19-50-00.mkv"));
        try (TestApp app = TestApp.start(home, Map.of())) {
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    json(app.get("/api/videos/25-01-24_19-50-00")).path("duration").isNumber());
            String[][] attempts = {{}, {"Authorization", "Bearer wrong"}, {"Authorization", "Basic " + TestApp.ADMIN_TOKEN}};
            for (String[] headers : attempts) {
                HttpResponse<String> delete = app.send("DELETE", "/api/videos/25-01-24_19-50-00", null, headers);
                assertThat(delete.statusCode()).isEqualTo(401);
                assertThat(json(delete).path("detail").asText()).contains("admin token");
                HttpResponse<String> keep = app.send(java.net.http.HttpRequest.newBuilder(app.uri("/api/videos/25-01-24_19-50-00/keep"))
                        .header("Content-Type", "application/json")
                        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"keep\":true}")), headers);
                assertThat(keep.statusCode()).isEqualTo(401);
            }
            assertThat(app.videos.resolve("25-01-24_19-50-00.mkv")).exists();
            assertThat(json(app.get("/api/videos/25-01-24_19-50-00")).path("keep").asBoolean()).isFalse();

            HttpResponse<String> keep = app.send(java.net.http.HttpRequest.newBuilder(app.uri("/api/videos/25-01-24_19-50-00/keep"))
                    .header("Content-Type", "application/json")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"keep\":true}")), TestApp.admin());
            assertThat(keep.statusCode()).as(keep.body()).isEqualTo(200);
            assertThat(json(keep).path("keep").asBoolean()).isTrue();
            assertThat(Files.readString(app.videos.resolve("25-01-24_19-50-00.json"))).contains("\"keep\" : true");

            HttpResponse<String> delete = app.send("DELETE", "/api/videos/25-01-24_19-50-00", null, TestApp.admin());
            assertThat(delete.statusCode()).as(delete.body()).isEqualTo(200);
            assertThat(json(delete).path("success").asBoolean()).isTrue();
            assertThat(app.videos.resolve("25-01-24_19-50-00.mkv")).doesNotExist();
            assertThat(app.videos.resolve("25-01-24_19-50-00.json")).doesNotExist();
            assertThat(app.get("/api/videos/25-01-24_19-50-00").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void theRecordingInProgressCannotBeDeleted() throws Exception {
        try (TestApp app = TestApp.start(Map.of("scheincam.library.settle-seconds", "60"))) {
            Path growing = app.videos.resolve("25-01-24_19-50-00.mkv");
            Files.write(growing, new byte[4096]);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    json(app.get("/api/videos/25-01-24_19-50-00")).path("in_progress").asBoolean());
            HttpResponse<String> delete = app.send("DELETE", "/api/videos/25-01-24_19-50-00", null, TestApp.admin());
            assertThat(delete.statusCode()).isEqualTo(409);
            assertThat(json(delete).path("detail").asText()).contains("still being recorded");
            assertThat(growing).exists();
        }
    }

    @Test
    void viewerPasswordProtectsRecordingsWhenSet() {
        try (TestApp app = TestApp.start(Map.of("scheincam.viewer.password", "stage-door"))) {
            HttpResponse<String> open = app.get("/api/videos");
            assertThat(open.statusCode()).isEqualTo(401);
            assertThat(json(open).path("detail").asText()).contains("viewer password");
            assertThat(app.get("/api/videos", "Authorization", "Bearer nope").statusCode()).isEqualTo(401);
            assertThat(app.get("/api/videos", "Authorization", "Bearer stage-door").statusCode()).isEqualTo(200);
            assertThat(app.get("/api/videos", TestApp.admin()).statusCode()).isEqualTo(200);
            assertThat(app.get("/api/ping").statusCode()).as("liveness stays open").isEqualTo(200);
        }
    }

    @Test
    void withoutAConfiguredTokenOneIsGeneratedIntoAPrivateFileAndNeverLogged() throws IOException {
        try (TestApp app = TestApp.start(Map.of("scheincam.admin.token", ""))) {
            Path file = app.home.resolve(".scheincam/admin-token");
            assertThat(file).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            String token = Files.readString(file).trim();
            assertThat(token).hasSizeGreaterThanOrEqualTo(40);
            assertThat(app.send("DELETE", "/api/videos/25-01-01_00-00-00", null, "Authorization", "Bearer " + token)
                    .statusCode()).as("the generated token is the admin credential").isEqualTo(404);
            assertThat(app.send("DELETE", "/api/videos/25-01-01_00-00-00", null, TestApp.admin()).statusCode())
                    .isEqualTo(401);
            String logs = Files.readString(Path.of("target/test-logs/scheincam.log"));
            assertThat(logs).contains(file.toString()).doesNotContain(token);
        }
    }

    @Test
    void configuredSecretsNeverReachTheLog() throws IOException {
        try (TestApp app = TestApp.start(Map.of("scheincam.viewer.password", "viewer-secret-4711"))) {
            assertThat(app.get("/api/ping").statusCode()).isEqualTo(200);
        }
        String logs = Files.readString(Path.of("target/test-logs/scheincam.log"));
        assertThat(logs).contains("ScheinCam").doesNotContain(TestApp.ADMIN_TOKEN).doesNotContain("viewer-secret-4711");
    }
}
