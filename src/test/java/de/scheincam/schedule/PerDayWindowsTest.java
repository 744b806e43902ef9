package de.scheincam.schedule;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;

import org.junit.jupiter.api.Test;
import org.quartz.CronExpression;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-weekday windows, several a day, and the next edge the Quartz trigger is aimed at, in Berlin
 * across both daylight-saving changes of 2025 (30 March: 02:00 CET → 03:00 CEST; 26 October: 03:00 CEST
 * → 02:00 CET).
 */
class PerDayWindowsTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final String VENUE = "Tu-Fr 19:50-22:10; Sa 19:50-22:15; Su 15:00-17:30, 19:50-22:10";

    private static Instant at(String local) {
        return LocalDateTime.parse(local).atZone(BERLIN).toInstant();
    }

    private static WeeklySchedule schedule(String windows) {
        return new WeeklySchedule(WeekWindows.parse(windows), BERLIN, ScheduleExceptions.NONE, List.of());
    }

    /** The next {@code n} edges after {@code from}, as the trigger would be aimed one after the other. */
    private static List<Instant> edges(WeeklySchedule s, Instant from, int n) {
        List<Instant> out = new ArrayList<>();
        Instant t = from;
        for (int i = 0; i < n; i++) {
            t = s.nextEdge(t).orElseThrow();
            out.add(t);
        }
        return out;
    }

    /** When Quartz fires the cron the trigger is armed with, asked just before the edge. */
    private static Instant quartzFires(Instant edge) throws ParseException {
        CronExpression cron = new CronExpression(ScheduleSettings.edgeCron(edge));
        cron.setTimeZone(TimeZone.getTimeZone("UTC"));
        return cron.getNextValidTimeAfter(Date.from(edge.minusSeconds(30))).toInstant();
    }

    @Test
    void aMatineeAndAnEveningOnOneDay() {
        WeeklySchedule s = schedule(VENUE);
        // Sunday 26 January 2025
        assertThat(s.current(at("2025-01-26T14:59:59"))).isEmpty();
        assertThat(s.current(at("2025-01-26T15:00:00"))).isPresent();
        assertThat(s.current(at("2025-01-26T17:30:00"))).as("between the shows").isEmpty();
        assertThat(s.current(at("2025-01-26T19:50:00"))).isPresent();
        assertThat(s.windows(at("2025-01-26T00:00:00"), at("2025-01-27T00:00:00"))).hasSize(2);
        assertThat(edges(s, at("2025-01-26T12:00:00"), 5)).containsExactly(at("2025-01-26T15:00:00"),
                at("2025-01-26T17:30:00"), at("2025-01-26T19:50:00"), at("2025-01-26T22:10:00"),
                at("2025-01-28T19:50:00"));
        assertThat(s.windows(at("2025-01-20T00:00:00"), at("2025-01-27T00:00:00"))).as("Tu-Fr, Sa, Su twice").hasSize(7);
    }

    @Test
    void aSaturdayThatEndsLater() {
        WeeklySchedule s = schedule(VENUE);
        assertThat(s.current(at("2025-01-24T22:12:00"))).as("Friday has ended").isEmpty();
        ShowWindow saturday = s.current(at("2025-01-25T22:12:00")).orElseThrow();
        assertThat(saturday.end().toLocalTime()).isEqualTo(LocalTime.parse("22:15"));
        assertThat(edges(s, at("2025-01-25T12:00:00"), 2)).containsExactly(at("2025-01-25T19:50:00"), at("2025-01-25T22:15:00"));
    }

    @Test
    void theMatineeFiresAtFifteenHundredVenueTimeOnBothSidesOfSpringForward() throws ParseException {
        WeeklySchedule s = schedule(VENUE);
        List<Instant> edges = edges(s, at("2025-03-23T12:00:00"), 8);
        assertThat(edges.subList(0, 2)).as("CET, UTC+1").containsExactly(Instant.parse("2025-03-23T14:00:00Z"),
                Instant.parse("2025-03-23T16:30:00Z"));
        // Tuesday to Saturday in between, then the Sunday of the change: CEST, UTC+2
        List<Instant> after = edges(s, at("2025-03-30T12:00:00"), 4);
        assertThat(after).containsExactly(Instant.parse("2025-03-30T13:00:00Z"), Instant.parse("2025-03-30T15:30:00Z"),
                Instant.parse("2025-03-30T17:50:00Z"), Instant.parse("2025-03-30T20:10:00Z"));
        assertThat(ScheduleSettings.edgeCron(after.get(0))).isEqualTo("0 0 13 30 3 ?");
        for (Instant edge : after) {
            assertThat(quartzFires(edge)).as("Quartz in UTC fires at the edge").isEqualTo(edge);
        }
        assertThat(after.get(0).atZone(BERLIN).toLocalTime()).isEqualTo(LocalTime.parse("15:00"));
    }

    @Test
    void theMatineeFiresAtFifteenHundredVenueTimeAfterFallBack() throws ParseException {
        WeeklySchedule s = schedule(VENUE);
        assertThat(edges(s, at("2025-10-19T12:00:00"), 1)).containsExactly(Instant.parse("2025-10-19T13:00:00Z"));
        List<Instant> after = edges(s, at("2025-10-26T12:00:00"), 2);
        assertThat(after).containsExactly(Instant.parse("2025-10-26T14:00:00Z"), Instant.parse("2025-10-26T16:30:00Z"));
        assertThat(quartzFires(after.get(0))).isEqualTo(after.get(0));
    }

    @Test
    void aWindowAtTwoThirtyOnTheSpringForwardNight() {
        // 02:30 does not exist on 30 March 2025: it moves on by the skipped hour, to 03:30 CEST
        WeeklySchedule s = schedule("Su 02:30-04:00");
        ShowWindow w = s.windows(at("2025-03-30T00:00:00"), at("2025-03-30T12:00:00")).get(0);
        assertThat(w.start().toInstant()).isEqualTo(Instant.parse("2025-03-30T01:30:00Z"));
        assertThat(w.end().toInstant()).isEqualTo(Instant.parse("2025-03-30T02:00:00Z"));
        assertThat(edges(s, at("2025-03-30T00:00:00"), 2)).containsExactly(Instant.parse("2025-03-30T01:30:00Z"),
                Instant.parse("2025-03-30T02:00:00Z"));
        // a window that so ends before it starts is not recorded that night; the week after it is
        WeeklySchedule lost = schedule("Su 02:30-03:15");
        assertThat(lost.windows(at("2025-03-30T00:00:00"), at("2025-03-30T12:00:00"))).isEmpty();
        assertThat(lost.next(at("2025-03-30T00:00:00")).orElseThrow().start().toLocalDate()).isEqualTo(LocalDate.parse("2025-04-06"));
        // a window over midnight into the change is an hour shorter in real time
        WeeklySchedule late = schedule("Sa 23:00-04:00");
        ShowWindow night = late.current(at("2025-03-30T01:30:00")).orElseThrow();
        assertThat(Duration.between(night.start(), night.end())).isEqualTo(Duration.ofHours(4));
    }

    @Test
    void theRepeatedHourOnTheFallBackNightMeansItsFirstOccurrence() {
        WeeklySchedule s = schedule("Su 02:30-03:30");
        ShowWindow w = s.windows(at("2025-10-26T00:00:00"), at("2025-10-26T12:00:00")).get(0);
        assertThat(w.start().toInstant()).as("02:30 CEST").isEqualTo(Instant.parse("2025-10-26T00:30:00Z"));
        assertThat(w.end().toInstant()).as("03:30 CET").isEqualTo(Instant.parse("2025-10-26T02:30:00Z"));
        assertThat(s.current(Instant.parse("2025-10-26T01:15:00Z"))).as("the second 02:15 is inside").isPresent();
        // a Saturday show that ends at 02:30 ends at the first 02:30
        WeeklySchedule late = schedule("Sa 23:00-02:30");
        assertThat(edges(late, at("2025-10-25T12:00:00"), 2)).containsExactly(Instant.parse("2025-10-25T21:00:00Z"),
                Instant.parse("2025-10-26T00:30:00Z"));
        assertThat(ScheduleSettings.edgeCron(Instant.parse("2025-10-26T00:30:00Z"))).isEqualTo("0 30 0 26 10 ?");
    }

    @Test
    void closedNightsExtraShowsAndTheCalendarCombine() {
        ZonedDateTime start = LocalDateTime.parse("2025-01-24T20:00:00").atZone(BERLIN);
        List<ShowWindow> calendar = List.of(
                new ShowWindow(start, start.plusHours(3), ShowWindow.Source.CALENDAR, "Lange Nacht"),
                new ShowWindow(start.plusDays(1).minusHours(5), start.plusDays(1).minusHours(3), ShowWindow.Source.CALENDAR, "Kinder"),
                new ShowWindow(start.plusDays(6), start.plusDays(6).plusHours(2), ShowWindow.Source.CALENDAR, "Gastspiel"));
        ScheduleExceptions closed = new ScheduleExceptions(List.of(LocalDate.parse("2025-01-30")),
                List.of(new ScheduleExceptions.ExtraShow(LocalDate.parse("2025-01-27"), LocalTime.parse("18:00"), LocalTime.parse("19:00"))));
        WeeklySchedule s = new WeeklySchedule(WeekWindows.parse(VENUE), BERLIN, closed, calendar);
        // Friday: the calendar's show inside the weekly window makes one window, to the later end, with its title
        ShowWindow friday = s.current(at("2025-01-24T20:30:00")).orElseThrow();
        assertThat(friday.start().toLocalTime()).isEqualTo(LocalTime.parse("19:50"));
        assertThat(friday.end().toLocalTime()).isEqualTo(LocalTime.parse("23:00"));
        assertThat(friday.title()).isEqualTo("Lange Nacht");
        ShowWindow saturdayAfternoon = s.current(at("2025-01-25T15:30:00")).orElseThrow();
        assertThat(saturdayAfternoon.source()).isEqualTo(ShowWindow.Source.CALENDAR);
        assertThat(saturdayAfternoon.title()).isEqualTo("Kinder");
        assertThat(s.current(at("2025-01-27T18:30:00")).orElseThrow().extra()).as("extra Monday").isTrue();
        assertThat(s.current(at("2025-01-30T20:30:00"))).as("closed Thursday: the calendar's show too").isEmpty();
    }
}
