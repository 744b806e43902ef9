package de.scheincam.obs;

import de.scheincam.core.Refusal;

/**
 * OBS answered a request with a failure status: its code and comment (e.g. 500 output running,
 * 501 output not running, 600 resource not found). A refusal by OBS; the recorder turns the codes that
 * mean "already in that state" into a conflict.
 */
public class ObsRequestFailed extends Refusal {

    /** OBS is busy (loading a scene collection, shutting down): the request may be tried again shortly. */
    public static final int NOT_READY = 207;
    public static final int OUTPUT_RUNNING = 500;
    public static final int OUTPUT_NOT_RUNNING = 501;
    public static final int RESOURCE_NOT_FOUND = 600;

    private final String requestType;
    private final int code;
    private final String comment;

    public ObsRequestFailed(String requestType, int code, String comment) {
        super(Kind.REFUSED_BY_OBS, "OBS refused " + requestType + " (code " + code + (comment == null ? "" : ": " + comment) + ")");
        this.requestType = requestType;
        this.code = code;
        this.comment = comment;
    }

    public String getRequestType() {
        return requestType;
    }

    public int getCode() {
        return code;
    }

    public String getComment() {
        return comment;
    }
}
