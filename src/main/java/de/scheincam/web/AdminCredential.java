package de.scheincam.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin token: the configured one, else one generated at first start and kept in a file only the
 * owner can read. There is never a default. The log names the file, never the secret.
 */
public final class AdminCredential {

    private static final Logger LOG = LoggerFactory.getLogger(AdminCredential.class);

    private AdminCredential() {
    }

    public static String loadOrCreate(String configured, Path tokenFile) {
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        try {
            if (Files.exists(tokenFile)) {
                String stored = Files.readString(tokenFile, StandardCharsets.UTF_8).trim();
                if (!stored.isEmpty()) {
                    LOG.info("Admin token read from {}", tokenFile);
                    return stored;
                }
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.createDirectories(tokenFile.toAbsolutePath().getParent());
            Path tmp = tokenFile.resolveSibling(tokenFile.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException | FileAlreadyExistsException e) {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, token + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, tokenFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            LOG.warn("No admin token configured: generated one and stored it in {} (readable only by this user)", tokenFile);
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the admin token file " + tokenFile, e);
        }
    }
}
