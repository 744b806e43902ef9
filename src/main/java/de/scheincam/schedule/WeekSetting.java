package de.scheincam.schedule;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.Set;

/**
 * The weekly schedule as the operator set it: scheincam.schedule.windows, or, while that is empty, the
 * one window start-time–end-time on the chosen weekdays (the settings from before per-day windows,
 * which keep working unchanged).
 */
public record WeekSetting(LocalTime start, LocalTime end, Set<DayOfWeek> weekdays, WeekWindows windows) {

    public WeekSetting {
        if (start.equals(end)) {
            throw new IllegalArgumentException("a window needs different start and end times");
        }
        weekdays = Set.copyOf(weekdays);
    }

    /** True when scheincam.schedule.windows is set and so wins over start-time/end-time/weekdays. */
    public boolean perDay() {
        return !windows.isEmpty();
    }

    /** The windows the scheduler keeps. */
    public WeekWindows effective() {
        return perDay() ? windows : WeekWindows.every(weekdays, start, end);
    }
}
