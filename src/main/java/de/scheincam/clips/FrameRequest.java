package de.scheincam.clips;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** {@code POST /api/videos/frame}: the frame of a recording at a wall-clock time. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FrameRequest(String filename, String timestamp) {
}
