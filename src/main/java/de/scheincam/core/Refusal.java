package de.scheincam.core;

/**
 * Something the app will not do, and the sentence that says why ({@link #detail()}, what the client
 * reads). Thrown by the domain before anything is written or started; the domain says only what
 * kind of refusal it is. How a kind is answered over HTTP is decided in one place, by the web adapter
 * (de.scheincam.web.Problems, used by routes/errors.camel.yaml).
 */
public class Refusal extends RuntimeException {

    /** Why the app refuses, in the venue's terms, not HTTP's. */
    public enum Kind {
        /** No such recording, export, … */
        NOT_FOUND,
        /** The thing is not in a state for this yet, e.g. still being recorded, or OBS already recording. */
        CONFLICT,
        /** A field or parameter has a value that is not acceptable (the sentence names it). */
        INVALID,
        /** The request names something in a form that cannot name anything (e.g. not a recording name). */
        MALFORMED,
        /** A finished recording that cannot be read where it is asked for: waiting will not change it. */
        DAMAGED,
        /** Too much is being done at once; the same request succeeds a little later. */
        BUSY,
        /** This client (or everyone) has asked for enough of this for now. */
        TOO_MANY,
        /** Too little free disk for this, or the disk full while saving. */
        DISK_FULL,
        /** Something the app needs cannot be reached or used now (OBS, the bundled FFmpeg libraries). */
        UNAVAILABLE,
        /** OBS answered the request with a failure of its own. */
        REFUSED_BY_OBS,
        /** The work was tried and failed; the log has the details. */
        FAILED
    }

    private final Kind kind;

    public Refusal(Kind kind, String detail) {
        super(detail);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** The sentence the client reads. */
    public String detail() {
        return getMessage();
    }

    public static Refusal notFound(String detail) {
        return new Refusal(Kind.NOT_FOUND, detail);
    }

    public static Refusal conflict(String detail) {
        return new Refusal(Kind.CONFLICT, detail);
    }

    public static Refusal invalid(String detail) {
        return new Refusal(Kind.INVALID, detail);
    }

    public static Refusal malformed(String detail) {
        return new Refusal(Kind.MALFORMED, detail);
    }

    public static Refusal damaged(String detail) {
        return new Refusal(Kind.DAMAGED, detail);
    }

    public static Refusal busy(String detail) {
        return new Refusal(Kind.BUSY, detail);
    }

    public static Refusal tooMany(String detail) {
        return new Refusal(Kind.TOO_MANY, detail);
    }

    public static Refusal diskFull(String detail) {
        return new Refusal(Kind.DISK_FULL, detail);
    }

    public static Refusal unavailable(String detail) {
        return new Refusal(Kind.UNAVAILABLE, detail);
    }

    public static Refusal failed(String detail) {
        return new Refusal(Kind.FAILED, detail);
    }
}
