package de.scheincam.obs;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the connected OBS can do, from its GetVersion answer: its version, obs-websocket's, and the
 * requests it offers. Newer requests (SetRecordDirectory 5.3, CreateRecordChapter 5.5, …) are used only
 * where offered, so one ScheinCam drives OBS 29 as well as 30–32. {@link #UNKNOWN} until OBS answered.
 */
public record ObsCapabilities(String obsVersion, String obsWebSocketVersion, Set<String> availableRequests) {

    public static final ObsCapabilities UNKNOWN = new ObsCapabilities(null, null, Set.of());

    public static final String SET_RECORD_DIRECTORY = "SetRecordDirectory";
    public static final String CREATE_RECORD_CHAPTER = "CreateRecordChapter";
    public static final String SPLIT_RECORD_FILE = "SplitRecordFile";

    public ObsCapabilities {
        availableRequests = Set.copyOf(availableRequests);
    }

    /** From GetVersion's responseData. */
    public static ObsCapabilities of(JsonNode version) {
        Set<String> requests = new java.util.TreeSet<>();
        version.path("availableRequests").forEach(r -> requests.add(r.asText()));
        return new ObsCapabilities(version.path("obsVersion").asText(null), version.path("obsWebSocketVersion").asText(null),
                requests);
    }

    public boolean offers(String requestType) {
        return availableRequests.contains(requestType);
    }
}
