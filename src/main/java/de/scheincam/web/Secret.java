package de.scheincam.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A configured credential (the admin token, the viewer password), given in plain text or stored as a
 * hash: {@code pbkdf2-sha256:<iterations>:<salt, base64>:<hash, base64>} (make one with
 * {@code java -jar scheincam.jar --hash-secret}, which reads the secret from standard input). Checks run
 * in constant time. A hashed secret is derived once per new presented value: the SHA-256 of the last
 * value that matched is kept, so a script sending its Bearer token with every request costs one slow
 * derivation, not one per request. How many derivations run at once is up to the caller (AccessGuard).
 */
public final class Secret {

    private static final String PBKDF2 = "pbkdf2-sha256:";
    private static final int ITERATIONS = 210_000;

    private final byte[] plain;
    private final int iterations;
    private final byte[] salt;
    private final byte[] hash;
    private final AtomicReference<byte[]> lastMatch = new AtomicReference<>();

    private Secret(byte[] plain, int iterations, byte[] salt, byte[] hash) {
        this.plain = plain;
        this.iterations = iterations;
        this.salt = salt;
        this.hash = hash;
    }

    /** Null for a blank value (no such credential). */
    public static Secret of(String configured) {
        if (configured == null || configured.isBlank()) {
            return null;
        }
        String value = configured.trim();
        if (!value.startsWith(PBKDF2)) {
            return new Secret(value.getBytes(StandardCharsets.UTF_8), 0, null, null);
        }
        String[] parts = value.substring(PBKDF2.length()).split(":");
        try {
            if (parts.length != 3) {
                throw new IllegalArgumentException("three parts expected");
            }
            int iterations = Integer.parseInt(parts[0]);
            byte[] salt = Base64.getDecoder().decode(parts[1]);
            byte[] hash = Base64.getDecoder().decode(parts[2]);
            if (iterations < 1 || salt.length < 8 || hash.length < 16) {
                throw new IllegalArgumentException("iterations, salt or hash too small");
            }
            return new Secret(null, iterations, salt, hash);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a hashed secret must read pbkdf2-sha256:<iterations>:<salt>:<hash> ("
                    + e.getMessage() + ")");
        }
    }

    public boolean matches(byte[] presented) {
        Boolean known = knownMatch(presented);
        return known != null ? known : derivedMatch(presented);
    }

    /**
     * Whether {@code presented} is this secret, when that can be told without a derivation: a secret in
     * clear, or the value that matched last (its SHA-256; the value itself is never kept). Null: only
     * {@link #derivedMatch} can tell. Only one value can match a secret, so one remembered value is
     * the whole cache of good ones.
     */
    public Boolean knownMatch(byte[] presented) {
        if (plain != null) {
            return MessageDigest.isEqual(presented, plain);
        }
        byte[] known = lastMatch.get();
        return known != null && MessageDigest.isEqual(sha256(presented), known) ? Boolean.TRUE : null;
    }

    /** The slow check (PBKDF2, ~0.2 s of a core); a value that matches is remembered for {@link #knownMatch}. */
    public boolean derivedMatch(byte[] presented) {
        if (plain != null) {
            return MessageDigest.isEqual(presented, plain);
        }
        boolean ok = MessageDigest.isEqual(derive(presented, salt, iterations, hash.length), hash);
        if (ok) {
            lastMatch.set(sha256(presented));
        }
        return ok;
    }

    /** The stored form of a secret, with a fresh salt. */
    public static String hash(String secret) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        byte[] hash = derive(secret.getBytes(StandardCharsets.UTF_8), salt, ITERATIONS, 32);
        return PBKDF2 + ITERATIONS + ":" + Base64.getEncoder().encodeToString(salt) + ":"
                + Base64.getEncoder().encodeToString(hash);
    }

    private static byte[] derive(byte[] secret, byte[] salt, int iterations, int length) {
        char[] chars = new String(secret, StandardCharsets.UTF_8).toCharArray();
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(chars, salt, iterations, length * 8)).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every Java 17", e);
        } finally {
            java.util.Arrays.fill(chars, '\0');
        }
    }

    private static byte[] sha256(byte[] value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
