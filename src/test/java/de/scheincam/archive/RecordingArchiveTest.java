package de.scheincam.archive;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalInt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import de.scheincam.library.MetadataStore;
import de.scheincam.library.RecordingLibrary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the archive expects of a copy (ETag of parts), and how it backs off and alerts. */
class RecordingArchiveTest {

    private static final int PART = 1024 * 1024;
    private static final ZoneId VENUE = ZoneId.of("Europe/Berlin");

    @TempDir
    Path videos;

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final List<String> alerts = new ArrayList<>();
    private final Clock clock = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

    private RecordingArchive archive() {
        RecordingLibrary library = new RecordingLibrary(videos, VENUE, Duration.ofSeconds(10), clock,
                new MetadataStore(videos, json));
        return new RecordingArchive(library, new ArchiveLedger(videos.resolve(".archive/archived.json"), json),
                new RecordingArchive.Settings("/Venue/", PART, OptionalInt.empty(), Duration.ofSeconds(60),
                        Duration.ofMinutes(5), 3), () -> 14, alerts::add, clock, VENUE);
    }

    private void recording(String name, byte[] bytes) throws Exception {
        Files.write(videos.resolve(name + ".mkv"), bytes);
        Files.writeString(videos.resolve(name + ".json"), "{\"filename\":\"" + name + ".mkv\",\"name\":\"" + name
                + "\",\"start_time\":\"2026-02-20T20:00:00\",\"end_time\":\"2026-02-20T22:00:00\",\"duration\":7200.0,"
                + "\"size\":" + bytes.length + ",\"container\":\"mkv\",\"keep\":false,\"in_progress\":false}");
    }

    @Test
    void expectsTheEtagS3GivesTheParts() throws Exception {
        byte[] bytes = new byte[PART * 2 + PART / 2];
        new java.util.Random(7).nextBytes(bytes);
        recording("26-02-20_20-00-00", bytes);
        byte[] small = "a short one".getBytes();
        recording("26-02-21_20-00-00", small);
        RecordingArchive archive = archive();

        RecordingArchive.Upload upload = archive.begin("26-02-20_20-00-00");
        MessageDigest partsTogether = MessageDigest.getInstance("MD5");
        for (int from = 0; from < bytes.length; from += PART) {
            partsTogether.update(MessageDigest.getInstance("MD5").digest(Arrays.copyOfRange(bytes, from,
                    Math.min(bytes.length, from + PART))));
        }
        assertThat(upload.eTag()).isEqualTo(HexFormat.of().formatHex(partsTogether.digest()) + "-3");
        assertThat(upload.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        assertThat(upload.key()).isEqualTo("Venue/26-02-20_20-00-00.mkv");
        assertThat(upload.metadataKey()).isEqualTo("Venue/26-02-20_20-00-00.json");
        // claimed: not handed out twice at once
        assertThat(archive.begin("26-02-20_20-00-00")).isNull();
        assertThatThrownBy(() -> archive.verify(upload, (long) bytes.length, "\"0123-3\""))
                .isInstanceOf(RecordingArchive.ArchiveMismatch.class);
        archive.archived(archive.verify(upload, (long) bytes.length, "\"" + upload.eTag() + "\""));
        assertThat(archive.isArchived("26-02-20_20-00-00")).isTrue();
        assertThat(archive().isArchived("26-02-20_20-00-00")).as("kept in the ledger file").isTrue();

        RecordingArchive.Upload one = archive.begin("26-02-21_20-00-00");
        assertThat(one.eTag()).as("below one part: a plain upload, its MD5")
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(small)));
    }

    @Test
    void pausesAfterFailuresAndAlertsOncePerRun() throws Exception {
        recording("26-02-20_20-00-00", new byte[10]);
        RecordingArchive archive = archive();
        assertThat(archive.due()).containsExactly("26-02-20_20-00-00");
        archive.begin("26-02-20_20-00-00");
        for (int i = 0; i < 5; i++) {
            archive.failed("26-02-20_20-00-00", "403 Forbidden");
        }
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0)).contains("403 Forbidden");
        assertThat(archive.failuresInARow()).isEqualTo(5);
        // the clock stands still: inside the pause nothing is due, nothing claimed
        assertThat(archive.due()).isEmpty();
        assertThat(archive.begin("26-02-20_20-00-00")).isNull();
    }
}
