package de.scheincam.web;

import java.util.Map;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.scheincam.core.Refusal;

/**
 * Renders every refusal as {@code {"detail": "…"}}, with its HTTP status: the one place where the
 * domain's kinds of refusal become HTTP (routes/errors.camel.yaml asks here).
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
     * Status for an exception that reached the API: a domain refusal by its kind, the web adapter's own
     * refusals carry theirs, JSON the contract's validator let through is 400, anything else is our fault.
     */
    public int status(Throwable error) {
        if (error instanceof Refusal refusal) {
            return statusOf(refusal.kind());
        }
        if (error instanceof ApiProblem problem) {
            return problem.getStatus();
        }
        return error instanceof JsonParseException ? 400 : 500;
    }

    /** Kind of refusal → HTTP status. 429 and 503 also get a Retry-After (routes/errors.camel.yaml). */
    public static int statusOf(Refusal.Kind kind) {
        return switch (kind) {
            case MALFORMED -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case INVALID, DAMAGED -> 422;
            case TOO_MANY -> 429;
            case FAILED -> 500;
            case REFUSED_BY_OBS -> 502;
            case BUSY, UNAVAILABLE -> 503;
            case DISK_FULL -> 507;
        };
    }

    /** The sentence for a full bulkhead ({@code frames}, {@code filmstrips}, {@code exports}, {@code downloads}). */
    public String busy(String bulkhead) {
        String what = bulkhead == null ? "requests like this" : bulkhead;
        return detail("Too many " + what + " are being served at once; please try again in a few seconds.");
    }

    /** The sentence for an exception: ours, OBS's code and comment, or a generic one that leaks no internals. */
    public String body(Throwable error) {
        if (error instanceof Refusal refusal) {
            return detail(refusal.detail());
        }
        if (error instanceof ApiProblem) {
            return detail(error.getMessage());
        }
        if (error instanceof JsonParseException) {
            // what the contract's validator lets through, e.g. something after the JSON value
            return detail("The request body is not valid JSON: only one JSON value is allowed.");
        }
        return detail("Internal error; the log has the details.");
    }
}
