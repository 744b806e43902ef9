package de.scheincam;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import de.scheincam.cleanup.Retention;
import de.scheincam.testing.TestApp;
import org.junit.jupiter.api.Test;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The cleanup flow deletes exactly what is past retention: not kept, not recording, nothing outside videos/. */
class CleanupIT {

    private static final DateTimeFormatter OBS = DateTimeFormatter.ofPattern("yy-MM-dd_HH-mm-ss");

    @Test
    void deletesExactlyTheExpiredUnkeptFinishedRecordingsAndOldExportsAndLogs() throws Exception {
        Path home = TestApp.newHome();
        Path videos = home.resolve("videos");
        LocalDateTime now = LocalDateTime.now(ZoneId.of("Europe/Berlin"));
        String expired = OBS.format(now.minusDays(20));
        String kept = OBS.format(now.minusDays(21));
        String recent = OBS.format(now.minusDays(3));
        String linked = OBS.format(now.minusDays(30));
        for (String name : List.of(expired, kept, recent)) {
            finishedRecording(videos, name, name.equals(kept));
        }
        Path outside = Files.createTempFile(Path.of("target"), "outside-", ".mkv");
        Files.writeString(outside, "not ours");
        Files.createSymbolicLink(videos.resolve(linked + ".mkv"), outside.toAbsolutePath());
        Path exports = Files.createDirectories(videos.resolve("exports"));
        export(exports, "00000000000000aa", Instant.now().minus(Duration.ofHours(5)));
        export(exports, "00000000000000bb", Instant.now().minus(Duration.ofMinutes(5)));
        Path logs = Files.createDirectories(home.resolve("logs"));
        Files.writeString(logs.resolve("old.log"), "old");
        Files.setLastModifiedTime(logs.resolve("old.log"), FileTime.from(Instant.now().minus(Duration.ofDays(40))));
        Files.writeString(logs.resolve("new.log"), "new");

        try (TestApp app = TestApp.start(home, Map.of("scheincam.library.settle-seconds", "60"))) {
            // an old-named recording that OBS is still writing: never deleted
            String growing = OBS.format(now.minusDays(25));
            Files.write(videos.resolve(growing + ".mkv"), new byte[1000]);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    json(app.get("/api/videos/" + growing)).path("in_progress").asBoolean());

            Retention.Removed summary = app.camel().createProducerTemplate()
                    .requestBody("direct:cleanup-run", null, Retention.Removed.class);

            assertThat(summary.recordings()).containsExactly(expired + ".mkv");
            assertThat(summary.exports()).containsExactly("00000000000000aa");
            assertThat(summary.logs()).containsExactly("old.log");
            assertThat(videos.resolve(expired + ".mkv")).doesNotExist();
            assertThat(videos.resolve(expired + ".json")).doesNotExist();
            assertThat(videos.resolve(kept + ".mkv")).exists();
            assertThat(videos.resolve(recent + ".mkv")).exists();
            assertThat(videos.resolve(growing + ".mkv")).exists();
            assertThat(videos.resolve(linked + ".mkv")).isSymbolicLink();
            assertThat(Files.readString(outside)).isEqualTo("not ours");
            assertThat(exports.resolve("00000000000000aa.mp4")).doesNotExist();
            assertThat(exports.resolve("00000000000000bb.mp4")).exists();
            assertThat(logs.resolve("new.log")).exists();
            assertThat(json(app.get("/api/videos")).path("total").asInt()).isEqualTo(3);
            assertThat(app.get("/api/exports/00000000000000aa").statusCode()).isEqualTo(404);
            assertThat(app.get("/api/exports/00000000000000bb").statusCode()).isEqualTo(200);
            assertThat(Files.readString(Path.of("target/test-logs/scheincam.log")))
                    .contains("Retention: deleted recording " + expired + ".mkv");
        }
    }

    /** A recording as the library leaves it after probing: file plus complete metadata. */
    private static void finishedRecording(Path videos, String name, boolean keep) throws IOException {
        Files.write(videos.resolve(name + ".mkv"), new byte[2048]);
        LocalDateTime start = LocalDateTime.parse(name, OBS);
        Files.writeString(videos.resolve(name + ".json"), "{\"filename\":\"" + name + ".mkv\",\"name\":\"" + name
                + "\",\"start_time\":\"" + start + "\",\"end_time\":\"" + start.plusHours(2) + "\",\"duration\":7200.0,"
                + "\"size\":2048,\"container\":\"mkv\",\"keep\":" + keep + ",\"in_progress\":false}");
    }

    private static void export(Path exports, String id, Instant finished) throws IOException {
        Files.write(exports.resolve(id + ".mp4"), new byte[100]);
        Files.writeString(exports.resolve(id + ".json"), "{\"job_id\":\"" + id + "\",\"state\":\"done\",\"mode\":\"copy\","
                + "\"filename\":\"x.mkv\",\"offset\":0,\"duration\":1,\"download_name\":\"Scheinbar.mp4\","
                + "\"created_at\":\"" + finished + "\",\"finished_at\":\"" + finished + "\"}");
    }
}
