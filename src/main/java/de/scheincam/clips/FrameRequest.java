package de.scheincam.clips;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** {@code POST /api/videos/frame}: the frame of a recording ({@code filename}) or of a show ({@code show}, its id) at a wall-clock time. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FrameRequest(String filename, String timestamp, String show) {

    public FrameRequest(String filename, String timestamp) {
        this(filename, timestamp, null);
    }
}
