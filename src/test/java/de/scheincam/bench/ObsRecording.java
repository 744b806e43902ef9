package de.scheincam.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import de.scheincam.obs.ObsClient;
import de.scheincam.testing.RealObs;

import static org.awaitility.Awaitility.await;

/**
 * A recording by real OBS Studio (headless, RealObs) for the benchmark: Simple output, x264 CBR 2500
 * ("Stream" quality), mkv, 1280×720 at 30 fps, {@code seconds} long. Recorded once and cached in
 * target/bench/.
 */
final class ObsRecording {

    private ObsRecording() {
    }

    static Path recorded(Path file, int seconds) throws IOException {
        if (Files.exists(file)) {
            return file;
        }
        Files.createDirectories(file.getParent());
        System.out.println("Recording " + seconds + " s of 720p with real OBS (once, cached in " + file.getParent() + ")...");
        try (RealObs obs = RealObs.launch(UUID.randomUUID().toString());
             ObsClient c = obs.client()) {
            c.start();
            await().atMost(Duration.ofSeconds(20)).until(c::connected);
            c.request("SetVideoSettings", Map.of("baseWidth", 1280, "baseHeight", 720, "outputWidth", 1280,
                    "outputHeight", 720, "fpsNumerator", 30, "fpsDenominator", 1));
            Path dir = obs.home.resolve("recordings");
            Files.createDirectories(dir);
            c.request("SetProfileParameter", Map.of("parameterCategory", "SimpleOutput", "parameterName", "FilePath",
                    "parameterValue", dir.toString()));
            // the camera clip fills the canvas, so the picture is 720p detail, not a 640×360 corner
            JsonNode item = c.request("GetSceneItemId", Map.of("sceneName", "main", "sourceName", "Camera"));
            c.request("SetSceneItemTransform", Map.of("sceneName", "main", "sceneItemId", item.path("sceneItemId").asInt(),
                    "sceneItemTransform", Map.of("scaleX", 2.0, "scaleY", 2.0)));
            c.request("StartRecord");
            long began = System.nanoTime();
            await().atMost(Duration.ofSeconds(seconds + 60L)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> System.nanoTime() - began >= seconds * 1_000_000_000L);
            JsonNode stopped = c.request("StopRecord");
            Path written = Path.of(stopped.path("outputPath").asText());
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(written) && Files.size(written) > 0);
            Files.move(written, file.resolveSibling("recording-" + file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(file.resolveSibling("recording-" + file.getFileName()), file);
        return file;
    }
}
