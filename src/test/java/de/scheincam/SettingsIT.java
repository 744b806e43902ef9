package de.scheincam;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.scheincam.schedule.ScheduleSettings;
import de.scheincam.schedule.ScheduleTriggers;
import de.scheincam.testing.FakeObs;
import de.scheincam.testing.Media;
import de.scheincam.testing.TestApp;
import org.junit.jupiter.api.Test;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The settings API: validated per field, in effect at once, saved and reloaded, password never shown. */
class SettingsIT {

    private static HttpResponse<String> put(TestApp app, String body, String... headers) {
        return app.send(HttpRequest.newBuilder(app.uri("/api/settings")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)), headers);
    }

    /** The first 20:30 or 23:45 (Berlin) on one of {@code days} after now. */
    private static java.time.Instant nextEdge(java.time.DayOfWeek... days) {
        java.time.ZoneId berlin = java.time.ZoneId.of("Europe/Berlin");
        java.time.Instant now = java.time.Instant.now();
        return java.util.stream.Stream.iterate(java.time.LocalDate.now(berlin), d -> d.plusDays(1)).limit(9)
                .filter(d -> java.util.List.of(days).contains(d.getDayOfWeek()))
                .flatMap(d -> java.util.stream.Stream.of(d.atTime(20, 30), d.atTime(23, 45)))
                .map(t -> t.atZone(berlin).toInstant())
                .filter(t -> t.isAfter(now))
                .min(java.util.Comparator.naturalOrder()).orElseThrow();
    }

    @Test
    void settingsAreValidatedAppliedSavedAndReloaded() throws Exception {
        Path home = TestApp.newHome();
        try (FakeObs first = new FakeObs("pw-one", home.resolve("videos"), Media.cached("a.mkv", 20));
             FakeObs second = new FakeObs("pw-two", home.resolve("videos"), Media.cached("a.mkv", 20))) {
            try (TestApp app = TestApp.start(home, Map.of("scheincam.obs.port", String.valueOf(first.port()),
                    "scheincam.obs.password", "pw-one", "scheincam.obs.reconnect-initial-millis", "100"))) {
                await().atMost(Duration.ofSeconds(10)).until(() -> json(app.get("/api/recordings/status")).path("connected").asBoolean());
                assertThat(app.get("/api/settings").statusCode()).isEqualTo(401);
                HttpResponse<String> got = app.get("/api/settings", TestApp.admin());
                JsonNode before = json(got);
                assertThat(before.path("start_time").asText()).isEqualTo("19:50");
                assertThat(before.path("weekdays").toString()).isEqualTo("[2,3,4,5,6]");
                assertThat(before.path("obs_password_set").asBoolean()).isTrue();
                assertThat(got.body()).doesNotContain("pw-one");

                String[][] bad = {
                        {"{\"start_time\":\"25:00\"}", "start_time"},
                        {"{\"weekdays\":[1,1]}", "weekdays"},
                        {"{\"weekdays\":[7]}", "weekdays"},
                        {"{\"delete_age_days\":0}", "delete_age_days"},
                        {"{\"obs_port\":70000}", "obs_port"},
                        {"{\"obs_port\":\"4455\"}", "obs_port"},
                        {"{\"start_time\":\"20:00\",\"end_time\":\"20:00\"}", "end_time"},
                        {"{\"colour\":\"red\"}", "colour"},
                        {"{\"shutdown_time\":\"24:00\"}", "shutdown_time"},
                        {"{}", ""}};
                for (String[] b : bad) {
                    HttpResponse<String> r = put(app, b[0], TestApp.admin());
                    assertThat(r.statusCode()).as(b[0] + " → " + r.body()).isEqualTo(422);
                    assertThat(json(r).path("detail").asText()).contains(b[1]);
                }
                assertThat(json(app.get("/api/settings", TestApp.admin()))).as("nothing changed").isEqualTo(before);
                assertThat(home.resolve("settings.properties")).doesNotExist();

                HttpResponse<String> changed = put(app, "{\"start_time\":\"20:30\",\"end_time\":\"23:45\","
                        + "\"weekdays\":[4,5],\"delete_age_days\":30,\"show_logo\":false}", TestApp.admin());
                assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
                assertThat(json(changed).path("start_time").asText()).isEqualTo("20:30");
                assertThat(first.logoFilterEnabled).as("logo hidden at once").isTrue();
                assertThat(json(app.get("/api/schedule/next")).path("time_str").asText()).isEqualTo("20:30");
                ScheduleTriggers triggers = app.camel().getRegistry().lookupByNameAndType("scheduleTriggers", ScheduleTriggers.class);
                // one Quartz trigger, aimed at the next opening or closing of the new windows (Fri/Sat 20:30, 23:45)
                assertThat(triggers.cron(ScheduleTriggers.EDGE)).as("re-aimed")
                        .isEqualTo(ScheduleSettings.edgeCron(nextEdge(java.time.DayOfWeek.FRIDAY, java.time.DayOfWeek.SATURDAY)));
                assertThat(json(put(app, "{\"shutdown_time\":\"23:55\"}", TestApp.admin())).path("shutdown_time").asText()).isEqualTo("23:55");
                assertThat(triggers.cron("shutdown")).isEqualTo("0 55 23 ? * MON,TUE,WED,THU,FRI,SAT,SUN");
                assertThat(json(app.get("/api/settings", TestApp.admin())).path("watchdog_interval_seconds").asInt()).isEqualTo(30);

                // saved: only what the operator set, not the OBS address and password the app was started with
                // (issue 15: a saved port silently overrode a later change in the environment)
                HttpResponse<String> savedFirst = app.post("/api/settings/save", "", TestApp.admin());
                assertThat(savedFirst.statusCode()).as(savedFirst.body()).isEqualTo(200);
                assertThat(json(savedFirst).path("settings").path("start_time").asText()).isEqualTo("20:30");
                java.util.Properties onDisk = de.scheincam.settings.VenueSettings.readSaved(home.resolve("settings.properties"));
                assertThat(onDisk.stringPropertyNames()).containsExactlyInAnyOrder("scheincam.schedule.start-time",
                        "scheincam.schedule.end-time", "scheincam.schedule.weekdays", "scheincam.retention.days",
                        "scheincam.obs.logo.visible", "scheincam.shutdown.time");
                assertThat(Files.readString(home.resolve("settings.properties"))).doesNotContain(String.valueOf(first.port()))
                        .doesNotContain("pw-one");

                // a new OBS address: reconnected there
                HttpResponse<String> moved = put(app, "{\"obs_port\":" + second.port() + ",\"obs_password\":\"pw-two\"}", TestApp.admin());
                assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(10)).until(() -> second.connections.get() > 0
                        && json(app.get("/api/recordings/status")).path("connected").asBoolean());

                HttpResponse<String> saved = app.post("/api/settings/save", "", TestApp.admin());
                assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
                Path file = home.resolve("settings.properties");
                assertThat(Files.readString(file)).contains("scheincam.schedule.start-time=20\\:30")
                        .contains("scheincam.obs.port=" + second.port());
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
                assertThat(saved.body()).doesNotContain("pw-two");

                // edited on disk, then reloaded
                Files.writeString(file, Files.readString(file).replace("scheincam.retention.days=30", "scheincam.retention.days=7"));
                HttpResponse<String> reloaded = app.post("/api/settings/reload", "", TestApp.admin());
                assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);
                assertThat(json(reloaded).path("delete_age_days").asInt()).isEqualTo(7);
            }
            // a restart keeps the saved settings
            try (TestApp again = TestApp.start(home, Map.of())) {
                JsonNode after = json(again.get("/api/settings", TestApp.admin()));
                assertThat(after.path("start_time").asText()).isEqualTo("20:30");
                assertThat(after.path("obs_port").asInt()).isEqualTo(second.port());
                await().atMost(Duration.ofSeconds(10)).until(() -> json(again.get("/api/recordings/status")).path("connected").asBoolean());
            }
        }
    }
}
