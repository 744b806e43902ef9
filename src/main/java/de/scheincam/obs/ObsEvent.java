package de.scheincam.obs;

import com.fasterxml.jackson.databind.JsonNode;

/** An obs-websocket event (op 5): its type and data, e.g. RecordStateChanged with outputState/outputPath. */
public record ObsEvent(String type, JsonNode data) {

    public String text(String field) {
        JsonNode value = data == null ? null : data.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
