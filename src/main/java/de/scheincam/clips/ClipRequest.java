package de.scheincam.clips;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code POST /api/videos/export}: a stretch between two wall-clock times of a recording
 * ({@code filename}) or of a show ({@code show}, its id: the clip then joins the recordings it spans).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClipRequest(
        String filename,
        @JsonProperty("start_time") String startTime,
        @JsonProperty("end_time") String endTime,
        String mode,
        String show) {

    public ClipRequest(String filename, String startTime, String endTime, String mode) {
        this(filename, startTime, endTime, mode, null);
    }
}
