package de.scheincam.cleanup;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import de.scheincam.clips.ExportJobs;
import de.scheincam.library.Recording;
import de.scheincam.library.RecordingLibrary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retention rule: recordings older than N days go (with their metadata), unless kept or still
 * being recorded; exports after a few hours; log files after M days. Only files the library or the
 * exports listed themselves are touched; symbolic links are never followed.
 */
public class Retention {

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    private final RecordingLibrary library;
    private final ExportJobs exports;
    private final Path logsDir;
    private volatile int recordingDays;
    private final Duration exportAge;
    private final int logDays;
    private final Clock clock;
    private final ZoneId zone;

    public Retention(RecordingLibrary library, ExportJobs exports, Path logsDir, int recordingDays,
                     Duration exportAge, int logDays, Clock clock, ZoneId zone) {
        this.library = library;
        this.exports = exports;
        this.logsDir = logsDir;
        this.recordingDays = recordingDays;
        this.exportAge = exportAge;
        this.logDays = logDays;
        this.clock = clock;
        this.zone = zone;
    }

    /** Changed through the settings API: applies from the next cleanup on. */
    public void setRecordingDays(int days) {
        this.recordingDays = days;
    }

    public int recordingDays() {
        return recordingDays;
    }

    /** What one run removed: recordings (file names), exports (job ids), logs (file names). */
    public record Removed(List<String> recordings, List<String> exports, List<String> logs) {
    }

    public Removed run() {
        LocalDateTime cutoff = LocalDateTime.now(clock.withZone(zone)).minusDays(recordingDays);
        List<String> recordings = new ArrayList<>();
        for (Recording r : library.expired(cutoff)) {
            library.delete(r.name());
            recordings.add(r.filename());
            LOG.info("Retention: deleted recording {} (started {}, older than {} days)", r.filename(), r.startTime(), recordingDays);
        }
        List<String> clips = exports.expire(exportAge);
        clips.forEach(id -> LOG.info("Retention: deleted export {}", id));
        List<String> logs = expireLogs();
        return new Removed(recordings, clips, logs);
    }

    private List<String> expireLogs() {
        List<String> removed = new ArrayList<>();
        if (!Files.isDirectory(logsDir, LinkOption.NOFOLLOW_LINKS)) {
            return removed;
        }
        Instant cutoff = clock.instant().minus(Duration.ofDays(logDays));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(logsDir)) {
            for (Path file : files) {
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                        && Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(cutoff)) {
                    Files.delete(file);
                    removed.add(file.getFileName().toString());
                    LOG.info("Retention: deleted log {}", file.getFileName());
                }
            }
        } catch (IOException e) {
            LOG.warn("Retention: cannot clean logs in {}: {}", logsDir, e.getMessage());
        }
        return removed;
    }
}
