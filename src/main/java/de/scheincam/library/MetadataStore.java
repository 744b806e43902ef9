package de.scheincam.library;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metadata JSON files beside the recordings ({@code videos/<name>.json}, as the original wrote them).
 * Writes go to a temporary file that is renamed over the old one, so a crash leaves either the old or
 * the new file, never half of one.
 */
public class MetadataStore {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataStore.class);
    private static final String TMP_SUFFIX = ".json.tmp";

    private final Path dir;
    private final ObjectMapper json;

    public MetadataStore(Path dir, ObjectMapper json) {
        this.dir = dir;
        this.json = json;
    }

    public Path fileOf(String baseName) {
        return dir.resolve(baseName + ".json");
    }

    public void write(Recording recording) {
        Path target = fileOf(recording.name());
        Path tmp = dir.resolve("." + recording.name() + TMP_SUFFIX);
        try {
            AtomicWrite.replace(target, tmp, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(recording));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metadata " + target, e);
        }
    }

    /** Whether a failed write failed because the disk is full (Java says ENOSPC only in the message). */
    public static boolean diskFull(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("No space left on device")) {
                return true;
            }
        }
        return false;
    }

    public void delete(String baseName) {
        try {
            Files.deleteIfExists(fileOf(baseName));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All readable metadata; unreadable files are logged and skipped (their recording gets re-probed). */
    public List<Recording> readAll() {
        List<Recording> all = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path file : files) {
                try {
                    all.add(json.readValue(file.toFile(), Recording.class));
                } catch (IOException e) {
                    LOG.warn("Ignoring unreadable metadata {}: {}", file.getFileName(), e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return all;
    }

    /** Leftovers of writes interrupted by a crash. */
    public void removeStaleTemporaries() {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*" + TMP_SUFFIX)) {
            for (Path file : files) {
                Files.deleteIfExists(file);
                LOG.info("Removed interrupted metadata write {}", file.getFileName());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
