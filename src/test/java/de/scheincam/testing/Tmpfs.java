package de.scheincam.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A small tmpfs mounted over a folder, for a disk that really fills up. Mounting needs root (CI has it):
 * elsewhere the test is skipped, not failed. Closing unmounts it.
 */
public final class Tmpfs implements AutoCloseable {

    private final Path dir;

    private Tmpfs(Path dir) {
        this.dir = dir;
    }

    public static Tmpfs mount(Path dir, long kilobytes) {
        try {
            Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + kilobytes + "k", "tmpfs", dir.toString())
                    .redirectErrorStream(true).start();
            boolean mounted = mount.waitFor(10, TimeUnit.SECONDS) && mount.exitValue() == 0;
            Assumptions.assumeTrue(mounted, "cannot mount a tmpfs here (needs root): "
                    + new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            return new Tmpfs(dir);
        } catch (IOException e) {
            Assumptions.abort("cannot run mount: " + e);
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code name} in the tmpfs until the disk is full; returns the bytes written. */
    public long fill(String name) {
        long written = 0;
        byte[] chunk = new byte[64 * 1024];
        try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(dir.resolve(name))) {
            while (true) {
                out.write(chunk);
                written += chunk.length;
            }
        } catch (IOException full) {
            return written;
        }
    }

    @Override
    public void close() {
        try {
            new ProcessBuilder("umount", dir.toString()).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("cannot unmount " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
