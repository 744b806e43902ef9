package de.scheincam;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import de.scheincam.testing.Media;
import de.scheincam.testing.TestApp;
import org.junit.jupiter.api.Test;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Admin actions need the admin token; viewer actions the viewer password when one is set; no defaults. */
class AuthIT {

    /** One admin operation of the contract, as a request that passes validation and fails only on the credential. */
    record AdminCall(String operationId, String method, String path, String body) {
    }

    /**
     * Every operation the contract marks {@code security: admin}, read from openapi.yaml so that a new
     * one is covered without editing this test: path parameters filled with plausible values, a body
     * built from the schema (examples, required fields), so the only thing wrong is the credential.
     */
    static List<AdminCall> adminCalls() throws IOException {
        JsonNode spec = new YAMLMapper().readTree(AuthIT.class.getClassLoader().getResource("openapi.yaml"));
        List<AdminCall> calls = new ArrayList<>();
        spec.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (op.getKey().equals("parameters") || op.getValue().path("security").findValue("admin") == null) {
                return;
            }
            String url = "/api" + path.getKey().replace("{filename}", "25-01-24_19-50-00")
                    .replace("{job_id}", "0123456789abcdef").replace("{name}", "scheincam.log").replaceAll("\\{[^}]+}", "x");
            JsonNode schema = op.getValue().path("requestBody").path("content").path("application/json").path("schema");
            String body = schema.isMissingNode() ? null : sample(spec, schema).toString();
            calls.add(new AdminCall(op.getValue().path("operationId").asText(), op.getKey().toUpperCase(java.util.Locale.ROOT), url, body));
        }));
        return calls;
    }

    private static JsonNode sample(JsonNode spec, JsonNode schema) {
        if (schema.has("$ref")) {
            JsonNode target = spec;
            for (String part : schema.path("$ref").asText().substring(2).split("/")) {
                target = target.path(part);
            }
            return sample(spec, target);
        }
        if (schema.has("example")) {
            return schema.path("example");
        }
        JsonNodeFactory f = JsonNodeFactory.instance;
        switch (schema.path("type").asText("object")) {
            case "object": {
                ObjectNode o = f.objectNode();
                List<String> wanted = new ArrayList<>();
                schema.path("required").forEach(r -> wanted.add(r.asText()));
                if (wanted.isEmpty() && schema.path("minProperties").asInt(0) > 0) {
                    wanted.add(schema.path("properties").fieldNames().next());
                }
                wanted.forEach(name -> o.set(name, sample(spec, schema.path("properties").path(name))));
                return o;
            }
            case "array":
                return f.arrayNode();
            case "boolean":
                return f.booleanNode(false);
            case "integer":
            case "number":
                return f.numberNode(schema.path("minimum").asInt(1));
            default:
                return "date".equals(schema.path("format").asText()) ? f.textNode("2030-01-01") : f.textNode("x");
        }
    }

    @Test
    void everyAdminOperationOfTheContractRefusesAMissingOrWrongCredentialAndChangesNothing() throws IOException {
        List<AdminCall> calls = adminCalls();
        assertThat(calls).extracting(AdminCall::operationId).as("read from openapi.yaml")
                .contains("deleteVideo", "setVideoKeep", "startRecording", "stopRecording", "setMuted", "updateSettings",
                        "saveSettings", "shutdownNow", "listLogs", "clearLogs", "readLog", "setScheduleExceptions");
        Path home = TestApp.newHome();
        Files.copy(Media.cached("a.mkv", 20), home.resolve("videos/25-01-24_19-50-00.mkv"));
        Files.createDirectories(home.resolve("logs"));
        Files.writeString(home.resolve("logs/scheincam.log"), "a line the operator keeps\n");
        // every wrong token is answered 401 here, not 429: the guess limit is CredentialLimitsIT's subject
        try (TestApp app = TestApp.start(home, Map.of("scheincam.access.failures-per-client-per-minute", "1000",
                "scheincam.access.failures-per-minute", "1000"))) {
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    json(app.get("/api/videos/25-01-24_19-50-00")).path("duration").isNumber());
            Map<String, Long> videos = BadInputIT.snapshot(app.videos);
            Map<String, Long> logs = BadInputIT.snapshot(home.resolve("logs"));
            int runs = app.programRuns();
            String[][] credentials = {{}, {"Authorization", "Bearer wrong"}, {"Authorization", "Basic " + TestApp.ADMIN_TOKEN},
                    {"Authorization", "Bearer " + TestApp.ADMIN_TOKEN + "x"}, {"Authorization", "Bearer " + TestApp.ADMIN_TOKEN.substring(1)},
                    {"Authorization", "Bearer"}, {"Authorization", "Token " + TestApp.ADMIN_TOKEN}};
            int refused = 0;
            for (AdminCall call : calls) {
                for (String[] credential : credentials) {
                    java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(app.uri(call.path()));
                    if (call.body() == null) {
                        request.method(call.method(), java.net.http.HttpRequest.BodyPublishers.noBody());
                    } else {
                        request.method(call.method(), java.net.http.HttpRequest.BodyPublishers.ofString(call.body()))
                                .header("Content-Type", "application/json");
                    }
                    HttpResponse<String> r = app.send(request, credential);
                    String what = call.operationId() + " " + call.method() + " " + call.path() + " " + call.body()
                            + " with " + java.util.Arrays.toString(credential);
                    assertThat(r.statusCode()).as(what + ": " + r.body()).isEqualTo(401);
                    assertThat(json(r).path("detail").asText()).as(what).contains("admin token");
                    refused++;
                }
            }
            assertThat(BadInputIT.snapshot(app.videos)).as("videos/ unchanged").isEqualTo(videos);
            assertThat(BadInputIT.snapshot(home.resolve("logs"))).as("logs/ not cleared").isEqualTo(logs);
            assertThat(home.resolve("settings.properties")).as("settings not saved").doesNotExist();
            assertThat(app.programRuns()).as("nothing started").isEqualTo(runs);
            System.out.printf("auth: %d admin operations x %d credentials = %d requests refused with 401%n",
                    calls.size(), credentials.length, refused);
        }
    }

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

    /** Issue 13, items 9 and 10: the live events follow the viewer rule; a key twice opens no session. */
    @Test
    void eventsNeedTheViewerCredentialAndADuplicatePasswordKeyOpensNoSession() throws Exception {
        try (TestApp app = TestApp.start(Map.of("scheincam.viewer.password", "stage-door"))) {
            HttpResponse<String> events = app.get("/events");
            assertThat(events.statusCode()).as(events.body()).isEqualTo(401);
            assertThat(events.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
            assertThat(json(events).path("detail").asText()).contains("viewer password");
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            java.net.URI socket = java.net.URI.create("ws://127.0.0.1:" + app.port + "/events");
            java.net.http.WebSocket.Listener quiet = new java.net.http.WebSocket.Listener() {
            };
            assertThat(http.newWebSocketBuilder().buildAsync(socket, quiet))
                    .as("the handshake without a credential").failsWithin(Duration.ofSeconds(10))
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withCauseInstanceOf(java.net.http.WebSocketHandshakeException.class);
            assertThat(((java.net.http.WebSocketHandshakeException) http.newWebSocketBuilder().header("Authorization", "Bearer nope")
                    .buildAsync(socket, quiet).handle((ws, e) -> e.getCause()).get(10, java.util.concurrent.TimeUnit.SECONDS))
                    .getResponse().statusCode()).as("a wrong credential").isEqualTo(401);
            java.net.http.WebSocket open = http.newWebSocketBuilder().header("Authorization", "Bearer stage-door")
                    .buildAsync(socket, quiet).get(10, java.util.concurrent.TimeUnit.SECONDS);
            open.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "").get(10, java.util.concurrent.TimeUnit.SECONDS);

            // the validator and the parser once each took their own of the two keys: the second one won
            HttpResponse<String> login = app.post("/api/session", "{\"password\":\"wrong\",\"password\":\"stage-door\"}");
            assertThat(login.statusCode()).as(login.body()).isEqualTo(400);
            assertThat(json(login).path("detail").asText()).containsIgnoringCase("duplicate");
            assertThat(login.headers().firstValue("Set-Cookie")).isEmpty();
            HttpResponse<String> right = app.post("/api/session", "{\"password\":\"stage-door\"}");
            assertThat(right.statusCode()).isEqualTo(200);
            String cookie = right.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            assertThat(app.get("/events", "Cookie", cookie).statusCode()).as("the session cookie admits a viewer")
                    .isNotEqualTo(401);
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
