package de.scheincam.clips;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a clip was actually cut (the job's {@code method}), which can differ from the {@code mode} asked
 * for where a recording does not allow it.
 */
public enum ExportMethod {
    /** Stream copy in-process: as fast as copying the bytes. */
    REMUX("remux"),
    /** The frames up to the next keyframe re-encoded by ffmpeg, the rest copied in-process. */
    SMART_CUT("smart-cut"),
    /** Stream copy by ffmpeg, for recordings the in-process remuxer does not read. */
    FFMPEG_COPY("ffmpeg-copy"),
    /** The whole stretch encoded by ffmpeg. */
    REENCODE("reencode");

    private final String id;

    ExportMethod(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }
}
