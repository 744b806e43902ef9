package de.scheincam;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import de.scheincam.testing.TestApp;
import org.junit.jupiter.api.Test;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Operators change flows by editing routes/*.camel.yaml: the running app picks the edit up. */
class ReloadIT {

    @Test
    void anEditedRouteTakesEffectWithoutRestart() throws Exception {
        try (TestApp app = TestApp.start(Map.of())) {
            assertThat(json(app.get("/api/ping")).path("status").asText()).isEqualTo("ok");
            Path flow = app.home.resolve("routes/system.camel.yaml");
            String edited = Files.readString(flow).replace(
                    "            method: ping\n        - marshal:\n            json:\n              library: Jackson\n",
                    "            method: ping\n        - marshal:\n            json:\n              library: Jackson\n"
                            + "        - setBody:\n            constant: '{\"status\":\"edited on disk\"}'\n");
            assertThat(edited).isNotEqualTo(Files.readString(flow));
            Files.writeString(flow, edited);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(json(app.get("/api/ping")).path("status").asText()).isEqualTo("edited on disk"));
            assertThat(app.get("/api/videos").statusCode()).as("other flows keep running").isEqualTo(200);
        }
    }
}
