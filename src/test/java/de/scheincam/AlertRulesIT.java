package de.scheincam;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import de.scheincam.schedule.WeekWindows;
import de.scheincam.testing.FakeObs;
import de.scheincam.testing.Media;
import de.scheincam.testing.S3Server;
import de.scheincam.testing.Scrape;
import de.scheincam.testing.TestApp;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The operations files in deploy/: Prometheus's own promtool checks the rules and runs their unit tests
 * (deploy/prometheus/scheincam-rules.test.yml: each alert fires on trouble and stays quiet beside it) and
 * the example configuration, Alertmanager's amtool the Alertmanager example; and every series the rules
 * name is one the booted app really serves (archive on, against S3Proxy), with the hours of recording left
 * agreeing with the free disk and the recording's own bitrate.
 */
class AlertRulesIT {

    private static final Path RULES = Path.of("deploy/prometheus/scheincam-rules.yml");
    private static final DateTimeFormatter OBS = DateTimeFormatter.ofPattern("yy-MM-dd_HH-mm-ss");
    private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + " said:\n" + out).isZero();
        return out;
    }

    @Test
    void promtoolAndAmtoolAcceptTheFilesAndTheRulesPassTheirUnitTests() throws Exception {
        assertThat(run("promtool", "check", "rules", RULES.toString())).contains("SUCCESS: 7 rules found");
        assertThat(run("promtool", "test", "rules", "deploy/prometheus/scheincam-rules.test.yml")).contains("SUCCESS");
        assertThat(run("promtool", "check", "config", "deploy/prometheus/prometheus.example.yml"))
                .contains("is valid prometheus config file syntax");
        assertThat(run("amtool", "check-config", "deploy/alertmanager/alertmanager.example.yml"))
                .contains("SUCCESS").contains("2 receivers");
    }

    @Test
    void everySeriesTheRulesNameIsServedAndTheHoursLeftFollowTheDiskAndTheBitrate() throws Exception {
        Set<String> named = new TreeSet<>();
        Matcher m = Pattern.compile("scheincam_[a-z_]+").matcher(Files.readString(RULES));
        while (m.find()) {
            named.add(m.group());
        }
        assertThat(named).contains("scheincam_schedule_recording_due", "scheincam_recording_hours_left",
                "scheincam_archive_backlog", "scheincam_archive_failures", "scheincam_watchdog_state");

        Path home = TestApp.newHome();
        String name = OBS.format(LocalDateTime.now(BERLIN).minusDays(1));
        Path recording = home.resolve("videos").resolve(name + ".mkv");
        Files.copy(Media.cached("hours.mkv", 75), recording);
        try (S3Server s3 = S3Server.start("recordings");
             TestApp app = TestApp.start(home, Map.of(
                     "scheincam.archive.s3.bucket", "recordings",
                     "scheincam.archive.s3.endpoint", s3.endpoint(),
                     "scheincam.archive.s3.access-key", s3.accessKey,
                     "scheincam.archive.s3.secret-key", s3.secretKey,
                     "scheincam.archive.check-millis", "300"))) {
            // probed, and then archived: the backlog empties
            await().atMost(Duration.ofSeconds(60)).until(() -> !Double.isNaN(Scrape.of(app).value("scheincam_recording_hours_left")));
            await().atMost(Duration.ofSeconds(60)).until(() -> Scrape.of(app).value("scheincam_archive_backlog") == 0.0);
            Scrape scrape = Scrape.of(app);
            assertThat(scrape.names()).containsAll(named);
            assertThat(scrape.value("scheincam_archive_failures")).isZero();
            assertThat(scrape.value("scheincam_schedule_recording_due")).isZero();

            // the newest recording long enough tells the rate: its bytes over its seconds
            double seconds = Media.duration(recording);
            double bytesPerHour = Files.size(recording) / seconds * 3600;
            double expected = scrape.value("scheincam_disk_free_bytes") / bytesPerHour;
            assertThat(scrape.value("scheincam_recording_hours_left")).isCloseTo(expected, within(expected * 0.01));
        }
    }

    @Test
    void recordingIsDueInsideAWindowUntilSomeoneStopsItByHand() throws Exception {
        Path home = TestApp.newHome();
        // today's window, not across midnight
        await().atMost(Duration.ofSeconds(200)).until(() -> LocalTime.now(BERLIN).isBefore(LocalTime.of(23, 57)));
        ZonedDateTime now = ZonedDateTime.now(BERLIN).truncatedTo(ChronoUnit.SECONDS);
        String window = WeekWindows.name(now.getDayOfWeek()) + " " + HMS.format(now.minusSeconds(5)) + "-"
                + HMS.format(now.plusMinutes(2));
        try (FakeObs obs = new FakeObs("pw", home.resolve("videos"), Media.cached("a.mkv", 20));
             TestApp app = TestApp.start(home, Map.of(
                     "scheincam.obs.port", String.valueOf(obs.port()),
                     "scheincam.obs.password", "pw",
                     "scheincam.obs.reconnect-initial-millis", "100",
                     "scheincam.schedule.enabled", "true",
                     "scheincam.schedule.windows", window))) {
            await().atMost(Duration.ofSeconds(15)).until(() -> Scrape.of(app).value("scheincam_recording") == 1.0);
            assertThat(Scrape.of(app).value("scheincam_schedule_recording_due")).isEqualTo(1.0);
            // the schedule's start is confirmed once the file grows; until then a stop is answered 503 (busy)
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                var stop = app.post("/api/recordings/stop", "", TestApp.admin());
                assertThat(stop.statusCode()).as(stop.body()).isEqualTo(200);
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> Scrape.of(app).value("scheincam_recording") == 0.0);
            // a deliberate stop is not the alarm "not recording in a window"
            assertThat(Scrape.of(app).value("scheincam_schedule_recording_due")).isZero();
        }
    }

    @Test
    void withoutArchiveItsSeriesAreAbsentAndHoursLeftAreUnknownUntilARecordingShowsTheRate() {
        try (TestApp app = TestApp.start(Map.of())) {
            Scrape scrape = Scrape.of(app);
            assertThat(scrape.names()).doesNotContain("scheincam_archive_backlog", "scheincam_archive_failures")
                    .contains("scheincam_schedule_recording_due");
            // an empty library: nothing tells the bitrate, so no alert can fire on a guess
            assertThat(scrape.value("scheincam_recording_hours_left")).isNaN();
            assertThat(List.of(scrape.value("scheincam_recordings"))).containsExactly(0.0);
        }
    }
}
