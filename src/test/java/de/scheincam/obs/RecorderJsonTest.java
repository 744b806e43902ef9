package de.scheincam.obs;

import java.time.Duration;
import java.time.LocalDateTime;

import com.fasterxml.jackson.databind.ObjectMapper;
import de.scheincam.obs.RecorderReplies.AudioCheck;
import de.scheincam.obs.RecorderReplies.AudioLevel;
import de.scheincam.obs.RecorderReplies.CameraReloaded;
import de.scheincam.obs.RecorderReplies.Logo;
import de.scheincam.obs.RecorderReplies.Muted;
import de.scheincam.web.JsonBodies;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recorder's typed answers write the bytes its maps wrote: same keys, same order, nulls written.
 * The expected strings are what the map-building code produced (run once before the change: the
 * disconnected state; the others follow its put order).
 */
class RecorderJsonTest {

    private final ObjectMapper json = JsonBodies.mapper();

    @Test
    void theStateOfAFreshRecorderIsWhatStatusWrote() throws Exception {
        ObsClient obs = new ObsClient(new ObsClient.Settings("127.0.0.1", 1, "", Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1)), json);
        try {
            Recorder recorder = new Recorder(obs, null, new ObsNames("Main", "Muted", "Logo", "Hide", "Camera", "Program"),
                    java.nio.file.Path.of("."), java.time.Clock.systemUTC(), java.time.ZoneOffset.UTC, Duration.ofSeconds(1),
                    true, 0.01, Duration.ofMillis(10));
            assertThat(json.writeValueAsString(recorder.state())).isEqualTo("{\"connected\":false,\"recording\":false,"
                    + "\"muted\":false,\"current_file\":null,\"current_start_time\":null,\"elapsed_seconds\":null,"
                    + "\"current_size\":null,\"logo_visible\":true,\"obs_state\":\"disconnected\",\"problem\":\"not connected yet\"}");
        } finally {
            obs.close();
        }
    }

    @Test
    void aRecordingInProgress() throws Exception {
        RecorderState state = new RecorderState(true, true, true, "25-01-24_19-50-00.mkv",
                LocalDateTime.parse("2025-01-24T19:50:00"), 75L, 123456789L, false, ObsClient.State.CONNECTED, "");
        assertThat(json.writeValueAsString(state)).isEqualTo("{\"connected\":true,\"recording\":true,\"muted\":true,"
                + "\"current_file\":\"25-01-24_19-50-00.mkv\",\"current_start_time\":\"2025-01-24T19:50:00\","
                + "\"elapsed_seconds\":75,\"current_size\":123456789,\"logo_visible\":false,\"obs_state\":\"connected\","
                + "\"problem\":\"\"}");
        assertThat(json.writeValueAsString(new RecorderState(false, false, false, null, null, null, null, true,
                ObsClient.State.AUTH_FAILED, "wrong password"))).contains("\"obs_state\":\"auth_failed\"");
    }

    @Test
    void actionsAndSmallerAnswers() throws Exception {
        assertThat(json.writeValueAsString(RecorderAction.done("Recording started", "25-01-24_19-50-00.mkv")))
                .isEqualTo("{\"success\":true,\"message\":\"Recording started\",\"filename\":\"25-01-24_19-50-00.mkv\"}");
        assertThat(json.writeValueAsString(RecorderAction.done("Recording stopped", null)))
                .isEqualTo("{\"success\":true,\"message\":\"Recording stopped\",\"filename\":null}");
        // these were Map.of(...): keys in an order that changed from run to run; now success first, always
        assertThat(json.writeValueAsString(new Muted(true, false))).isEqualTo("{\"success\":true,\"muted\":false}");
        assertThat(json.writeValueAsString(new Logo(true, true))).isEqualTo("{\"success\":true,\"visible\":true}");
        assertThat(json.writeValueAsString(new CameraReloaded(true, "Camera reloaded")))
                .isEqualTo("{\"success\":true,\"message\":\"Camera reloaded\"}");
        assertThat(json.writeValueAsString(new AudioCheck(0.0123, true, "Audio is working.")))
                .isEqualTo("{\"audio_range\":0.0123,\"working\":true,\"message\":\"Audio is working.\"}");
        assertThat(json.writeValueAsString(new AudioCheck(0, false, "Audio seems silent.")))
                .isEqualTo("{\"audio_range\":0.0,\"working\":false,\"message\":\"Audio seems silent.\"}");
        assertThat(json.writeValueAsString(new AudioLevel("Camera", 0.5, -6.0)))
                .isEqualTo("{\"input\":\"Camera\",\"level\":0.5,\"db\":-6.0}");
        assertThat(json.writeValueAsString(new AudioLevel("Camera", 0.0, -100.0)))
                .isEqualTo("{\"input\":\"Camera\",\"level\":0.0,\"db\":-100.0}");
    }

    @Test
    void preview() throws Exception {
        assertThat(json.writeValueAsString(new Preview(false, false, null)))
                .isEqualTo("{\"connected\":false,\"muted\":false,\"image\":null}");
        assertThat(json.writeValueAsString(new Preview(true, true, "data:image/jpg;base64,/9j/")))
                .isEqualTo("{\"connected\":true,\"muted\":true,\"image\":\"data:image/jpg;base64,/9j/\"}");
    }
}
