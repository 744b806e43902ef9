package de.scheincam.clips;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where an export stands: waiting for a slot, being cut, or finished either way. */
public enum ExportState {
    QUEUED("queued"),
    RUNNING("running"),
    DONE("done"),
    FAILED("failed");

    private final String id;

    ExportState(String id) {
        this.id = id;
    }

    /** As the API and the job's JSON beside its clip spell it. */
    @JsonValue
    public String id() {
        return id;
    }

    public boolean finished() {
        return this == DONE || this == FAILED;
    }
}
