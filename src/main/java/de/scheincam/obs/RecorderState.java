package de.scheincam.obs;

import java.time.LocalDateTime;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What the recorder knows of OBS at one moment (the API's RecorderStatus, without the watchdog's part):
 * read by metrics, health and the status answers through its fields. Components in the order the API
 * has always written them; nulls are written (a file, start, elapsed time or size not known).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RecorderState(boolean connected, boolean recording, boolean muted, String currentFile,
                            LocalDateTime currentStartTime, Long elapsedSeconds, Long currentSize, boolean logoVisible,
                            ObsClient.State obsState, String problem) {
}
