package de.scheincam.schedule;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WeeklyScheduleTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final Set<DayOfWeek> WED_TO_SUN = ScheduleSettings.weekdays("2,3,4,5,6");

    private static Instant at(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(BERLIN).toInstant();
    }

    private static WeeklySchedule schedule(String start, String end, ScheduleExceptions exceptions) {
        return new WeeklySchedule(LocalTime.parse(start), LocalTime.parse(end), WED_TO_SUN, BERLIN, exceptions);
    }

    @Test
    void theDefaultWindowIsWednesdayToSundayEvenings() {
        WeeklySchedule s = schedule("19:50", "22:10", ScheduleExceptions.NONE);
        // 2025-01-22 is a Wednesday
        assertThat(s.current(at("2025-01-22T20:00:00"))).isPresent();
        assertThat(s.current(at("2025-01-22T19:49:59"))).isEmpty();
        assertThat(s.current(at("2025-01-22T22:10:00"))).as("end is exclusive").isEmpty();
        assertThat(s.current(at("2025-01-21T20:00:00"))).as("Tuesday").isEmpty();
        assertThat(s.next(at("2025-01-20T12:00:00")).orElseThrow().start().toLocalDateTime())
                .isEqualTo(LocalDateTime.parse("2025-01-22T19:50:00"));
        List<ShowWindow> week = s.windows(at("2025-01-20T00:00:00"), at("2025-01-27T00:00:00"));
        assertThat(week).hasSize(5);
    }

    @Test
    void aWindowMayCrossMidnight() {
        WeeklySchedule s = schedule("22:00", "01:00", ScheduleExceptions.NONE);
        // Sunday 22:00 → Monday 01:00 belongs to Sunday's show
        assertThat(s.current(at("2025-01-27T00:30:00"))).isPresent();
        assertThat(s.current(at("2025-01-27T00:30:00")).orElseThrow().start().toLocalDate())
                .isEqualTo(LocalDate.parse("2025-01-26"));
        assertThat(s.current(at("2025-01-28T00:30:00"))).as("Monday night: no show").isEmpty();
        assertThat(ScheduleSettings.cron(LocalTime.parse("01:00"), ScheduleSettings.endDays(
                LocalTime.parse("22:00"), LocalTime.parse("01:00"), WED_TO_SUN))).isEqualTo("0 0 1 ? * MON,THU,FRI,SAT,SUN");
    }

    @Test
    void closedNightsAndExtraShows() {
        ScheduleExceptions exceptions = new ScheduleExceptions(List.of(LocalDate.parse("2025-01-22")),
                List.of(new ScheduleExceptions.ExtraShow(LocalDate.parse("2025-01-21"), LocalTime.parse("18:00"), LocalTime.parse("20:00"))));
        WeeklySchedule s = schedule("19:50", "22:10", exceptions);
        assertThat(s.current(at("2025-01-22T20:00:00"))).as("closed Wednesday").isEmpty();
        assertThat(s.current(at("2025-01-21T19:00:00")).orElseThrow().extra()).as("extra Tuesday").isTrue();
        assertThat(s.next(at("2025-01-21T21:00:00")).orElseThrow().start().toLocalDate())
                .as("the closed Wednesday is skipped").isEqualTo(LocalDate.parse("2025-01-23"));
    }

    @Test
    void springForwardShortensTheNightAndShiftsAWindowStartingInTheGap() {
        // 30 March 2025 (Sunday): 02:00 CET jumps to 03:00 CEST
        WeeklySchedule late = schedule("01:00", "04:00", ScheduleExceptions.NONE);
        ShowWindow w = late.current(at("2025-03-30T01:30:00")).orElseThrow();
        assertThat(Duration.between(w.start(), w.end())).isEqualTo(Duration.ofHours(2));
        WeeklySchedule inGap = schedule("02:30", "05:00", ScheduleExceptions.NONE);
        ShowWindow shifted = inGap.windows(at("2025-03-30T00:00:00"), at("2025-03-30T12:00:00")).get(0);
        assertThat(shifted.start().toLocalTime()).as("documented: starts when the skipped hour ends").isEqualTo(LocalTime.parse("03:30"));
    }

    @Test
    void fallBackLengthensTheNight() {
        // 26 October 2025 (Sunday): 03:00 CEST falls back to 02:00 CET
        WeeklySchedule s = schedule("01:00", "04:00", ScheduleExceptions.NONE);
        ShowWindow w = s.current(at("2025-10-26T01:30:00")).orElseThrow();
        assertThat(Duration.between(w.start(), w.end())).isEqualTo(Duration.ofHours(4));
    }
}
