package de.scheincam.web;

/**
 * A request the app refuses, with the HTTP status and the sentence the client sees as {@code detail}.
 * Thrown by beans before anything is written or started; mapped to a response in one place
 * (routes/errors.camel.yaml).
 */
public class ApiProblem extends RuntimeException {

    private final int status;
    private long retryAfter;

    public ApiProblem(int status, String detail) {
        super(detail);
        this.status = status;
    }

    public int getStatus() {
        return status;
    }

    /** Seconds the client should wait before trying again (sent as Retry-After); 0: none said. */
    public long getRetryAfter() {
        return retryAfter;
    }

    public ApiProblem retryAfter(long seconds) {
        this.retryAfter = seconds;
        return this;
    }

    public static ApiProblem badRequest(String detail) {
        return new ApiProblem(400, detail);
    }

    public static ApiProblem unauthorized(String detail) {
        return new ApiProblem(401, detail);
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(404, detail);
    }

    public static ApiProblem conflict(String detail) {
        return new ApiProblem(409, detail);
    }

    public static ApiProblem unprocessable(String detail) {
        return new ApiProblem(422, detail);
    }

    public static ApiProblem tooManyRequests(String detail) {
        return new ApiProblem(429, detail);
    }

    public static ApiProblem unavailable(String detail) {
        return new ApiProblem(503, detail);
    }
}
