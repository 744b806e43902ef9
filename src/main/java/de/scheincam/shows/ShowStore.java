package de.scheincam.shows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.scheincam.library.AtomicWrite;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON per show in {@code videos/shows/<id>.json}, beside the recordings it joins (so it is backed up
 * and moved with them). Written as MetadataStore writes a recording's: a temporary file renamed over
 * the old one, so a crash leaves the old or the new, never half. Besides the show as the API answers it, a
 * file may keep {@value #SUGGESTION}: whether acts were suggested for it from the sound already (Shows'
 * {@code SUGGESTION_*} values), so that a restart does not suggest them again; not part of the API's answer.
 */
public class ShowStore {

    private static final Logger LOG = LoggerFactory.getLogger(ShowStore.class);
    private static final String TMP_SUFFIX = ".json.tmp";
    static final String SUGGESTION = "acts_suggestion";

    private final Path dir;
    private final ObjectMapper json;

    public ShowStore(Path dir, ObjectMapper json) {
        this.dir = dir;
        this.json = json;
    }

    /** A show as kept, and whether acts were suggested for it (null: not yet). */
    public record Kept(Show show, String suggestion) {
    }

    /** The shows kept so far, by id; unreadable files and interrupted writes are dropped (rebuilt from the recordings). */
    public Map<String, Show> readAll() {
        Map<String, Show> all = new HashMap<>();
        readKept().forEach((id, kept) -> all.put(id, kept.show()));
        return all;
    }

    /** As {@link #readAll}, with each show's suggestion mark. */
    public Map<String, Kept> readKept() {
        Map<String, Kept> all = new HashMap<>();
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
                        JsonNode tree = json.readTree(file.toFile());
                        Show show = json.treeToValue(tree, Show.class);
                        JsonNode mark = tree.path(SUGGESTION);
                        all.put(show.id(), new Kept(show, mark.isTextual() ? mark.asText() : null));
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
        write(show, null);
    }

    /** Writes the show with its suggestion mark ({@code null}: none). */
    public void write(Show show, String suggestion) {
        Path target = fileOf(show.id());
        Path tmp = dir.resolve("." + show.id() + TMP_SUFFIX);
        try {
            Files.createDirectories(dir);
            ObjectNode tree = json.valueToTree(show);
            if (suggestion != null) {
                tree.put(SUGGESTION, suggestion);
            }
            AtomicWrite.replace(target, tmp, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(tree));
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
