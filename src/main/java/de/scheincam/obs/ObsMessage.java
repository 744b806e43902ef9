package de.scheincam.obs;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A message to obs-websocket (protocol 5): its op code and its data {@code d}, one record per op we send.
 */
record ObsMessage(int op, Object d) {

    /** op 1: the answer to Hello; {@code authentication} only when OBS asked for it. */
    record Identify(int rpcVersion, int eventSubscriptions,
                    @JsonInclude(JsonInclude.Include.NON_NULL) String authentication) {
    }

    /** op 3: new event subscriptions, without reconnecting. */
    record Reidentify(int eventSubscriptions) {
    }

    /** op 6: a request; OBS answers with the same id. */
    record Request(String requestType, String requestId, Map<String, ?> requestData) {
    }

    static ObsMessage identify(int eventSubscriptions, String authentication) {
        return new ObsMessage(1, new Identify(1, eventSubscriptions, authentication));
    }

    static ObsMessage reidentify(int eventSubscriptions) {
        return new ObsMessage(3, new Reidentify(eventSubscriptions));
    }

    static ObsMessage request(String requestType, String requestId, Map<String, ?> requestData) {
        return new ObsMessage(6, new Request(requestType, requestId, requestData));
    }
}
