package de.scheincam.shows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import de.scheincam.library.AtomicWrite;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON per show in {@code videos/shows/<id>.json}, beside the recordings it joins (so it is backed up
 * and moved with them). Written as MetadataStore writes a recording's: a temporary file renamed over
 * the old one, so a crash leaves the old or the new, never half.
 */
public class ShowStore {

    private static final Logger LOG = LoggerFactory.getLogger(ShowStore.class);
    private static final String TMP_SUFFIX = ".json.tmp";

    private final Path dir;
    private final ObjectMapper json;

    public ShowStore(Path dir, ObjectMapper json) {
        this.dir = dir;
        this.json = json;
    }

    /** The shows kept so far, by id; unreadable files and interrupted writes are dropped (rebuilt from the recordings). */
    public Map<String, Show> readAll() {
        Map<String, Show> all = new HashMap<>();
        try {
            Files.createDirectories(dir);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + TMP_SUFFIX)) {
                for (Path file : files) {
                    Files.deleteIfExists(file);
                }
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
                for (Path file : files) {
                    try {
                        Show show = json.readValue(file.toFile(), Show.class);
                        all.put(show.id(), show);
                    } catch (IOException e) {
                        LOG.warn("Ignoring unreadable show {}: {}", file.getFileName(), e.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the shows in " + dir, e);
        }
        return all;
    }

    public void write(Show show) {
        Path target = fileOf(show.id());
        Path tmp = dir.resolve("." + show.id() + TMP_SUFFIX);
        try {
            Files.createDirectories(dir);
            AtomicWrite.replace(target, tmp, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(show));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write show " + target, e);
        }
    }

    public void delete(String id) {
        try {
            Files.deleteIfExists(fileOf(id));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Only ever called with a well-formed id (ShowGrouping.wellFormed): the file stays inside {@code videos/shows}. */
    Path fileOf(String id) {
        return dir.resolve(id + ".json");
    }
}
