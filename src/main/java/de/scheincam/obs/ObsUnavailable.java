package de.scheincam.obs;

/** OBS cannot be reached (not connected, connection lost, no answer in time). Maps to HTTP 503. */
public class ObsUnavailable extends RuntimeException {

    public ObsUnavailable(String message) {
        super(message);
    }
}
