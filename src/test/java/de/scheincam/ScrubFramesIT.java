package de.scheincam;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.scheincam.testing.Media;
import de.scheincam.testing.Pictures;
import de.scheincam.testing.RawHttp;
import de.scheincam.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A performer scrubbing through the API: forward a second at a time across several keyframes (the
 * decoder walks on from its last frame within a GOP), then backward (it seeks). Every JPEG shows the
 * frame ffmpeg shows at that time, decoding everything from the keyframe: within JPEG's loss of it,
 * and nearer to it than to the frame after it (a busy moving picture, so a frame off shows).
 */
class ScrubFramesIT {

    private static final String NAME = "25-01-24_19-50-00";
    private static final double FRAME = 1 / 30.0;

    static TestApp app;
    static Path source;

    @BeforeAll
    static void boot() throws IOException {
        source = Media.busy("scrub.mkv", 30);
        Path home = TestApp.newHome();
        Files.copy(source, home.resolve("videos/" + NAME + ".mkv"));
        // one client asks for frames back to back here: no per-client rate (ClientRatesIT)
        app = TestApp.start(home, Map.of("scheincam.rates.frames.per-minute", "0"));
        await().atMost(Duration.ofSeconds(30)).until(() -> json(app.get("/api/videos/" + NAME)).path("duration").isNumber());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void scrubbingForwardThenBackShowsTheFrameAtEachTime() {
        List<Double> times = new ArrayList<>();
        for (double s = 0.51; s < 16; s += 1) {
            times.add(s); // keyframes at 5, 10 and 15 s
        }
        times.add(15.51 + FRAME); // the very next frame
        for (double s = 14.21; s > 0; s -= 1.3) {
            times.add(s);
        }
        for (double s : times) {
            String at = String.format(Locale.ROOT, "19:50:%06.3f", s);
            RawHttp.Answer answer = RawHttp.postJson("127.0.0.1", app.port, "/api/videos/frame",
                    "{\"filename\":\"" + NAME + "\",\"timestamp\":\"" + at + "\"}");
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            JsonNode body = answer.json();
            BufferedImage shown = Pictures.dataUrl(body.path("image").asText());
            BufferedImage exact = Media.frameByFfmpeg(source, s, 800, 450);
            BufferedImage next = Media.frameByFfmpeg(source, s + FRAME, 800, 450);
            double toExact = Pictures.psnr(shown, exact);
            assertThat(toExact).as("frame at %s against ffmpeg's", at).isGreaterThanOrEqualTo(28.0);
            assertThat(toExact).as("frame at %s: nearer to ffmpeg's than to the next frame", at)
                    .isGreaterThan(Pictures.psnr(shown, next) + 6);
        }
    }
}
