package de.scheincam.web;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

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

    public String obsUnavailable(Throwable error) {
        return detail("OBS is not available: " + error.getMessage());
    }

    public String obsRefused(Throwable error) {
        return detail(error.getMessage());
    }

    /** Status for an exception that escaped a route: ours carry one; anything else is our fault. */
    public int status(Throwable error) {
        return error instanceof ApiProblem problem ? problem.getStatus() : 500;
    }

    /** The body for an exception: our own sentence, or a generic one that leaks no internals. */
    public String body(Throwable error) {
        if (error instanceof ApiProblem) {
            return detail(error.getMessage());
        }
        return detail("Internal error; the log has the details.");
    }
}
