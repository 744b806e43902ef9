package de.scheincam.schedule;

import java.io.StringReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The programme calendar read into windows, and the feed written from them read back the same. */
class ProgrammeCalendarTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** Wednesday 19 March 2025, noon in Berlin: the spring-forward Sunday is ahead. */
    private static final Clock NOW = Clock.fixed(LocalDateTime.parse("2025-03-19T12:00:00").atZone(BERLIN).toInstant(), ZoneOffset.UTC);

    static final String PROGRAMME = String.join("\r\n",
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Example Venue//Programme//DE",
            "BEGIN:VEVENT",
            "UID:past@venue",
            "DTSTAMP:20250101T000000Z",
            "DTSTART;TZID=Europe/Berlin:20250301T200000",
            "DTEND;TZID=Europe/Berlin:20250301T220000",
            "SUMMARY:Schon vorbei",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "UID:night@venue",
            "DTSTAMP:20250101T000000Z",
            "DTSTART;TZID=Europe/Berlin:20250321T193000",
            "DTEND;TZID=Europe/Berlin:20250321T230000",
            "SUMMARY:Varieté-Nacht: Zauberei\\, Akrobatik und ein sehr langer Titel\\, der gefaltet werden muss",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "UID:matinee@venue",
            "DTSTAMP:20250101T000000Z",
            "DTSTART;TZID=Europe/Berlin:20250323T150000",
            "DURATION:PT1H30M",
            "RRULE:FREQ=WEEKLY;BYDAY=SU;COUNT=3",
            "EXDATE;TZID=Europe/Berlin:20250406T150000",
            "SUMMARY:Kindertheater",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "UID:utc@venue",
            "DTSTAMP:20250101T000000Z",
            "DTSTART:20250322T180000Z",
            "DTEND:20250322T200000Z",
            "SUMMARY:Gastspiel",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "UID:floating@venue",
            "DTSTAMP:20250101T000000Z",
            "DTSTART:20250324T200000",
            "DTEND:20250324T210000",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "UID:allday@venue",
            "DTSTAMP:20250101T000000Z",
            "DTSTART;VALUE=DATE:20250325",
            "DTEND;VALUE=DATE:20250326",
            "SUMMARY:Betriebsausflug",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "UID:cancelled@venue",
            "DTSTAMP:20250101T000000Z",
            "DTSTART;TZID=Europe/Berlin:20250326T200000",
            "DTEND;TZID=Europe/Berlin:20250326T220000",
            "STATUS:CANCELLED",
            "SUMMARY:Abgesagt",
            "END:VEVENT",
            "END:VCALENDAR", "");

    private static Instant at(String local) {
        return LocalDateTime.parse(local).atZone(BERLIN).toInstant();
    }

    @Test
    void futureEventsBecomeWindowsWithTheirTitles() {
        List<ShowWindow> shows = new ProgrammeCalendar(BERLIN, NOW, Duration.ofDays(366)).shows(PROGRAMME);
        assertThat(shows).extracting(w -> w.start().toInstant()).containsExactly(
                at("2025-03-21T19:30:00"),
                Instant.parse("2025-03-22T18:00:00Z"),
                at("2025-03-23T15:00:00"),                 // CET
                at("2025-03-24T20:00:00"),                 // floating: the venue's time
                at("2025-03-30T15:00:00"));                // CEST; 6 April excluded (EXDATE), COUNT=3
        assertThat(shows).extracting(ShowWindow::title).containsExactly(
                "Varieté-Nacht: Zauberei, Akrobatik und ein sehr langer Titel, der gefaltet werden muss",
                "Gastspiel", "Kindertheater", null, "Kindertheater");
        assertThat(shows.get(4).end().toInstant()).isEqualTo(Instant.parse("2025-03-30T14:30:00Z"));
        assertThat(shows).allMatch(w -> w.source() == ShowWindow.Source.CALENDAR);
        assertThat(new ProgrammeCalendar(BERLIN, NOW, Duration.ofDays(4)).shows(PROGRAMME)).as("within the horizon").hasSize(2);
    }

    @Test
    void notACalendarIsRefused() {
        ProgrammeCalendar programme = new ProgrammeCalendar(BERLIN, NOW, Duration.ofDays(366));
        assertThatThrownBy(() -> programme.shows("<html>Not found</html>")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not iCalendar");
        assertThatThrownBy(() -> programme.shows("")).hasMessageContaining("empty");
    }

    @Test
    void theFeedReadsBackAsTheSameWindows() throws Exception {
        List<ShowWindow> imported = new ProgrammeCalendar(BERLIN, NOW, Duration.ofDays(366)).shows(PROGRAMME);
        WeeklySchedule schedule = new WeeklySchedule(WeekWindows.parse("Sa 19:50-22:15"), BERLIN, ScheduleExceptions.NONE, imported);
        List<ShowWindow> upcoming = schedule.windows(NOW.instant(), NOW.instant().plus(Duration.ofDays(56)));
        String ics = new RecordingFeed(NOW, "Test-Varieté", "Aufnahme").ics(upcoming);

        Calendar parsed = new CalendarBuilder().build(new StringReader(ics));
        List<VEvent> events = parsed.getComponents(Component.VEVENT);
        assertThat(events).hasSize(upcoming.size());
        assertThat(ics).contains("X-WR-CALNAME:Test-Varieté").contains("UID:").contains("DTSTAMP:");
        assertThat(ics.lines()).allMatch(l -> l.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 75);

        List<ShowWindow> back = new ProgrammeCalendar(BERLIN, NOW, Duration.ofDays(366)).shows(ics);
        assertThat(back).extracting(w -> w.start().toInstant()).containsExactlyElementsOf(
                upcoming.stream().map(w -> w.start().toInstant()).toList());
        assertThat(back).extracting(w -> w.end().toInstant()).containsExactlyElementsOf(
                upcoming.stream().map(w -> w.end().toInstant()).toList());
        assertThat(back).extracting(ShowWindow::title).containsExactlyElementsOf(
                upcoming.stream().map(w -> w.title() == null ? "Aufnahme" : w.title()).toList());
    }
}
