package de.scheincam.archive;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

import de.scheincam.library.Recording;
import de.scheincam.library.RecordingLibrary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the archive flow (routes/archive.camel.yaml) decides; the flow does the S3 calls. Which finished
 * recordings still need uploading (one at a time, never one twice at once), what each must be in the
 * bucket (its size, and the ETag S3 computes from the bytes it stored, checked with a HEAD before it
 * counts as archived; its SHA-256 is kept in the ledger), how long to wait after failures (doubling) and when they are an alert, and the two tiers:
 * which local copies may go because their archived copy is verified, which archived copies are past
 * retention.
 */
public class RecordingArchive {

    private static final Logger LOG = LoggerFactory.getLogger(RecordingArchive.class);

    private final RecordingLibrary library;
    private final ArchiveLedger ledger;
    private final String prefix;
    private final long partSize;
    private final OptionalInt localDays;
    private final IntSupplier recordingDays;
    private final Duration firstPause;
    private final Duration longestPause;
    private final int alertAfter;
    private final Consumer<String> alert;
    private final Clock clock;
    private final ZoneId zone;

    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Map<String, Checksum> checksums = new ConcurrentHashMap<>();
    private int failuresInARow;
    private Instant pausedUntil = Instant.EPOCH;

    /** A recording's SHA-256 and the ETag S3 gives its object (MD5s of its parts), read in one pass. */
    private record Checksum(long size, Instant modified, String sha256, String eTag) {
    }

    /** One recording on its way into the bucket: its files and keys, and what the copy must be. */
    public record Upload(String name, Path recording, String key, Path metadata, String metadataKey, long size,
                         String sha256, String eTag, LocalDateTime startTime, LocalDateTime endTime) {

        /** The body camel-aws2-s3 uploads in parts. */
        public File file() {
            return recording.toFile();
        }

        public File metadataFile() {
            return metadata.toFile();
        }
    }

    public record Settings(String prefix, long partSize, OptionalInt localDays, Duration firstPause, Duration longestPause,
                           int alertAfter) {
    }

    public RecordingArchive(RecordingLibrary library, ArchiveLedger ledger, Settings settings, IntSupplier recordingDays,
                            Consumer<String> alert, Clock clock, ZoneId zone) {
        this.library = library;
        this.ledger = ledger;
        this.prefix = normalised(settings.prefix());
        this.partSize = settings.partSize();
        this.localDays = settings.localDays();
        this.recordingDays = recordingDays;
        this.firstPause = settings.firstPause();
        this.longestPause = settings.longestPause();
        this.alertAfter = Math.max(1, settings.alertAfter());
        this.alert = alert;
        this.clock = clock;
        this.zone = zone;
    }

    private static String normalised(String prefix) {
        String p = prefix == null ? "" : prefix.trim();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /** The key of a file under the venue's prefix. */
    public String keyOf(String fileName) {
        return prefix.isEmpty() ? fileName : prefix + "/" + fileName;
    }

    /**
     * The finished recordings not archived yet, oldest first (they are the first the local tier wants
     * to free); none while pausing after failures.
     */
    public synchronized List<String> due() {
        if (clock.instant().isBefore(pausedUntil)) {
            return List.of();
        }
        List<String> due = new ArrayList<>();
        for (Recording r : library.finished()) {
            if (!ledger.contains(r.name()) && !inFlight.contains(r.name())) {
                due.add(0, r.name());
            }
        }
        return due;
    }

    /**
     * Claims a recording for upload and says what its copy must be; null when it is archived already,
     * being uploaded, or gone meanwhile. Every claim ends with {@link #archived} or {@link #failed}.
     */
    public Upload begin(String name) {
        synchronized (this) {
            if (clock.instant().isBefore(pausedUntil)) {
                return null; // the flow's split goes on to the next recording: not while pausing after a failure
            }
        }
        if (ledger.contains(name) || !inFlight.add(name)) {
            return null;
        }
        try {
            Recording r = library.list().stream().filter(x -> x.name().equals(name)).findFirst().orElse(null);
            if (r == null || r.inProgress()) {
                inFlight.remove(name);
                return null;
            }
            Path file = library.fileOf(r);
            Path metadata = library.metadataFileOf(r);
            Checksum sums = checksums(name, file);
            return new Upload(name, file, keyOf(r.filename()), metadata, keyOf(metadata.getFileName().toString()),
                    sums.size(), sums.sha256(), sums.eTag(), r.startTime(), r.endTime());
        } catch (IOException | RuntimeException e) {
            inFlight.remove(name);
            throw new IllegalStateException("cannot read recording " + name + " for the archive: " + e.getMessage(), e);
        }
    }

    /**
     * The bucket's answer to a HEAD of the uploaded object against what was sent: its length, and its ETag,
     * which S3 computes from the bytes it stored (the MD5 of the MD5s of the parts, "-" and their number;
     * a plain MD5 for a recording smaller than one part). A copy that differs does not count (the flow retries).
     */
    public Upload verify(Upload upload, Long length, String eTag) {
        if (!matches(length, eTag, upload.size(), upload.eTag())) {
            throw new ArchiveMismatch("archived copy of " + upload.name() + " is " + length + " bytes, ETag " + eTag
                    + "; expected " + upload.size() + " bytes, ETag " + upload.eTag());
        }
        return upload;
    }

    private static boolean matches(Long length, String eTag, long size, String expectedTag) {
        return length != null && length == size && eTag != null && eTag.replace("\"", "").equalsIgnoreCase(expectedTag);
    }

    /** The copy is verified: the recording counts as archived from now on. */
    public synchronized void archived(Upload upload) {
        try {
            ledger.add(new ArchiveLedger.Entry(upload.name(), upload.recording().getFileName().toString(), upload.key(),
                    upload.metadataKey(), upload.size(), upload.sha256(), upload.eTag(), upload.startTime(), upload.endTime(),
                    clock.instant()));
        } finally {
            inFlight.remove(upload.name());
        }
        if (failuresInARow >= alertAfter) {
            LOG.info("Archive: uploads work again after {} failed attempts", failuresInARow);
        }
        failuresInARow = 0;
        pausedUntil = Instant.EPOCH;
        LOG.info("Archive: {} archived as {} ({} bytes, ETag {}, SHA-256 {})", upload.recording().getFileName(),
                upload.key(), upload.size(), upload.eTag(), upload.sha256());
    }

    /**
     * An upload failed after its retries: the next attempt waits (doubling from the first pause up to the
     * longest), and failures that keep coming are an alert, once per run of them.
     */
    public synchronized void failed(String name, String reason) {
        if (name != null) {
            inFlight.remove(name);
        }
        failuresInARow++;
        long factor = 1L << Math.min(20, failuresInARow - 1);
        Duration pause = firstPause.multipliedBy(factor);
        if (pause.compareTo(longestPause) > 0) {
            pause = longestPause;
        }
        pausedUntil = clock.instant().plus(pause);
        LOG.warn("Archive: uploading {} failed ({} in a row), next attempt in {} s: {}", name, failuresInARow,
                pause.toSeconds(), reason);
        if (failuresInARow == alertAfter) {
            alert.accept("Recordings cannot be archived: " + failuresInARow + " uploads in a row failed, the last with: "
                    + reason + ". Local copies are kept until they are archived.");
        }
    }

    public synchronized int failuresInARow() {
        return failuresInARow;
    }

    public boolean isArchived(String name) {
        return ledger.contains(name);
    }

    /**
     * The local tier: recordings past {@code local-days} whose archived copy is verified, not kept, not
     * in progress; the flow checks each copy once more before the local file goes. Empty without a
     * local tier.
     */
    public List<String> localExpired() {
        if (localDays.isEmpty()) {
            return List.of();
        }
        LocalDateTime cutoff = LocalDateTime.now(clock.withZone(zone)).minusDays(localDays.getAsInt());
        return library.expired(cutoff).stream().map(Recording::name).filter(ledger::contains).toList();
    }

    /** What the archived copy of a recording must be, for the check before its local copy goes. */
    public ArchiveLedger.Entry entry(String name) {
        return ledger.find(name).orElseThrow(() -> new ArchiveMismatch(name + " is not archived"));
    }

    /**
     * The copy is still what was archived: the local file may go. When it is not (another size, another
     * checksum, gone), the recording is no longer counted as archived, stays local and is uploaded again.
     */
    public String confirm(String name, Long length, String eTag) {
        ArchiveLedger.Entry e = entry(name);
        if (!matches(length, eTag, e.size(), e.eTag())) {
            ledger.remove(name);
            throw new ArchiveMismatch("archived copy of " + name + " is " + length + " bytes, ETag " + eTag
                    + "; expected " + e.size() + " bytes, ETag " + e.eTag() + ": kept locally, to be uploaded again");
        }
        return name;
    }

    /** The archived copy is gone from the bucket: no longer archived, uploaded again while the local one exists. */
    public void missing(String name) {
        LOG.warn("Archive: the copy of {} is missing from the bucket: kept locally, to be uploaded again", name);
        ledger.remove(name);
    }

    /** Removes the local copy of an archived recording (the local tier); null when it must stay after all. */
    public String removeLocal(String name) {
        Recording r;
        try {
            r = library.find(name);
        } catch (RuntimeException e) {
            return null; // deleted meanwhile
        }
        if (r.keep() || r.inProgress() || !ledger.contains(name)) {
            return null;
        }
        long localSize;
        try {
            localSize = Files.size(library.fileOf(r));
        } catch (IOException e) {
            return null;
        }
        if (localSize != entry(name).size()) {
            // the file changed after it was archived: what is archived is not this file any more
            LOG.warn("Archive: {} is {} bytes, its archived copy {}: kept locally, to be uploaded again", r.filename(),
                    localSize, entry(name).size());
            ledger.remove(name);
            return null;
        }
        library.delete(name);
        LOG.info("Archive: local copy of {} removed (older than {} days, archived as {})", r.filename(),
                localDays.orElse(-1), entry(name).key());
        return r.filename();
    }

    /**
     * Archived copies past {@code scheincam.retention.days}, as the local ones: never one whose recording
     * is still kept locally.
     */
    public List<ArchiveLedger.Entry> archiveExpired() {
        LocalDateTime cutoff = LocalDateTime.now(clock.withZone(zone)).minusDays(recordingDays.getAsInt());
        return ledger.all().stream()
                .filter(e -> e.age() != null && e.age().isBefore(cutoff))
                .filter(e -> library.list().stream().noneMatch(r -> r.name().equals(e.name()) && r.keep()))
                .toList();
    }

    /** Its copy was deleted from the bucket. */
    public String forget(String name) {
        ledger.remove(name);
        LOG.info("Archive: {} deleted from the archive (older than {} days)", name, recordingDays.getAsInt());
        return name;
    }

    /**
     * A recording's SHA-256 and its object's expected ETag, computed once per size and modification time
     * (a 10 GB file takes a while): the ETag as S3 makes it for the parts camel-aws2-s3 sends (partSize
     * each, the last the rest; one plain upload below one part).
     */
    private Checksum checksums(String name, Path file) throws IOException {
        long size = Files.size(file);
        Instant modified = Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant();
        Checksum known = checksums.get(name);
        if (known != null && known.size() == size && known.modified().equals(modified)) {
            return known;
        }
        MessageDigest whole = digest("SHA-256");
        MessageDigest part = digest("MD5");
        MessageDigest partsTogether = digest("MD5");
        byte[] lastPart = part.digest(); // an empty file's MD5
        int parts = 0;
        long inPart = 0;
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            for (int n; (n = in.read(buffer, 0, (int) Math.min(buffer.length, partSize - inPart))) > 0; ) {
                whole.update(buffer, 0, n);
                part.update(buffer, 0, n);
                inPart += n;
                if (inPart == partSize) {
                    lastPart = part.digest();
                    partsTogether.update(lastPart);
                    parts++;
                    inPart = 0;
                }
            }
        }
        if (inPart > 0) {
            lastPart = part.digest();
            partsTogether.update(lastPart);
            parts++;
        }
        HexFormat hex = HexFormat.of();
        // below one part it is one plain upload, whose ETag is the file's MD5
        String eTag = size < partSize ? hex.formatHex(lastPart) : hex.formatHex(partsTogether.digest()) + "-" + parts;
        Checksum sums = new Checksum(size, modified, hex.formatHex(whole.digest()), eTag);
        checksums.put(name, sums);
        return sums;
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The bucket holds something else than what was sent or archived. */
    public static class ArchiveMismatch extends IllegalStateException {
        public ArchiveMismatch(String message) {
            super(message);
        }
    }
}
