package de.scheincam.obs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** obs-websocket 5 authentication: base64(sha256(base64(sha256(password + salt)) + challenge)). */
public final class ObsAuth {

    private ObsAuth() {
    }

    public static String response(String password, String salt, String challenge) {
        String secret = base64Sha256(password + salt);
        return base64Sha256(secret + challenge);
    }

    private static String base64Sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
