package de.scheincam.obs;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** The recorder's smaller answers (the API's mute, logo, camera reload and audio check), and the live level. */
public final class RecorderReplies {

    private RecorderReplies() {
    }

    /** {@code POST /api/admin/mute}. */
    public record Muted(boolean success, boolean muted) {
    }

    /** {@code POST /api/admin/logo}. */
    public record Logo(boolean success, boolean visible) {
    }

    /** {@code POST /api/admin/camera/reload}: a RecorderAction without a file (the key is left out, not null). */
    public record CameraReloaded(boolean success, String message) {
    }

    /** {@code POST /api/admin/audio/check}, and the watchdog's look at the sound. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record AudioCheck(double audioRange, boolean working, String message) {
    }

    /** The camera input's live level (peak of all channels, 0–1 and dBFS), pushed to the web UI. */
    public record AudioLevel(String input, double level, double db) {
    }
}
