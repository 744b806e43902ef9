package de.scheincam.web;

/** What the HTTP front (WebFront) asks of the access rules (AccessGuard) before any route runs. */
public interface CredentialChecks {

    /** Refuses (ApiProblem) a request that may not see what viewers see. May block for a derivation. */
    void requireViewer(String authorization, String cookieHeader, String remote, String forwardedFor);

    /** A refusal that needs no derivation and can be given on the event loop, or null: go on. */
    ApiProblem refusalBeforeRouting(String authorization, String cookieHeader, String remote, String forwardedFor);

    /**
     * Whether these headers are the admin's, where that is known without a derivation (a token in clear
     * or the value that matched last, an admin session). Never counts a wrong try; false when unsure.
     */
    boolean isKnownAdmin(String authorization, String cookieHeader);
}
