package de.scheincam.schedule;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import de.scheincam.library.ShowClock;

/**
 * Reads the schedule settings as operators write them: times {@code HH:MM[:SS]}, weekdays as numbers
 * 0 = Monday … 6 = Sunday (as the original API), and turns them into Quartz cron expressions for the
 * window edges.
 */
public final class ScheduleSettings {

    private ScheduleSettings() {
    }

    public static LocalTime time(String field, String value) {
        return ShowClock.parse(field, value);
    }

    public static Set<DayOfWeek> weekdays(String value) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String part : value.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int n;
            try {
                n = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("weekdays: '" + p + "' is not a number 0–6");
            }
            if (n < 0 || n > 6 || !days.add(DayOfWeek.of(n + 1))) {
                throw new IllegalArgumentException("weekdays: each of 0 (Monday) … 6 (Sunday) at most once");
            }
        }
        return days;
    }

    /** Quartz cron for a time on the given days, e.g. "0 50 19 ? * WED,THU,FRI,SAT,SUN". */
    public static String cron(LocalTime time, Set<DayOfWeek> days) {
        if (days.isEmpty()) {
            return NEVER;
        }
        String dayList = days.stream().sorted()
                .map(d -> d.name().substring(0, 3).toUpperCase(Locale.ROOT))
                .collect(Collectors.joining(","));
        return time.getSecond() + " " + time.getMinute() + " " + time.getHour() + " ? * " + dayList;
    }

    /** The cron that fires in Quartz's "never" (2099): for a schedule with no window ahead. */
    public static final String NEVER = "0 0 0 1 1 ? 2099";

    /**
     * Quartz cron for one instant, written in UTC (the trigger runs in UTC) so the autumn's repeated
     * hour is never ambiguous, e.g. "0 50 18 24 1 ?" for 2025-01-24 19:50 in Berlin. No year: should the
     * instant pass before the trigger is armed, it waits a year instead of failing, and the next
     * reconciler tick aims it anew. Null: never.
     */
    public static String edgeCron(java.time.Instant edge) {
        if (edge == null) {
            return NEVER;
        }
        java.time.ZonedDateTime t = edge.atZone(java.time.ZoneOffset.UTC);
        return t.getSecond() + " " + t.getMinute() + " " + t.getHour() + " " + t.getDayOfMonth() + " " + t.getMonthValue() + " ?";
    }

    /** The days a window ends on: the next day when it crosses midnight. */
    public static Set<DayOfWeek> endDays(LocalTime start, LocalTime end, Set<DayOfWeek> days) {
        if (end.isAfter(start)) {
            return days;
        }
        Set<DayOfWeek> shifted = EnumSet.noneOf(DayOfWeek.class);
        days.forEach(d -> shifted.add(d.plus(1)));
        return shifted;
    }
}
