package de.scheincam.archive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The archive's idempotent repository: the recordings whose copy in the bucket has been verified (size
 * and SHA-256), one JSON file under the videos folder ({@code videos/.archive/archived.json}). A
 * recording enters it only after its upload was checked, so one interrupted by a restart or a network
 * failure is not in it and is uploaded again; one in it is never uploaded twice. Written to a temporary
 * file and renamed, so a crash leaves the old or the new ledger, never half of one. Thread-safe.
 */
public class ArchiveLedger {

    /** One archived recording: where it lies in the bucket and what it must be. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Entry(String name, String filename, String key, String metadataKey, long size, String sha256,
                        String eTag, LocalDateTime startTime, LocalDateTime endTime, Instant archivedAt) {

        /** When the recording ended, or began where its end is unknown: what retention counts from. */
        public LocalDateTime age() {
            return endTime != null ? endTime : startTime;
        }
    }

    private final Path file;
    private final ObjectMapper json;
    private final Map<String, Entry> byName = new LinkedHashMap<>();

    public ArchiveLedger(Path file, ObjectMapper json) {
        this.file = file;
        this.json = json;
        load();
    }

    private synchronized void load() {
        if (!Files.exists(file)) {
            return;
        }
        try {
            List<Entry> entries = json.readValue(file.toFile(), new TypeReference<List<Entry>>() { });
            entries.forEach(e -> byName.put(e.name(), e));
        } catch (IOException e) {
            // an unreadable ledger loses nothing but time: every recording is checked and uploaded again
            throw new UncheckedIOException("cannot read the archive ledger " + file, e);
        }
    }

    public synchronized Optional<Entry> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public synchronized boolean contains(String name) {
        return byName.containsKey(name);
    }

    public synchronized List<Entry> all() {
        return new ArrayList<>(byName.values());
    }

    public synchronized void add(Entry entry) {
        Entry before = byName.put(entry.name(), entry);
        try {
            save();
        } catch (UncheckedIOException e) {
            if (before == null) {
                byName.remove(entry.name());
            } else {
                byName.put(entry.name(), before);
            }
            throw e;
        }
    }

    public synchronized void remove(String name) {
        Entry before = byName.remove(name);
        if (before != null) {
            save();
        }
    }

    private void save() {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            Files.write(tmp, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(new ArrayList<>(byName.values())));
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the archive ledger " + file, e);
        }
    }
}
