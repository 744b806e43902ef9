package de.scheincam;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import de.scheincam.obs.ObsClient;
import de.scheincam.obs.ObsEvent;
import de.scheincam.testing.RealObs;
import de.scheincam.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The schedule against real OBS: a window set to open a few seconds from now records exactly inside
 * it, and a restart of the app mid-window resumes without a second StartRecord. Prints FIGURE lines.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScheduleRealIT {

    private static final String PASSWORD = "schedule-obs-secret";
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss");
    static RealObs obs;
    static ObsClient observer;
    static final List<ObsEvent> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startObs() throws Exception {
        obs = RealObs.launch(PASSWORD);
        observer = obs.observe(events::add);
    }

    @AfterAll
    static void stopObs() {
        if (observer != null) {
            observer.close();
        }
        if (obs != null) {
            obs.close();
        }
    }

    /** Settings for a window from start to end (venue time), today only. */
    private static Map<String, String> window(ZonedDateTime start, ZonedDateTime end) {
        return Map.of(
                "scheincam.schedule.enabled", "true",
                "scheincam.schedule.start-time", HMS.format(start),
                "scheincam.schedule.end-time", HMS.format(end),
                "scheincam.schedule.weekdays", String.valueOf(start.getDayOfWeek().getValue() - 1),
                "scheincam.obs.port", String.valueOf(obs.port),
                "scheincam.obs.password", PASSWORD,
                "scheincam.obs.reconnect-initial-millis", "200");
    }

    private static ZonedDateTime inSeconds(long seconds) {
        return ZonedDateTime.now(BERLIN).plusSeconds(seconds).withNano(0);
    }

    private static boolean recording(TestApp app) {
        return json(app.get("/api/recordings/status")).path("recording").asBoolean();
    }

    @Test
    @Order(1)
    void aWindowOpeningSoonIsRecordedExactlyInsideIt() {
        ZonedDateTime start = inSeconds(8);
        ZonedDateTime end = start.plusSeconds(8);
        if (!end.toLocalDate().equals(start.toLocalDate())) {
            start = inSeconds(30);
            end = start.plusSeconds(8);
        }
        Path home = TestApp.newHome();
        try (TestApp app = TestApp.start(home, window(start, end))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> json(app.get("/api/recordings/status")).path("connected").asBoolean());
            JsonNode next = json(app.get("/api/schedule/next"));
            assertThat(next.path("time_str").asText()).isEqualTo(start.toLocalTime().toString().substring(0, 5));
            assertThat(next.path("day_description").asText()).isEqualTo("heute");
            assertThat(recording(app)).isFalse();

            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> recording(app));
            long startLatency = Duration.between(start.toInstant(), Instant.now()).toMillis();
            System.out.println("FIGURE window opening to recording: " + startLatency + " ms");
            assertThat(startLatency).isLessThan(1500);
            assertThat(json(app.get("/api/schedule/next")).path("in_window").asBoolean()).isTrue();

            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> !recording(app));
            long stopLatency = Duration.between(end.toInstant(), Instant.now()).toMillis();
            System.out.println("FIGURE window closing to recording stopped: " + stopLatency + " ms");
            assertThat(stopLatency).isLessThan(2500);
            String file = json(app.get("/api/videos/newest/info")).path("filename").asText();
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(json(app.get("/api/videos/newest/info")).path("duration").asDouble()).isBetween(6.5, 9.5));
            DateTimeFormatter obsName = DateTimeFormatter.ofPattern("yy-MM-dd_HH-mm-ss");
            assertThat(file).as("named after the venue's clock at the start")
                    .isIn(obsName.format(start) + ".mkv", obsName.format(start.plusSeconds(1)) + ".mkv");
        }
    }

    /**
     * The first app's start is only the setting for the restart (its latency is the test above's): it gets
     * time enough on a loaded machine, and the window is long enough for the restart to happen inside it.
     */
    @Test
    @Order(2)
    void anAppRestartMidWindowResumesWithoutASecondStart() throws Exception {
        ZonedDateTime start = inSeconds(4);
        ZonedDateTime end = start.plusSeconds(40);
        if (!end.toLocalDate().equals(start.toLocalDate())) {
            start = inSeconds(60);
            end = start.plusSeconds(40);
        }
        Path home = TestApp.newHome();
        Map<String, String> settings = window(start, end);
        String file;
        try (TestApp first = TestApp.start(home, settings)) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> recording(first));
            file = json(first.get("/api/recordings/status")).path("current_file").asText();
        }
        // the app is gone; OBS records on
        assertThat(observer.request("GetRecordStatus").path("outputActive").asBoolean()).isTrue();
        events.clear();
        long restarted = System.nanoTime();
        try (TestApp second = TestApp.start(home, settings)) {
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> recording(second));
            System.out.println("FIGURE app restart to recording state resumed: " + (System.nanoTime() - restarted) / 1_000_000 + " ms");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(json(second.get("/api/recordings/status")).path("current_file").asText())
                            .as("the adopted recording is named").isEqualTo(file));
            ZonedDateTime close = end;
            await().atMost(Duration.ofSeconds(50)).pollInterval(Duration.ofMillis(100)).until(() -> !recording(second));
            assertThat(Instant.now()).isAfterOrEqualTo(close.toInstant());
            assertThat(events.stream().filter(e -> e.type().equals("RecordStateChanged"))
                    .map(e -> e.text("outputState")).toList())
                    .as("no second start after the restart; the adopted recording ends with the window")
                    .doesNotContain("OBS_WEBSOCKET_OUTPUT_STARTING", "OBS_WEBSOCKET_OUTPUT_STARTED")
                    .contains("OBS_WEBSOCKET_OUTPUT_STOPPED");
            try (var files = Files.list(second.videos)) {
                assertThat(files.filter(f -> f.toString().endsWith(".mkv")).count()).isEqualTo(1);
            }
        }
    }

    /**
     * Last: OBS is killed and started again, which the tests before should not inherit. After the window
     * the evening is one show of two parts, with the gap as long as OBS was away and why.
     */
    @Test
    @Order(3)
    void anObsCrashMidShowIsRecordedAgainOnceObsIsBack() {
        ZonedDateTime start = inSeconds(-5);
        ZonedDateTime end = start.plusSeconds(60); // may cross midnight: such a window belongs to start's day
        Path home = TestApp.newHome();
        try (TestApp app = TestApp.start(home, window(start, end))) {
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> recording(app));
            String first = json(app.get("/api/recordings/status")).path("current_file").asText();
            await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true); // record a little
            Instant killed = Instant.now();
            obs.kill();
            await().atMost(Duration.ofSeconds(5)).until(() -> !recording(app));
            await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true); // OBS stays away a while
            obs.start();
            long back = System.nanoTime();
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> recording(app));
            Instant recordingAgain = Instant.now();
            System.out.println("FIGURE OBS back to recording again (schedule): " + (System.nanoTime() - back) / 1_000_000 + " ms");
            String second = json(app.get("/api/recordings/status")).path("current_file").asText();
            assertThat(second).isNotEqualTo(first);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(json(app.get("/api/videos/" + second.replace(".mkv", ""))).path("gap_seconds").asDouble())
                            .as("the gap is noted").isGreaterThan(2.0));

            // the window closes: one show, two parts, and the gap between them as long as OBS was away
            ZonedDateTime close = end;
            await().atMost(Duration.ofSeconds(70)).pollInterval(Duration.ofMillis(200)).until(() -> !recording(app));
            assertThat(Instant.now()).isAfterOrEqualTo(close.toInstant());
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode shows = json(app.get("/api/shows"));
                assertThat(shows.path("total").asInt()).isEqualTo(1);
                assertThat(shows.path("shows").get(0).path("in_progress").asBoolean()).isFalse();
            });
            JsonNode show = json(app.get("/api/shows")).path("shows").get(0);
            assertThat(show.path("parts").findValuesAsText("filename")).containsExactly(first, second);
            assertThat(show.path("gaps")).hasSize(1);
            JsonNode gap = show.path("gaps").get(0);
            double away = Duration.between(killed, recordingAgain).toMillis() / 1000.0;
            System.out.println("FIGURE show gap: " + gap.path("seconds").asDouble() + " s, OBS killed to recording again: "
                    + away + " s");
            assertThat(gap.path("seconds").asDouble()).as("the true gap").isCloseTo(away, org.assertj.core.data.Offset.offset(2.0));
            assertThat(gap.path("reason").asText()).isEqualTo("obs-lost");
            assertThat(show.path("id").asText()).isEqualTo(json(app.get("/api/videos/" + first.replace(".mkv", ""))).path("show_id").asText());
            assertThat(json(app.get("/api/videos/" + second.replace(".mkv", ""))).path("gap_reason").asText()).isEqualTo("obs-lost");
        } finally {
            obs.setUpScenes(); // the killed OBS may have lost its unsaved output settings
        }
    }
}
