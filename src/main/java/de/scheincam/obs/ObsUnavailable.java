package de.scheincam.obs;

import de.scheincam.core.Refusal;

/** OBS cannot be reached (not connected, connection lost, no answer in time). */
public class ObsUnavailable extends Refusal {

    public ObsUnavailable(String message) {
        super(Kind.UNAVAILABLE, message);
    }

    /** The client reads that it is OBS that is missing; the message alone says only what went wrong. */
    @Override
    public String detail() {
        return "OBS is not available: " + getMessage();
    }
}
