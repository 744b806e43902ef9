package de.scheincam.archive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The show files ({@code videos/shows/<id>.json}: parts, gaps, acts) archived beside the recordings, under
 * {@code <prefix>/shows/<id>.json}, each time one changes: what was uploaded last is kept by its SHA-256 in
 * {@code videos/.archive/shows.json}, so an unchanged show is not uploaded again, also after a restart. The
 * bytes uploaded are the bytes hashed (read once), so a show changing meanwhile is uploaded again next
 * time. A show file removed locally (its recordings gone) stays in the bucket. Thread-safe.
 */
public class ShowFilesArchive {

    /** One show file to upload: its id, key in the bucket, bytes and their SHA-256. */
    public record ShowUpload(String id, String key, byte[] bytes, String sha256) {
    }

    private final Path showsDir;
    private final Path ledgerFile;
    private final ObjectMapper json;
    private final UnaryOperator<String> keyOf;
    /** id → SHA-256 of the bytes last uploaded. */
    private final Map<String, String> uploaded = new TreeMap<>();

    public ShowFilesArchive(Path showsDir, Path ledgerFile, ObjectMapper json, UnaryOperator<String> keyOf) {
        this.showsDir = showsDir;
        this.ledgerFile = ledgerFile;
        this.json = json;
        this.keyOf = keyOf;
        if (Files.exists(ledgerFile)) {
            try {
                uploaded.putAll(json.readValue(ledgerFile.toFile(), new TypeReference<Map<String, String>>() { }));
            } catch (IOException e) {
                // unreadable: every show file is uploaded once more, which does no harm
                uploaded.clear();
            }
        }
    }

    /** The show files that changed since they were last uploaded (or never were), by id. */
    public synchronized List<ShowUpload> due() {
        List<ShowUpload> out = new ArrayList<>();
        if (!Files.isDirectory(showsDir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(showsDir, "*.json")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.startsWith(".")) {
                    continue; // a write in progress
                }
                String id = name.substring(0, name.length() - ".json".length());
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(file);
                } catch (NoSuchFileException e) {
                    continue; // removed meanwhile
                }
                String sha = sha256(bytes);
                if (!sha.equals(uploaded.get(id))) {
                    out.add(new ShowUpload(id, keyOf.apply("shows/" + name), bytes, sha));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the shows in " + showsDir, e);
        }
        out.sort(java.util.Comparator.comparing(ShowUpload::id));
        return out;
    }

    /** The upload went through: kept, so these bytes are not uploaded again. */
    public synchronized void archived(ShowUpload upload) {
        uploaded.put(upload.id(), upload.sha256());
        try {
            Files.createDirectories(ledgerFile.getParent());
            Path tmp = ledgerFile.resolveSibling(ledgerFile.getFileName() + ".tmp");
            Files.write(tmp, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(uploaded));
            try {
                Files.move(tmp, ledgerFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, ledgerFile, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + ledgerFile, e);
        }
    }

    /** The SHA-256 last uploaded for show {@code id}, or null. */
    public synchronized String uploadedSha256(String id) {
        return uploaded.get(id);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
