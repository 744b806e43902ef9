package de.scheincam;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.scheincam.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The schedule over HTTP: next recording and the exceptions, validated and kept. */
class ScheduleApiIT {

    static TestApp app;

    @BeforeAll
    static void boot() {
        app = TestApp.start(Map.of("scheincam.schedule.weekdays", "0,1,2,3,4,5,6"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static HttpResponse<String> put(String json, String... headers) {
        return app.send(HttpRequest.newBuilder(app.uri("/api/schedule/exceptions"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)), headers);
    }

    @Test
    void nextRecordingHasTheOriginalFieldsAndTwoWeeksOfWindows() {
        JsonNode next = json(app.get("/api/schedule/next"));
        assertThat(next.path("formatted_message").asText()).startsWith("Die Aufnahme startet automatisch ").endsWith(" Uhr");
        assertThat(next.path("time_str").asText()).isEqualTo("19:50");
        // which night comes next depends on the hour the test runs and on the nights the other test closed
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneId.of("Europe/Berlin"));
        java.time.LocalDate night = java.time.LocalDateTime.parse(next.path("next_recording_time").asText()).toLocalDate();
        long days = java.time.temporal.ChronoUnit.DAYS.between(today, night);
        assertThat(next.path("days_until").asLong()).isEqualTo(days);
        assertThat(days).as("shows every night; at most the one closed night is skipped").isBetween(0L, 2L);
        assertThat(next.path("day_description").asText()).isEqualTo(days == 0 ? "heute" : days == 1 ? "morgen"
                : night.getDayOfWeek().getDisplayName(java.time.format.TextStyle.FULL, java.util.Locale.GERMAN));
        int closed = json(app.get("/api/schedule/exceptions")).path("closed_dates").size();
        assertThat(next.path("windows").size() + closed).as("every night for 14 days, less closed ones").isBetween(14, 15);
        assertThat(next.has("days_until") && next.has("hours_until") && next.has("minutes_until") && next.has("weekday")).isTrue();
    }

    @Test
    void exceptionsAreValidatedNeedTheAdminAndTakeEffect() {
        assertThat(put("{\"closed_dates\":[],\"extra_shows\":[]}").statusCode()).isEqualTo(401);
        for (String bad : new String[] {
                "{\"closed_dates\":[\"2025-13-40\"],\"extra_shows\":[]}",
                "{\"closed_dates\":[\"tomorrow\"],\"extra_shows\":[]}",
                "{\"closed_dates\":[\"2030-01-01\",\"2030-01-01\"],\"extra_shows\":[]}",
                "{\"closed_dates\":[],\"extra_shows\":[{\"date\":\"2030-01-01\",\"start_time\":\"25:00\",\"end_time\":\"23:00\"}]}",
                "{\"closed_dates\":[],\"extra_shows\":[{\"date\":\"2030-01-01\",\"start_time\":\"20:00\",\"end_time\":\"20:00\"}]}",
                "{\"closed_dates\":[],\"extra_shows\":[{\"date\":\"2030-01-01\",\"start_time\":\"20:00\"}]}"}) {
            HttpResponse<String> r = put(bad, TestApp.admin());
            assertThat(r.statusCode()).as(bad + " → " + r.body()).isEqualTo(422);
            assertThat(json(r).path("detail").asText()).isNotEmpty();
        }
        assertThat(app.home.resolve("schedule-exceptions.json")).as("nothing persisted by refusals").doesNotExist();

        String tomorrow = java.time.LocalDate.now(java.time.ZoneId.of("Europe/Berlin")).plusDays(1).toString();
        HttpResponse<String> ok = put("{\"closed_dates\":[\"" + tomorrow + "\"],\"extra_shows\":"
                + "[{\"date\":\"2030-01-01\",\"start_time\":\"20:00\",\"end_time\":\"01:30\"}]}", TestApp.admin());
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(json(app.get("/api/schedule/exceptions")).path("closed_dates").get(0).asText()).isEqualTo(tomorrow);
        assertThat(app.home.resolve("schedule-exceptions.json")).exists();
        JsonNode windows = json(app.get("/api/schedule/next")).path("windows");
        for (JsonNode w : windows) {
            assertThat(w.path("start").asText()).as("the closed night has no window").doesNotStartWith(tomorrow);
        }
    }
}
