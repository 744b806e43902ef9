package de.scheincam.monitoring;

import java.util.Map;

import de.scheincam.obs.Recorder;
import de.scheincam.obs.RecorderState;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Is OBS reachable? Part of the full health (/observe/health) but neither of liveness nor of readiness:
 * without OBS the app still serves the library, frames and exports, and a restart would not bring
 * OBS back (the OBS client reconnects by itself).
 */
public class ObsHealthCheck extends AbstractHealthCheck {

    private final Recorder recorder;

    public ObsHealthCheck(Recorder recorder) {
        super("scheincam", "obs");
        this.recorder = recorder;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    public boolean isReadiness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        RecorderState state = recorder.state();
        builder.detail("obs_state", state.obsState().text());
        builder.detail("recording", state.recording());
        if (state.connected()) {
            builder.up();
        } else {
            builder.message("OBS is not connected: " + state.problem()).down();
        }
    }
}
