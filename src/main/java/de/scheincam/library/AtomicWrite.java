package de.scheincam.library;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A JSON file beside the recordings replaced whole: written to a temporary file, then renamed over the old
 * one, so a crash or a full disk leaves the old or the new, never half. The temporary file of a failed
 * write is removed (else at the next start, by its owner's sweep of {@code .*.json.tmp}).
 */
public final class AtomicWrite {

    private AtomicWrite() {
    }

    public static void replace(Path target, Path tmp, byte[] bytes) throws IOException {
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // a full disk leaves the temporary file created but empty: the old file stays, the leftover goes
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // removed at the next start
            }
            throw e;
        }
    }
}
