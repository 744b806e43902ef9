package de.scheincam.watchdog;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import de.scheincam.obs.RecorderState;

/**
 * {@code GET /api/recordings/status} (RecorderStatus) and the web UI's recording event: the recorder's
 * state, its fields first as they always were, then the show's health — the watchdog's verdict and the
 * latest alerts, newest first.
 */
public record ShowStatus(@JsonUnwrapped RecorderState recorder, Verdict watchdog, List<Alert> alerts) {
}
