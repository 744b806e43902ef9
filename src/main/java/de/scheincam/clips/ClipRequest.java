package de.scheincam.clips;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /api/videos/export}: a stretch of a recording between two wall-clock times. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClipRequest(
        String filename,
        @JsonProperty("start_time") String startTime,
        @JsonProperty("end_time") String endTime,
        String mode) {
}
