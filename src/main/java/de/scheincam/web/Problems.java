package de.scheincam.web;

import java.util.Map;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.scheincam.obs.ObsRequestFailed;
import de.scheincam.obs.ObsUnavailable;

/**
 * Renders every refusal as {@code {"detail": "…"}}.
 */
public class Problems {

    private final ObjectMapper json;

    public Problems(ObjectMapper json) {
        this.json = json;
    }

    public String detail(String detail) {
        try {
            return json.writeValueAsString(Map.of("detail", detail == null || detail.isBlank() ? "Error." : detail));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Status for an exception that reached the API: refusals carry their own, OBS out of reach is 503,
     * OBS refusing is 502, anything else is our fault.
     */
    public int status(Throwable error) {
        if (error instanceof ApiProblem problem) {
            return problem.getStatus();
        }
        if (error instanceof ObsUnavailable) {
            return 503;
        }
        if (error instanceof JsonParseException) {
            return 400;
        }
        return error instanceof ObsRequestFailed ? 502 : 500;
    }

    /** The sentence for a full bulkhead ({@code frames}, {@code filmstrips}, {@code exports}, {@code downloads}). */
    public String busy(String bulkhead) {
        String what = bulkhead == null ? "requests like this" : bulkhead;
        return detail("Too many " + what + " are being served at once; please try again in a few seconds.");
    }

    /** The sentence for an exception: ours, OBS's code and comment, or a generic one that leaks no internals. */
    public String body(Throwable error) {
        if (error instanceof ApiProblem || error instanceof ObsRequestFailed) {
            return detail(error.getMessage());
        }
        if (error instanceof ObsUnavailable) {
            return detail("OBS is not available: " + error.getMessage());
        }
        if (error instanceof JsonParseException) {
            // what the contract's validator lets through, e.g. something after the JSON value
            return detail("The request body is not valid JSON: only one JSON value is allowed.");
        }
        return detail("Internal error; the log has the details.");
    }
}
