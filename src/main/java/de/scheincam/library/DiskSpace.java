package de.scheincam.library;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Free space on the disk that holds the recordings (and, inside videos/, the exports), and the floor
 * below which exports are refused and the app reports itself not ready.
 */
public class DiskSpace {

    private final Path dir;
    private final long minFreeBytes;

    public DiskSpace(Path dir, long minFreeMegabytes) {
        this.dir = dir;
        this.minFreeBytes = Math.max(0, minFreeMegabytes) * 1024 * 1024;
    }

    /** Bytes this process may still write there. */
    public long freeBytes() {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read free space of " + dir, e);
        }
    }

    public long minFreeBytes() {
        return minFreeBytes;
    }

    public boolean belowMinimum() {
        return freeBytes() < minFreeBytes;
    }

    public Path dir() {
        return dir;
    }

    public static String megabytes(long bytes) {
        return (bytes / (1024 * 1024)) + " MB";
    }
}
