package de.scheincam;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import de.scheincam.schedule.WeekWindows;
import de.scheincam.testing.FakeObs;
import de.scheincam.testing.Media;
import de.scheincam.testing.TestApp;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.Test;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Per-day windows in the running app: set by one API call, started and stopped by the Quartz edge
 * trigger at the windows' instants (the reconciler's timer is slowed to ten minutes, so nothing else
 * could); the programme calendar read from a loopback HTTP server and from a file; the recordings feed
 * read back by ical4j as the same windows.
 */
class ScheduleWindowsIT {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter ICS = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");

    /** A show in the test's programme calendar. */
    private record Show(ZonedDateTime start, ZonedDateTime end, String title) {
    }

    @Test
    void twoWindowsSetForTodayStartAndStopRecordingsAtTheirEdges() throws Exception {
        Path home = TestApp.newHome();
        try (FakeObs obs = new FakeObs("pw", home.resolve("videos"), Media.cached("a.mkv", 20));
             TestApp app = TestApp.start(home, Map.of(
                     "scheincam.obs.port", String.valueOf(obs.port()),
                     "scheincam.obs.password", "pw",
                     "scheincam.obs.reconnect-initial-millis", "100",
                     "scheincam.recording.confirm-millis", "1500",
                     "scheincam.schedule.enabled", "true",
                     "scheincam.schedule.weekdays", "",
                     // only the edge trigger can wake the reconciler in time
                     "scheincam.schedule.reconcile-millis", "600000"))) {
            await().atMost(Duration.ofSeconds(15)).until(() -> json(app.get("/api/recordings/status")).path("connected").asBoolean());
            // the windows are today's: not across midnight
            await().atMost(Duration.ofSeconds(60)).until(() -> LocalTime.now(BERLIN).isBefore(LocalTime.of(23, 59, 0)));
            ZonedDateTime now = ZonedDateTime.now(BERLIN).truncatedTo(ChronoUnit.SECONDS);
            ZonedDateTime[] edges = {now.plusSeconds(6), now.plusSeconds(14), now.plusSeconds(22), now.plusSeconds(30)};
            String day = WeekWindows.name(now.getDayOfWeek());
            String windows = day + " " + HMS.format(edges[0]) + "-" + HMS.format(edges[1]) + ", "
                    + HMS.format(edges[2]) + "-" + HMS.format(edges[3]);

            HttpResponse<String> set = app.send("PUT", "/api/settings", "{\"windows\":\"" + windows + "\"}",
                    "Content-Type", "application/json", "Authorization", "Bearer " + TestApp.ADMIN_TOKEN);
            assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
            // written back in the settings' own form: a time on the full minute without its ":00"
            String written = windows.replaceAll("(\\d\\d:\\d\\d):00(?!\\d)", "$1");
            assertThat(json(set).path("windows").asText()).isEqualTo(written);
            JsonNode today = json(set).path("week").get(now.getDayOfWeek().getValue() - 1);
            assertThat(today.path("day").asText()).isEqualTo(day);
            assertThat(today.path("windows")).hasSize(2);
            assertThat(json(set).path("start_time").asText()).as("the old fields stay as they were").isEqualTo("19:50");
            JsonNode next = json(app.get("/api/schedule/next"));
            assertThat(LocalDateTime.parse(next.path("next_recording_time").asText())).isEqualTo(edges[0].toLocalDateTime());
            assertThat(next.path("week").get(now.getDayOfWeek().getValue() - 1).path("windows")).hasSize(2);

            List<Instant> seen = new ArrayList<>();
            boolean recording = false;
            for (ZonedDateTime edge : edges) {
                boolean expect = !recording;
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> obs.recording == expect);
                seen.add(Instant.now());
                recording = expect;
            }
            for (int i = 0; i < edges.length; i++) {
                Duration late = Duration.between(edges[i].toInstant(), seen.get(i));
                assertThat(late).as("edge " + i + " acted on at its instant (" + edges[i] + ", seen " + seen.get(i) + ")")
                        .isBetween(Duration.ZERO, Duration.ofMillis(1500));
            }
            assertThat(obs.count("StartRecord")).isEqualTo(2);
            assertThat(obs.count("StopRecord")).isEqualTo(2);
            await().atMost(Duration.ofSeconds(10)).until(() -> json(app.get("/api/videos")).path("total").asInt() == 2);

            // back to one window for every weekday: the windows field empties, the old ones are in effect again
            HttpResponse<String> back = app.send("PUT", "/api/settings", "{\"windows\":\"\",\"weekdays\":[0,1,2,3,4,5,6]}",
                    "Content-Type", "application/json", "Authorization", "Bearer " + TestApp.ADMIN_TOKEN);
            assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
            assertThat(json(back).path("windows").asText()).isEmpty();
            assertThat(json(app.get("/api/schedule/next")).path("time_str").asText()).isEqualTo("19:50");
        }
    }

    @Test
    void perDayWindowsAreCheckedAndKeepTheOldFieldsFromDoingNothing() {
        try (TestApp app = TestApp.start(Map.of("scheincam.schedule.windows", "Tu-Fr 19:50-22:10; Sa 19:50-22:15"))) {
            String[] admin = {"Content-Type", "application/json", "Authorization", "Bearer " + TestApp.ADMIN_TOKEN};
            JsonNode settings = json(app.get("/api/settings", TestApp.admin()));
            assertThat(settings.path("windows").asText()).isEqualTo("Tu-Fr 19:50-22:10; Sa 19:50-22:15");
            assertThat(settings.path("week").get(5).path("windows").get(0).path("end_time").asText()).isEqualTo("22:15");
            for (String[] bad : new String[][] {
                    {"{\"windows\":\"Sa 19:50\"}", "windows"},
                    {"{\"windows\":\"Sa 19:50-22:10; Sa 20:00-21:00\"}", "named twice"},
                    {"{\"windows\":42}", "windows"},
                    {"{\"end_time\":\"22:30\"}", "end_time"}}) {
                HttpResponse<String> r = app.send("PUT", "/api/settings", bad[0], admin);
                assertThat(r.statusCode()).as(bad[0] + " → " + r.body()).isEqualTo(422);
                assertThat(json(r).path("detail").asText()).contains(bad[1]);
            }
            // changing Saturday's end time: one call
            HttpResponse<String> later = app.send("PUT", "/api/settings", "{\"windows\":\"Tu-Fr 19:50-22:10; Sa 19:50-22:30\"}", admin);
            assertThat(later.statusCode()).as(later.body()).isEqualTo(200);
            assertThat(json(later).path("week").get(5).path("windows").get(0).path("end_time").asText()).isEqualTo("22:30");
            HttpResponse<String> saved = app.post("/api/settings/save", "", TestApp.admin());
            assertThat(saved.statusCode()).isEqualTo(200);
            assertThat(app.home.resolve("settings.properties")).content()
                    .contains("scheincam.schedule.windows=Tu-Fr 19\\:50-22\\:10; Sa 19\\:50-22\\:30");
        }
    }

    @Test
    void theProgrammeCalendarFromALoopbackServerAndTheFeedReadBackAsTheSameWindows() throws Exception {
        LocalDate today = LocalDate.now(BERLIN);
        List<Show> shows = List.of(
                new Show(today.plusDays(1).atTime(19, 30).atZone(BERLIN), today.plusDays(1).atTime(22, 0).atZone(BERLIN),
                        "Varieté-Nacht: Zauberei, Akrobatik; Musik"),
                new Show(today.plusDays(2).atTime(15, 0).atZone(BERLIN), today.plusDays(2).atTime(16, 30).atZone(BERLIN), "Kindertheater"),
                new Show(today.plusDays(9).atTime(15, 0).atZone(BERLIN), today.plusDays(9).atTime(16, 30).atZone(BERLIN), "Kindertheater"));
        AtomicBoolean failing = new AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/programme.ics", exchange -> {
            reads.incrementAndGet();
            byte[] body = (failing.get() ? "down for maintenance" : programme(shows)).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/calendar; charset=utf-8");
            exchange.sendResponseHeaders(failing.get() ? 503 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        Path home = TestApp.newHome();
        Map<String, String> settings = Map.of(
                "scheincam.schedule.weekdays", "",
                "scheincam.schedule.ics-url", "http://127.0.0.1:" + server.getAddress().getPort() + "/programme.ics",
                "scheincam.schedule.ics-refresh-millis", "500");
        try (TestApp app = TestApp.start(home, settings)) {
            await().atMost(Duration.ofSeconds(15)).until(() -> json(app.get("/api/schedule/next")).path("windows").size() == 3);
            JsonNode windows = json(app.get("/api/schedule/next")).path("windows");
            for (int i = 0; i < shows.size(); i++) {
                assertThat(LocalDateTime.parse(windows.get(i).path("start").asText())).isEqualTo(shows.get(i).start().toLocalDateTime());
                assertThat(LocalDateTime.parse(windows.get(i).path("end").asText())).isEqualTo(shows.get(i).end().toLocalDateTime());
                assertThat(windows.get(i).path("title").asText()).isEqualTo(shows.get(i).title());
                assertThat(windows.get(i).path("source").asText()).isEqualTo("calendar");
                assertThat(windows.get(i).path("extra").asBoolean()).isFalse();
            }

            HttpResponse<String> feed = app.get("/api/schedule/calendar.ics");
            assertThat(feed.statusCode()).as(feed.body()).isEqualTo(200);
            assertThat(feed.headers().firstValue("Content-Type").orElse("")).startsWith("text/calendar");
            assertThat(feed(feed.body())).as("the feed read back: the same windows").containsExactlyElementsOf(shows);

            // the calendar goes down: one alert, the shows read before stay
            failing.set(true);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    json(app.get("/api/recordings/status")).path("alerts").toString().contains("calendar-failed"));
            int readsAtAlert = reads.get();
            await().atMost(Duration.ofSeconds(10)).until(() -> reads.get() >= readsAtAlert + 3);
            String alerts = json(app.get("/api/recordings/status")).path("alerts").toString();
            assertThat(alerts.split("calendar-failed", -1)).as("alerted once, not at every refresh: " + alerts).hasSize(2);
            assertThat(alerts).contains("keeps 3 shows read before");
            assertThat(json(app.get("/api/schedule/next")).path("windows")).hasSize(3);
            assertThat(feed(app.get("/api/schedule/calendar.ics").body())).containsExactlyElementsOf(shows);
            assertThat(home.resolve("schedule-calendar.ics")).as("the last good read is kept").content().contains("Kindertheater");
        }
        try (TestApp again = TestApp.start(home, settings)) {
            // restarted while the calendar is still down (say, the network is not up yet): the kept copy is read
            await().atMost(Duration.ofSeconds(15)).until(() -> json(again.get("/api/schedule/next")).path("windows").size() == 3);
            assertThat(feed(again.get("/api/schedule/calendar.ics").body())).containsExactlyElementsOf(shows);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    json(again.get("/api/recordings/status")).path("alerts").toString().contains("calendar-failed"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theProgrammeCalendarFromAFileBesideTheSettings() throws Exception {
        LocalDate today = LocalDate.now(BERLIN);
        Show show = new Show(today.plusDays(3).atTime(20, 0).atZone(BERLIN), today.plusDays(4).atTime(0, 30).atZone(BERLIN), "Mitternachtsshow");
        Path home = TestApp.newHome();
        Files.writeString(home.resolve("programme.ics"), programme(List.of(show)));
        try (TestApp app = TestApp.start(home, Map.of("scheincam.schedule.weekdays", "",
                "scheincam.schedule.ics-url", "programme.ics"))) {
            await().atMost(Duration.ofSeconds(15)).until(() -> json(app.get("/api/schedule/next")).path("windows").size() == 1);
            JsonNode w = json(app.get("/api/schedule/next")).path("windows").get(0);
            assertThat(w.path("title").asText()).isEqualTo("Mitternachtsshow");
            assertThat(LocalDateTime.parse(w.path("end").asText())).isEqualTo(show.end().toLocalDateTime());
            assertThat(feed(app.get("/api/schedule/calendar.ics").body())).containsExactly(show);
        }
    }

    @Test
    void theProgrammeCalendarSetByTheOperatorIsReadAtOnceSavedAndDroppedWhenUnset() throws Exception {
        LocalDate today = LocalDate.now(BERLIN);
        Show show = new Show(today.plusDays(2).atTime(19, 0).atZone(BERLIN), today.plusDays(2).atTime(21, 0).atZone(BERLIN), "Premiere");
        Path home = TestApp.newHome();
        Files.writeString(home.resolve("programme.ics"), programme(List.of(show)));
        // the calendar is read every 15 minutes by default: only the read a change starts can find it in time
        try (TestApp app = TestApp.start(home, Map.of("scheincam.schedule.weekdays", ""))) {
            assertThat(json(app.get("/api/settings", TestApp.admin())).path("ics_url").asText()).isEmpty();
            assertThat(json(app.get("/api/schedule/next")).path("windows")).isEmpty();
            HttpResponse<String> bad = app.send(HttpRequest.newBuilder(app.uri("/api/settings")).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"ics_url\":\"ftp://venue.example/p.ics\"}")), TestApp.admin());
            assertThat(bad.statusCode()).as(bad.body()).isEqualTo(422);
            assertThat(json(bad).path("detail").asText()).contains("ics_url");

            HttpResponse<String> set = app.send(HttpRequest.newBuilder(app.uri("/api/settings")).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"ics_url\":\"programme.ics\"}")), TestApp.admin());
            assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
            assertThat(json(set).path("ics_url").asText()).isEqualTo("programme.ics");
            await().atMost(Duration.ofSeconds(10)).until(() -> json(app.get("/api/schedule/next")).path("windows").size() == 1);
            assertThat(json(app.get("/api/schedule/next")).path("windows").get(0).path("title").asText()).isEqualTo("Premiere");

            assertThat(app.post("/api/settings/save", "", TestApp.admin()).statusCode()).isEqualTo(200);
            assertThat(de.scheincam.settings.VenueSettings.readSaved(home.resolve("settings.properties")))
                    .containsOnlyKeys("scheincam.schedule.ics-url").containsEntry("scheincam.schedule.ics-url", "programme.ics");

            HttpResponse<String> unset = app.send(HttpRequest.newBuilder(app.uri("/api/settings")).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"ics_url\":\"\"}")), TestApp.admin());
            assertThat(unset.statusCode()).as(unset.body()).isEqualTo(200);
            assertThat(json(app.get("/api/schedule/next")).path("windows")).as("no calendar, no calendar shows").isEmpty();
        }
        // the saved location is read at the next start
        try (TestApp again = TestApp.start(home, Map.of("scheincam.schedule.weekdays", ""))) {
            assertThat(json(again.get("/api/settings", TestApp.admin())).path("ics_url").asText()).isEqualTo("programme.ics");
            await().atMost(Duration.ofSeconds(15)).until(() -> json(again.get("/api/schedule/next")).path("windows").size() == 1);
        }
    }

    /** The shows as a venue's calendar program writes them: local times with a TZID, a past show, text escaped. */
    private static String programme(List<Show> shows) {
        StringBuilder ics = new StringBuilder("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test Venue//Programme//DE\r\n");
        ZonedDateTime past = ZonedDateTime.now(BERLIN).minusDays(2);
        List<Show> all = new ArrayList<>(shows);
        all.add(new Show(past, past.plusHours(2), "Vorgestern"));
        int n = 0;
        for (Show s : all) {
            ics.append("BEGIN:VEVENT\r\nUID:show-").append(n++).append("@venue\r\nDTSTAMP:20250101T000000Z\r\n")
                    .append("DTSTART;TZID=Europe/Berlin:").append(ICS.format(s.start())).append("\r\n")
                    .append("DTEND;TZID=Europe/Berlin:").append(ICS.format(s.end())).append("\r\n")
                    .append("SUMMARY:").append(s.title().replace(",", "\\,").replace(";", "\\;")).append("\r\n")
                    .append("END:VEVENT\r\n");
        }
        return ics.append("END:VCALENDAR\r\n").toString();
    }

    /** The feed's events parsed by ical4j, as shows in Berlin time. */
    private static List<Show> feed(String ics) throws IOException, net.fortuna.ical4j.data.ParserException {
        List<Show> out = new ArrayList<>();
        for (VEvent e : new CalendarBuilder().build(new StringReader(ics)).<VEvent>getComponents(Component.VEVENT)) {
            Instant start = Instant.from(e.getStartDate().orElseThrow().getDate());
            Instant end = Instant.from(e.getEndDate().orElseThrow().getDate());
            out.add(new Show(start.atZone(BERLIN), end.atZone(BERLIN), e.getProperty(Property.SUMMARY).orElseThrow().getValue()));
        }
        return out;
    }
}
