package de.scheincam.obs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The live preview: one OBS screenshot per interval, shared by every viewer, so fifty phones polling
 * cost OBS no more than one. Callers that arrive while a screenshot is being taken wait for it.
 */
public class PreviewCache {

    private final ObsClient obs;
    private final Recorder recorder;
    private final ObsNames names;
    private final Clock clock;
    private final Duration interval;
    private final int width;
    private final int height;
    private final int quality;

    private String image;
    private Instant takenAt = Instant.EPOCH;

    public PreviewCache(ObsClient obs, Recorder recorder, ObsNames names, Clock clock, Duration interval,
                        int width, int height, int quality) {
        this.obs = obs;
        this.recorder = recorder;
        this.names = names;
        this.clock = clock;
        this.interval = interval;
        this.width = width;
        this.height = height;
        this.quality = quality;
    }

    public Preview preview() {
        return new Preview(obs.connected(), recorder.isMuted(), obs.connected() ? image() : null);
    }

    private synchronized String image() {
        Instant now = clock.instant();
        if (image == null || !takenAt.plus(interval).isAfter(now)) {
            image = obs.request("GetSourceScreenshot", Map.of("sourceName", names.previewSource(),
                    "imageFormat", "jpg", "imageWidth", width, "imageHeight", height,
                    "imageCompressionQuality", quality)).path("imageData").asText();
            takenAt = now;
        }
        return image;
    }
}
