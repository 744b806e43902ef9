package de.scheincam.schedule;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;

import com.fasterxml.jackson.databind.ObjectMapper;
import de.scheincam.web.JsonBodies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/schedule/next} as a record writes the bytes the map wrote: the expected strings are
 * the map-building code's output for the same schedules and clocks (run once before the change).
 */
class NextRecordingJsonTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private final ObjectMapper json = JsonBodies.mapper();
    @TempDir
    Path dir;

    private ShowScheduler scheduler(String weekdays, boolean enabled, String now) {
        WeeklySchedule weekly = new WeeklySchedule(LocalTime.parse("19:50"), LocalTime.parse("22:10"),
                ScheduleSettings.weekdays(weekdays), BERLIN, ScheduleExceptions.NONE);
        Clock clock = Clock.fixed(LocalDateTime.parse(now).atZone(BERLIN).toInstant(), BERLIN);
        return new ShowScheduler(weekly, enabled, clock, () -> false, () -> true, dir.resolve("ex.json"), json,
                2, Duration.ofSeconds(2), (f, g) -> { });
    }

    @Test
    void insideAWindowWithTheNextTomorrow() throws Exception {
        assertThat(json.writeValueAsString(scheduler("2,3,4,5,6", true, "2025-01-22T20:31:07").next())).isEqualTo(
                NEXT);
    }

    @Test
    void beforeTheWeeksFirstShow() throws Exception {
        assertThat(json.writeValueAsString(scheduler("2,3,4,5,6", true, "2025-01-20T09:00:00").next())).isEqualTo(
                NEXT_MORNING);
    }

    @Test
    void noShowAheadLeavesTheNextShowsFieldsOut() throws Exception {
        assertThat(json.writeValueAsString(scheduler("", false, "2025-01-22T20:31:07").next())).isEqualTo(
                NEXT_NONE);
    }

    @Test
    void aCalendarShowWithItsTitle() throws Exception {
        ShowWindow show = new ShowWindow(LocalDateTime.parse("2025-01-25T15:00:00").atZone(BERLIN),
                LocalDateTime.parse("2025-01-25T17:00:00").atZone(BERLIN), ShowWindow.Source.CALENDAR, "Matinee");
        // the map's put order: start, end, weekday, extra, source (lower case), title
        assertThat(json.writeValueAsString(NextRecording.Window.of(show))).isEqualTo("{\"start\":\"2025-01-25T15:00:00\","
                + "\"end\":\"2025-01-25T17:00:00\",\"weekday\":5,\"extra\":false,\"source\":\"calendar\",\"title\":\"Matinee\"}");
    }

    private static final String NEXT = "{\"in_window\":true,\"current_window\":{\"start\":\"2025-01-22T19:50:00\",\"end\":\"2025-01-22T22:10:00\","
            + "\"weekday\":2,\"extra\":false,\"source\":\"weekly\",\"title\":null},"
            + "\"next_recording_time\":\"2025-01-23T19:50:00\",\"day_description\":\"morgen\",\"time_str\":\"19:50\","
            + "\"days_until\":1,\"hours_until\":23,\"minutes_until\":1398,\"weekday\":3,"
            + "\"formatted_message\":\"Die Aufnahme startet automatisch morgen um 19:50 Uhr\","
            + "\"windows\":[{\"start\":\"2025-01-22T19:50:00\",\"end\":\"2025-01-22T22:10:00\",\"weekday\":2,\"extra\":false,"
            + "\"source\":\"weekly\",\"title\":null},"
            + "{\"start\":\"2025-01-23T19:50:00\",\"end\":\"2025-01-23T22:10:00\",\"weekday\":3,\"extra\":false,"
            + "\"source\":\"weekly\",\"title\":null},"
            + "{\"start\":\"2025-01-24T19:50:00\",\"end\":\"2025-01-24T22:10:00\",\"weekday\":4,\"extra\":false,"
            + "\"source\":\"weekly\",\"title\":null},"
            + "{\"start\":\"2025-01-25T19:50:00\",\"end\":\"2025-01-25T22:10:00\",\"weekday\":5,\"extra\":false,"
            + "\"source\":\"weekly\",\"title\":null},"
            + "{\"start\":\"2025-01-26T19:50:00\",\"end\":\"2025-01-26T22:10:00\",\"weekday\":6,\"extra\":false,"
            + "\"source\":\"weekly\",\"title\":null},"
            + "{\"start\":\"2025-01-29T19:50:00\",\"end\":\"2025-01-29T22:10:00\",\"weekday\":2,\"extra\":false,"
            + "\"source\":\"weekly\",\"title\":null},"
            + "{\"start\":\"2025-01-30T19:50:00\",\"end\":\"2025-01-30T22:10:00\",\"weekday\":3,\"extra\":false,"
            + "\"source\":\"weekly\",\"title\":null},"
            + "{\"start\":\"2025-01-31T19:50:00\",\"end\":\"2025-01-31T22:10:00\",\"weekday\":4,\"extra\":false,"
            + "\"source\":\"weekly\",\"title\":null},"
            + "{\"start\":\"2025-02-01T19:50:00\",\"end\":\"2025-02-01T22:10:00\",\"weekday\":5,\"extra\":false,"
            + "\"source\":\"weekly\",\"title\":null},"
            + "{\"start\":\"2025-02-02T19:50:00\",\"end\":\"2025-02-02T22:10:00\",\"weekday\":6,\"extra\":false,"
            + "\"source\":\"weekly\",\"title\":null},"
            + "{\"start\":\"2025-02-05T19:50:00\",\"end\":\"2025-02-05T22:10:00\",\"weekday\":2,\"extra\":false,"
            + "\"source\":\"weekly\",\"title\":null}],"
            + "\"enabled\":true,\"week\":[{\"weekday\":0,\"day\":\"Mo\",\"windows\":[]},"
            + "{\"weekday\":1,\"day\":\"Tu\",\"windows\":[]},"
            + "{\"weekday\":2,\"day\":\"We\",\"windows\":[{\"start_time\":\"19:50\",\"end_time\":\"22:10\"}]},"
            + "{\"weekday\":3,\"day\":\"Th\",\"windows\":[{\"start_time\":\"19:50\",\"end_time\":\"22:10\"}]},"
            + "{\"weekday\":4,\"day\":\"Fr\",\"windows\":[{\"start_time\":\"19:50\",\"end_time\":\"22:10\"}]},"
            + "{\"weekday\":5,\"day\":\"Sa\",\"windows\":[{\"start_time\":\"19:50\",\"end_time\":\"22:10\"}]},"
            + "{\"weekday\":6,\"day\":\"Su\",\"windows\":[{\"start_time\":\"19:50\",\"end_time\":\"22:10\"}]}]}";
    private static final String NEXT_MORNING = "{\"in_window\":false,\"current_window\":null,\"next_recording_time\":\"2025-01-22T19:50:00\","
            + "\"day_description\":\"Mittwoch\",\"time_str\":\"19:50\",\"days_until\":2,\"hours_until\":58,"
            + "\"minutes_until\":3530,\"weekday\":2,"
            + "\"formatted_message\":\"Die Aufnahme startet automatisch am Mittwoch um 19:50 Uhr\","
            + "\"windows\":[{\"start\":\"2025-01-22T19:50:00\",\"end\":\"2025-01-22T22:10:00\",\"weekday\":2,\"extra\":false,"
            + "\"source\":\"weekly\",\"title\":null},"
            + "{\"start\":\"2025-01-23T19:50:00\",\"end\":\"2025-01-23T22:10:00\",\"weekday\":3,\"extra\":false,"
            + "\"source\":\"weekly\",\"title\":null},"
            + "{\"start\":\"2025-01-24T19:50:00\",\"end\":\"2025-01-24T22:10:00\",\"weekday\":4,\"extra\":false,"
            + "\"source\":\"weekly\",\"title\":null},"
            + "{\"start\":\"2025-01-25T19:50:00\",\"end\":\"2025-01-25T22:10:00\",\"weekday\":5,\"extra\":false,"
            + "\"source\":\"weekly\",\"title\":null},"
            + "{\"start\":\"2025-01-26T19:50:00\",\"end\":\"2025-01-26T22:10:00\",\"weekday\":6,\"extra\":false,"
            + "\"source\":\"weekly\",\"title\":null},"
            + "{\"start\":\"2025-01-29T19:50:00\",\"end\":\"2025-01-29T22:10:00\",\"weekday\":2,\"extra\":false,"
            + "\"source\":\"weekly\",\"title\":null},"
            + "{\"start\":\"2025-01-30T19:50:00\",\"end\":\"2025-01-30T22:10:00\",\"weekday\":3,\"extra\":false,"
            + "\"source\":\"weekly\",\"title\":null},"
            + "{\"start\":\"2025-01-31T19:50:00\",\"end\":\"2025-01-31T22:10:00\",\"weekday\":4,\"extra\":false,"
            + "\"source\":\"weekly\",\"title\":null},"
            + "{\"start\":\"2025-02-01T19:50:00\",\"end\":\"2025-02-01T22:10:00\",\"weekday\":5,\"extra\":false,"
            + "\"source\":\"weekly\",\"title\":null},"
            + "{\"start\":\"2025-02-02T19:50:00\",\"end\":\"2025-02-02T22:10:00\",\"weekday\":6,\"extra\":false,"
            + "\"source\":\"weekly\",\"title\":null}],"
            + "\"enabled\":true,\"week\":[{\"weekday\":0,\"day\":\"Mo\",\"windows\":[]},"
            + "{\"weekday\":1,\"day\":\"Tu\",\"windows\":[]},"
            + "{\"weekday\":2,\"day\":\"We\",\"windows\":[{\"start_time\":\"19:50\",\"end_time\":\"22:10\"}]},"
            + "{\"weekday\":3,\"day\":\"Th\",\"windows\":[{\"start_time\":\"19:50\",\"end_time\":\"22:10\"}]},"
            + "{\"weekday\":4,\"day\":\"Fr\",\"windows\":[{\"start_time\":\"19:50\",\"end_time\":\"22:10\"}]},"
            + "{\"weekday\":5,\"day\":\"Sa\",\"windows\":[{\"start_time\":\"19:50\",\"end_time\":\"22:10\"}]},"
            + "{\"weekday\":6,\"day\":\"Su\",\"windows\":[{\"start_time\":\"19:50\",\"end_time\":\"22:10\"}]}]}";
    private static final String NEXT_NONE = "{\"in_window\":false,\"current_window\":null,\"next_recording_time\":null,"
            + "\"formatted_message\":\"Keine Aufnahme geplant\",\"windows\":[],"
            + "\"enabled\":false,\"week\":[{\"weekday\":0,\"day\":\"Mo\",\"windows\":[]},"
            + "{\"weekday\":1,\"day\":\"Tu\",\"windows\":[]},"
            + "{\"weekday\":2,\"day\":\"We\",\"windows\":[]},"
            + "{\"weekday\":3,\"day\":\"Th\",\"windows\":[]},"
            + "{\"weekday\":4,\"day\":\"Fr\",\"windows\":[]},"
            + "{\"weekday\":5,\"day\":\"Sa\",\"windows\":[]},"
            + "{\"weekday\":6,\"day\":\"Su\",\"windows\":[]}]}";
}
