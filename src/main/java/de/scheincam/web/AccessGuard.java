package de.scheincam.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Who may do what. Admin actions need the admin token as a Bearer credential; viewer actions (list,
 * frames, exports, downloads) are open unless a viewer password is set, in which case that password
 * or the admin token is needed. Comparison runs in constant time so the token cannot be guessed by
 * timing.
 */
public class AccessGuard {

    private static final String BEARER = "Bearer ";

    private final byte[] adminToken;
    private final byte[] viewerPassword;

    public AccessGuard(String adminToken, String viewerPassword) {
        if (adminToken == null || adminToken.isBlank()) {
            throw new IllegalArgumentException("an admin token is required");
        }
        this.adminToken = adminToken.getBytes(StandardCharsets.UTF_8);
        this.viewerPassword = viewerPassword == null || viewerPassword.isBlank()
                ? null : viewerPassword.getBytes(StandardCharsets.UTF_8);
    }

    public void requireAdmin(String authorization) {
        byte[] presented = bearer(authorization);
        if (presented == null) {
            throw ApiProblem.unauthorized("This action needs the admin token: send 'Authorization: Bearer <token>'.");
        }
        if (!MessageDigest.isEqual(presented, adminToken)) {
            throw ApiProblem.unauthorized("The admin token is wrong.");
        }
    }

    public void requireViewer(String authorization) {
        if (viewerPassword == null) {
            return;
        }
        byte[] presented = bearer(authorization);
        if (presented == null) {
            throw ApiProblem.unauthorized("This venue protects its recordings: send 'Authorization: Bearer <viewer password>'.");
        }
        if (!MessageDigest.isEqual(presented, viewerPassword) && !MessageDigest.isEqual(presented, adminToken)) {
            throw ApiProblem.unauthorized("The viewer password is wrong.");
        }
    }

    private static byte[] bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String value = authorization.substring(BEARER.length()).trim();
        return value.isEmpty() ? null : value.getBytes(StandardCharsets.UTF_8);
    }
}
