package de.scheincam.watchdog;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import de.scheincam.events.LiveEvents;
import de.scheincam.library.MetadataStore;
import de.scheincam.library.RecordingLibrary;
import de.scheincam.obs.ObsClient;
import de.scheincam.obs.ObsNames;
import de.scheincam.obs.Recorder;
import de.scheincam.obs.RecorderState;
import de.scheincam.schedule.ScheduleExceptions;
import de.scheincam.schedule.ScheduleSettings;
import de.scheincam.schedule.ShowScheduler;
import de.scheincam.schedule.WeeklySchedule;
import de.scheincam.web.JsonBodies;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recording status (recorder state + watchdog verdict + alerts) and the show-health event write
 * the bytes the maps wrote. Expected strings: the map-building code's output for the same beans and
 * clock (run once before the change), except where noted.
 */
class ShowStatusJsonTest {

    private static final String RECORDER = "\"connected\":false,\"recording\":false,\"muted\":false,\"current_file\":null,"
            + "\"current_start_time\":null,\"elapsed_seconds\":null,\"current_size\":null,\"logo_visible\":true,"
            + "\"obs_state\":\"disconnected\",\"problem\":\"not connected yet\"";

    private final ObjectMapper json = JsonBodies.mapper();
    private final ZoneId zone = ZoneId.of("Europe/Berlin");
    private final Clock clock = Clock.fixed(LocalDateTime.parse("2025-01-22T20:31:07").atZone(zone).toInstant(), zone);
    private final ObsClient obs = new ObsClient(new ObsClient.Settings("127.0.0.1", 1, "", Duration.ofSeconds(1),
            Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)), json);
    private final List<LiveEvents.LiveEvent> events = new ArrayList<>();
    @TempDir
    Path dir;

    @AfterEach
    void close() {
        obs.close();
    }

    @Test
    void statusBeforeAndAfterAnIdleCheckAndWithAnAlert() throws Exception {
        RecordingLibrary library = new RecordingLibrary(dir, zone, Duration.ofSeconds(5), clock, new MetadataStore(dir, json));
        Recorder recorder = new Recorder(obs, library, new ObsNames("Main", "Muted", "Logo", "Hide", "Camera", "Program"), dir,
                clock, zone, Duration.ofSeconds(1), true, 0.01, Duration.ofMillis(10));
        ShowScheduler scheduler = new ShowScheduler(new WeeklySchedule(LocalTime.parse("19:50"), LocalTime.parse("22:10"),
                ScheduleSettings.weekdays("2,3,4,5,6"), zone, ScheduleExceptions.NONE), true, clock, () -> false, () -> true,
                dir.resolve("ex.json"), json, 2, Duration.ofSeconds(2), (f, g) -> { });
        LiveEvents live = new LiveEvents();
        live.sendTo(events::add);
        Alerts alerts = new Alerts(clock, zone, "Scheinbar", live);
        ShowWatchdog watchdog = new ShowWatchdog(recorder, scheduler, alerts, dir, clock, 3, 10, Duration.ofHours(2),
                Duration.ofSeconds(30), live);
        RecorderState state = recorder.state();

        assertThat(json.writeValueAsString(watchdog.withVerdict(state)))
                .isEqualTo("{" + RECORDER + ",\"watchdog\":{\"state\":\"idle\",\"problems\":[]},\"alerts\":[]}");
        assertThat(watchdog.verdict().state()).isEqualTo(Verdict.State.IDLE);

        watchdog.check();
        // the idle verdict after a check was a Map.of(...), whose key order changed from run to run (the run
        // before the change wrote checked_at first); now always state, problems, checked_at
        String idle = "{\"state\":\"idle\",\"problems\":[],\"checked_at\":\"2025-01-22T19:31:07Z\"}";
        assertThat(json.writeValueAsString(watchdog.withVerdict(state)))
                .isEqualTo("{" + RECORDER + ",\"watchdog\":" + idle + ",\"alerts\":[]}");
        assertThat(json.writeValueAsString(events.get(events.size() - 1)))
                .isEqualTo("{\"type\":\"show-health\",\"data\":" + idle + "}");

        alerts.raise("disk", "Full soon.");
        assertThat(json.writeValueAsString(watchdog.withVerdict(state))).isEqualTo("{" + RECORDER + ",\"watchdog\":" + idle
                + ",\"alerts\":[{\"kind\":\"disk\",\"message\":\"Full soon.\",\"time\":\"2025-01-22T20:31:07\",\"venue\":\"Scheinbar\"}]}");
        assertThat(json.writeValueAsString(events.get(events.size() - 1))).isEqualTo("{\"type\":\"alert\",\"data\":"
                + "{\"kind\":\"disk\",\"message\":\"Full soon.\",\"time\":\"2025-01-22T20:31:07\",\"venue\":\"Scheinbar\"}}");
    }

    @Test
    void aVerdictWhileRecordingCountsTheFailuresInARow() throws Exception {
        // the map's put order: state, problems, failures_in_a_row, checked_at (an instant as Instant.toString wrote it)
        Verdict warning = new Verdict(Verdict.State.WARNING, List.of("audio silent (Audio seems silent.)",
                "recording file not growing"), 2, Instant.parse("2025-01-22T19:31:07.250Z"));
        assertThat(json.writeValueAsString(warning)).isEqualTo("{\"state\":\"warning\",\"problems\":"
                + "[\"audio silent (Audio seems silent.)\",\"recording file not growing\"],\"failures_in_a_row\":2,"
                + "\"checked_at\":\"" + Instant.parse("2025-01-22T19:31:07.250Z") + "\"}");
        assertThat(json.writeValueAsString(new Verdict(Verdict.State.OK, List.of(), 0, Instant.parse("2025-01-22T19:31:07.123456Z"))))
                .isEqualTo("{\"state\":\"ok\",\"problems\":[],\"failures_in_a_row\":0,\"checked_at\":\"2025-01-22T19:31:07.123456Z\"}");
        assertThat(json.writeValueAsString(new Verdict(Verdict.State.FAILING, List.of("x"), 3, Instant.parse("2025-01-22T19:31:07Z"))))
                .startsWith("{\"state\":\"failing\"");
    }

    @Test
    void aKeepaliveEvent() throws Exception {
        LiveEvents live = new LiveEvents();
        live.sendTo(events::add);
        live.publish("keepalive", null);
        assertThat(json.writeValueAsString(events.get(0))).isEqualTo("{\"type\":\"keepalive\",\"data\":null}");
    }
}
