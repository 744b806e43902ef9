package de.scheincam;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import de.scheincam.archive.RecordingArchive;
import de.scheincam.cleanup.Retention;
import de.scheincam.testing.S3Server;
import de.scheincam.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The archive flow against a real S3 API (S3Proxy as a process on loopback, no mock of the S3 client):
 * a large recording uploaded in parts and checked byte for byte; an upload cut off by the server going
 * away, finished once it is back, exactly once; wrong credentials: retries, an alert, nothing deleted;
 * the two tiers: a local copy goes only when its archived copy is verified.
 */
class ArchiveIT {

    /** A recording's size for the multipart tests: ten 32 MB parts and a bit (1 GB in real life). */
    static final long LARGE = 300L * 1024 * 1024;
    private static final long PART = 32L * 1024 * 1024;
    /** The recording cut off mid-upload: eight parts of 8 MB, enough to stop the server between two of them. */
    private static final long SMALL_PART = 8L * 1024 * 1024;
    static final long CUT_OFF = 8 * SMALL_PART;
    private static final String BUCKET = "recordings";
    private static final DateTimeFormatter OBS = DateTimeFormatter.ofPattern("yy-MM-dd_HH-mm-ss");
    private static final ZoneId VENUE = ZoneId.of("Europe/Berlin");

    private static S3Server s3;

    @BeforeAll
    static void startS3() {
        s3 = S3Server.start(BUCKET);
    }

    @AfterAll
    static void stopS3() {
        if (s3 != null) {
            s3.close();
        }
    }

    private static Map<String, String> archiveSettings(String prefix, String... more) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "scheincam.archive.s3.bucket", BUCKET,
                "scheincam.archive.s3.endpoint", s3.endpoint(),
                "scheincam.archive.s3.access-key", s3.accessKey,
                "scheincam.archive.s3.secret-key", s3.secretKey,
                "scheincam.archive.s3.prefix", prefix,
                "scheincam.archive.part-size-bytes", String.valueOf(PART),
                "scheincam.archive.check-millis", "300",
                "scheincam.archive.retry-delay-millis", "200",
                "scheincam.archive.pause-millis", "200"));
        for (int i = 0; i < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return settings;
    }

    @Test
    void withoutBucketNothingOfTheArchiveIsBuiltOrRuns() {
        try (TestApp app = TestApp.start(Map.of())) {
            for (String route : List.of("archive", "archive-upload", "archive-show-upload", "archive-cleanup", "archive-tiers")) {
                assertThat(app.camel().getRoute(route)).as(route).isNull();
            }
            assertThat(app.camel().getRoute("cleanup")).isNotNull();
            assertThat(app.camel().getRegistry().lookupByName("archive")).isNull();
            assertThat(app.camel().getRegistry().lookupByName("archiveS3")).isNull();
            assertThat(app.camel().getRegistry().lookupByName("archiveShows")).isNull();
            assertThat(app.get("/api/ping").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void uploadsALargeRecordingInPartsAndTheBucketHoldsItsBytes() throws Exception {
        Path home = TestApp.newHome();
        String name = OBS.format(LocalDateTime.now(VENUE).minusDays(2));
        String sha = finishedRecording(home.resolve("videos"), name, LARGE, false, 2);
        try (TestApp app = TestApp.start(home, archiveSettings("venue-large"))) {
            RecordingArchive archive = archive(app);
            await().atMost(Duration.ofSeconds(90)).until(() -> archive.isArchived(name));

            assertThat(keys(s3.objects(BUCKET), "venue-large/"))
                    .containsExactlyInAnyOrder("venue-large/" + name + ".mkv", "venue-large/" + name + ".json");
            try (S3Client client = s3.client()) {
                HeadObjectResponse head = client.headObject(b -> b.bucket(BUCKET).key("venue-large/" + name + ".mkv"));
                assertThat(head.contentLength()).isEqualTo(LARGE);
                // uploaded in parts: S3's ETag of a multipart object ends in -<parts>
                assertThat(head.eTag().replace("\"", "")).endsWith("-" + (LARGE + PART - 1) / PART);
                try (InputStream in = client.getObject(b -> b.bucket(BUCKET).key("venue-large/" + name + ".mkv"))) {
                    assertThat(sha256(in)).isEqualTo(sha);
                }
                assertThat(client.getObjectAsBytes(b -> b.bucket(BUCKET).key("venue-large/" + name + ".json")).asByteArray())
                        .isEqualTo(Files.readAllBytes(home.resolve("videos").resolve(name + ".json")));
            }
            // no local tier configured: the local copy stays
            assertThat(home.resolve("videos").resolve(name + ".mkv")).exists();
            assertThat(json(app.get("/api/videos/" + name)).path("filename").asText()).isEqualTo(name + ".mkv");
        }
    }

    @Test
    void showFilesAreArchivedBesideTheRecordingsWhenTheyChange() throws Exception {
        Path home = TestApp.newHome();
        String name = OBS.format(LocalDateTime.now(VENUE).minusDays(2).withNano(0));
        finishedRecording(home.resolve("videos"), name, 1 << 20, false, 2);
        try (TestApp app = TestApp.start(home, archiveSettings("venue-shows"))) {
            String id = await().atMost(Duration.ofSeconds(30)).until(
                    () -> json(app.get("/api/shows")).path("shows").path(0).path("id").asText(""), i -> !i.isEmpty());
            Path local = home.resolve("videos/shows/" + id + ".json");
            String key = "venue-shows/shows/" + id + ".json";
            try (S3Client client = s3.client()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> s3.objects(BUCKET).stream().anyMatch(o -> key.equals(o.key())));
                assertThat(client.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray())
                        .isEqualTo(Files.readAllBytes(local));

                // the operator sets the lineup: the changed show file is uploaded again
                String lineup = "{\"acts\":[{\"name\":\"Anna\"}]}";
                assertThat(app.send("PUT", "/api/shows/" + id + "/acts", lineup, "Content-Type", "application/json",
                        TestApp.admin()[0], TestApp.admin()[1]).statusCode()).isEqualTo(200);
                byte[] changed = Files.readAllBytes(local);
                assertThat(new String(changed, java.nio.charset.StandardCharsets.UTF_8)).contains("Anna");
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(client.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray()).isEqualTo(changed));
            }
            // what was uploaded is kept by its SHA-256, so an unchanged show is not uploaded again
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            String sha = HexFormat.of().formatHex(digest.digest(Files.readAllBytes(local)));
            assertThat(app.camel().getRegistry().lookupByNameAndType("archiveShows", de.scheincam.archive.ShowFilesArchive.class)
                    .uploadedSha256(id)).isEqualTo(sha);
            assertThat(Files.readString(home.resolve("videos/.archive/shows.json"))).contains(id).contains(sha);
        }
    }

    @Test
    void anUploadCutOffByTheServerGoingAwayIsFinishedOnceItIsBack() throws Exception {
        Path home = TestApp.newHome();
        String name = OBS.format(LocalDateTime.now(VENUE).minusDays(3));
        String sha = finishedRecording(home.resolve("videos"), name, CUT_OFF, false, 3);
        try (TestApp app = TestApp.start(home, archiveSettings("venue-restart",
                "scheincam.archive.part-size-bytes", String.valueOf(SMALL_PART),
                "scheincam.archive.retries", "2", "scheincam.archive.retry-delay-millis", "1000"))) {
            RecordingArchive archive = archive(app);
            // the server goes away once parts of the recording have arrived, before all have
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> bytesUnder(s3.data) >= SMALL_PART);
            s3.stopProcess();
            assertThat(archive.isArchived(name)).as("cut off before it was complete").isFalse();
            // the retries fail while it is away; the upload is counted as failed
            await().atMost(Duration.ofSeconds(60)).until(() -> archive.failuresInARow() >= 1);
            assertThat(archive.isArchived(name)).isFalse();
            s3.startProcess();

            await().atMost(Duration.ofSeconds(90)).until(() -> archive.isArchived(name));
            List<S3Object> objects = s3.objects(BUCKET);
            assertThat(keys(objects, "venue-restart/"))
                    .containsExactlyInAnyOrder("venue-restart/" + name + ".mkv", "venue-restart/" + name + ".json");
            assertThat(objects.stream().filter(o -> o.key().endsWith(".mkv") && o.key().startsWith("venue-restart/"))
                    .findFirst().orElseThrow().size()).isEqualTo(CUT_OFF);
            try (S3Client client = s3.client(); InputStream in = client.getObject(b -> b.bucket(BUCKET)
                    .key("venue-restart/" + name + ".mkv"))) {
                assertThat(sha256(in)).isEqualTo(sha);
            }
            // exactly once: archived once, and never claimed again
            assertThat(archive.due()).doesNotContain(name);
            assertThat(archive.begin(name)).isNull();
            assertThat(archive.failuresInARow()).isZero();
            assertThat(Files.readString(Path.of("target/test-logs/scheincam.log")).lines()
                    .filter(l -> l.contains("Archive: " + name + ".mkv archived as")).count()).isEqualTo(1);
        }
    }

    @Test
    void wrongCredentialsAreRetriedThenAlertedAndNothingIsDeleted() throws Exception {
        Path home = TestApp.newHome();
        String name = OBS.format(LocalDateTime.now(VENUE).minusDays(9));
        finishedRecording(home.resolve("videos"), name, 1024 * 1024, false, 9);
        String wrongSecret = "wrong-" + s3.secretKey;
        try (TestApp app = TestApp.start(home, archiveSettings("venue-creds",
                "scheincam.archive.s3.secret-key", wrongSecret,
                "scheincam.archive.retries", "1",
                "scheincam.archive.alert-after-failures", "2",
                "scheincam.retention.local-days", "1"))) {
            RecordingArchive archive = archive(app);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    json(app.get("/api/recordings/status", TestApp.admin())).path("alerts").findValuesAsText("kind")
                            .contains("archive-failing"));
            assertThat(archive.failuresInARow()).isGreaterThanOrEqualTo(2);
            assertThat(archive.isArchived(name)).isFalse();

            // the local tier removes nothing that is not archived
            app.camel().createProducerTemplate().requestBody("direct:archive-tiers", (Object) null);
            assertThat(home.resolve("videos").resolve(name + ".mkv")).exists();
            assertThat(home.resolve("videos").resolve(name + ".json")).exists();
            assertThat(keys(s3.objects(BUCKET), "venue-creds/")).isEmpty();
            String log = Files.readString(Path.of("target/test-logs/scheincam.log"));
            assertThat(log).contains("On delivery attempt: 1");
            assertThat(log).doesNotContain(s3.secretKey);
        }
    }

    @Test
    void localCopiesGoOnlyWhenTheirArchivedCopyIsVerified() throws Exception {
        Path home = TestApp.newHome();
        Path videos = home.resolve("videos");
        LocalDateTime now = LocalDateTime.now(VENUE);
        String archived = OBS.format(now.minusDays(6));
        String notArchived = OBS.format(now.minusDays(6).plusHours(1));
        String kept = OBS.format(now.minusDays(6).plusHours(2));
        String recent = OBS.format(now.minusDays(1));
        String tampered = OBS.format(now.minusDays(6).plusHours(3));
        Map<String, String> shas = new HashMap<>();
        for (String name : List.of(archived, notArchived, kept, recent, tampered)) {
            int daysAgo = name.equals(recent) ? 1 : 6;
            shas.put(name, finishedRecording(videos, name, 2 * 1024 * 1024, name.equals(kept), daysAgo));
        }
        // the timer never comes round in this test: it uploads what the test sends, nothing else
        try (TestApp app = TestApp.start(home, archiveSettings("venue-tiers",
                "scheincam.archive.check-millis", "3600000",
                "scheincam.retention.local-days", "3",
                "scheincam.library.settle-seconds", "60"))) {
            RecordingArchive archive = archive(app);
            // an old-named recording still being written: never uploaded, never removed
            String growing = OBS.format(now.minusDays(8));
            Files.write(videos.resolve(growing + ".mkv"), new byte[1000]);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    json(app.get("/api/videos/" + growing)).path("in_progress").asBoolean());
            var template = app.camel().createProducerTemplate();

            template.requestBody("direct:archive-tiers", (Object) null);
            for (String name : List.of(archived, notArchived, kept, recent, tampered, growing)) {
                assertThat(videos.resolve(name + ".mkv")).as("nothing archived yet: " + name).exists();
            }

            for (String name : List.of(archived, kept, recent, tampered, growing)) {
                template.requestBody("direct:archive-upload", name);
            }
            assertThat(archive.isArchived(archived)).isTrue();
            assertThat(archive.isArchived(growing)).isFalse();
            // the bucket's copy of one is replaced behind the app's back: it no longer matches
            try (S3Client client = s3.client()) {
                client.putObject(b -> b.bucket(BUCKET).key("venue-tiers/" + tampered + ".mkv"), RequestBody.fromString("other"));
            }

            template.requestBody("direct:archive-tiers", (Object) null);
            assertThat(videos.resolve(archived + ".mkv")).doesNotExist();
            assertThat(videos.resolve(archived + ".json")).doesNotExist();
            assertThat(app.get("/api/videos/" + archived).statusCode()).isEqualTo(404);
            assertThat(videos.resolve(notArchived + ".mkv")).as("not archived").exists();
            assertThat(videos.resolve(kept + ".mkv")).as("kept").exists();
            assertThat(videos.resolve(recent + ".mkv")).as("within local-days").exists();
            assertThat(videos.resolve(growing + ".mkv")).as("in progress").exists();
            assertThat(videos.resolve(tampered + ".mkv")).as("archived copy does not match").exists();
            assertThat(archive.isArchived(tampered)).as("to be uploaded again").isFalse();
            assertThat(archive.due()).contains(tampered, notArchived).doesNotContain(archived, growing);
            try (S3Client client = s3.client(); InputStream in = client.getObject(b -> b.bucket(BUCKET)
                    .key("venue-tiers/" + archived + ".mkv"))) {
                assertThat(sha256(in)).as("the only copy left is the archived one").isEqualTo(shas.get(archived));
            }

            // retention.days with an archive removes archived copies too, never a kept one's
            app.camel().getRegistry().lookupByNameAndType("retention", Retention.class).setRecordingDays(4);
            template.requestBody("direct:archive-tiers", (Object) null);
            List<String> left = keys(s3.objects(BUCKET), "venue-tiers/");
            assertThat(left).doesNotContain("venue-tiers/" + archived + ".mkv", "venue-tiers/" + archived + ".json");
            assertThat(left).contains("venue-tiers/" + kept + ".mkv", "venue-tiers/" + recent + ".mkv");
            assertThat(archive.isArchived(archived)).isFalse();
            assertThat(archive.isArchived(kept)).isTrue();
        }
    }

    private static RecordingArchive archive(TestApp app) {
        return app.camel().getRegistry().lookupByNameAndType("archive", RecordingArchive.class);
    }

    /** The recordings' keys under {@code prefix} (the show files under {@code <prefix>shows/} are tested on their own). */
    private static List<String> keys(List<S3Object> objects, String prefix) {
        return objects.stream().map(S3Object::key).filter(k -> k.startsWith(prefix) && !k.startsWith(prefix + "shows/")).toList();
    }

    private static long bytesUnder(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    /**
     * A recording as the library leaves it after probing (file plus complete metadata), of pseudo-random
     * bytes; returns its SHA-256.
     */
    private static String finishedRecording(Path videos, String name, long size, boolean keep, int daysAgo)
            throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        SplittableRandom random = new SplittableRandom(name.hashCode());
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(videos.resolve(name + ".mkv"))) {
            for (long written = 0; written < size; written += block.length) {
                for (int i = 0; i < block.length; i += 8) {
                    long v = random.nextLong();
                    for (int j = 0; j < 8; j++) {
                        block[i + j] = (byte) (v >>> (8 * j));
                    }
                }
                int n = (int) Math.min(block.length, size - written);
                out.write(block, 0, n);
                digest.update(block, 0, n);
            }
        }
        LocalDateTime start = LocalDateTime.parse(name, OBS);
        Files.writeString(videos.resolve(name + ".json"), "{\"filename\":\"" + name + ".mkv\",\"name\":\"" + name
                + "\",\"start_time\":\"" + start + "\",\"end_time\":\"" + start.plusHours(2) + "\",\"duration\":7200.0,"
                + "\"size\":" + size + ",\"container\":\"mkv\",\"keep\":" + keep + ",\"in_progress\":false}");
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[1 << 20];
        for (int n; (n = in.read(buffer)) > 0; ) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
