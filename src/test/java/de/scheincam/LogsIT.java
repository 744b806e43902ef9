package de.scheincam;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import de.scheincam.testing.TestApp;
import org.junit.jupiter.api.Test;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The operator reads and clears the application's logs through the API; nothing else is reachable. */
class LogsIT {

    @Test
    void logsAreListedTailedAndClearedByTheAdminOnly() throws Exception {
        Path home = TestApp.newHome();
        Path logs = Files.createDirectories(home.resolve("logs"));
        Files.writeString(logs.resolve("scheincam.log"),
                IntStream.rangeClosed(1, 500).mapToObj(i -> "line " + i).collect(Collectors.joining("\n", "", "\n")));
        Files.write(logs.resolve("scheincam-2025-01-01-1.log.gz"), new byte[] {31, -117, 8});
        Files.writeString(home.resolve("application.secret.log"), "outside the logs folder");
        try (TestApp app = TestApp.start(home, Map.of())) {
            assertThat(app.get("/api/admin/logs").statusCode()).isEqualTo(401);
            assertThat(json(app.get("/api/admin/logs", TestApp.admin())).path("logs").toString())
                    .isEqualTo("[\"scheincam-2025-01-01-1.log.gz\",\"scheincam.log\"]");

            HttpResponse<String> tail = app.get("/api/admin/logs/scheincam.log?lines=3", TestApp.admin());
            assertThat(tail.statusCode()).isEqualTo(200);
            assertThat(tail.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
            assertThat(tail.body()).isEqualTo("line 498\nline 499\nline 500\n");
            assertThat(app.get("/api/admin/logs/scheincam.log", TestApp.admin()).body().lines().count()).isEqualTo(200);

            assertThat(app.get("/api/admin/logs/..%2Fapplication.secret.log", TestApp.admin()).statusCode()).isEqualTo(400);
            assertThat(app.get("/api/admin/logs/nothing.log", TestApp.admin()).statusCode()).isEqualTo(404);
            assertThat(app.get("/api/admin/logs/scheincam.log?lines=0", TestApp.admin()).statusCode()).isEqualTo(422);

            assertThat(app.send("DELETE", "/api/admin/logs", null).statusCode()).isEqualTo(401);
            HttpResponse<String> cleared = app.send("DELETE", "/api/admin/logs", null, TestApp.admin());
            assertThat(json(cleared).path("deleted").asInt()).isEqualTo(1);
            assertThat(logs.resolve("scheincam-2025-01-01-1.log.gz")).doesNotExist();
            assertThat(logs.resolve("scheincam.log")).exists().isEmptyFile();
            assertThat(home.resolve("application.secret.log")).hasContent("outside the logs folder");
        }
    }
}
