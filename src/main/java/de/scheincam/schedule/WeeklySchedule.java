package de.scheincam.schedule;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The venue's recording windows: the same times on chosen weekdays, minus closed nights, plus extra
 * shows. Pure calculation on zoned times, so daylight saving is handled by java.time: a window that
 * starts in the hour skipped in spring starts when that hour ends (02:30 becomes 03:30), and an
 * autumn night is an hour longer in real time.
 */
public final class WeeklySchedule {

    private final LocalTime start;
    private final LocalTime end;
    private final Set<DayOfWeek> days;
    private final ZoneId zone;
    private final ScheduleExceptions exceptions;

    public WeeklySchedule(LocalTime start, LocalTime end, Set<DayOfWeek> days, ZoneId zone, ScheduleExceptions exceptions) {
        if (start.equals(end)) {
            throw new IllegalArgumentException("a window needs different start and end times");
        }
        this.start = start;
        this.end = end;
        this.days = Set.copyOf(days);
        this.zone = zone;
        this.exceptions = exceptions;
    }

    public LocalTime start() {
        return start;
    }

    public LocalTime end() {
        return end;
    }

    public Set<DayOfWeek> days() {
        return days;
    }

    public ZoneId zone() {
        return zone;
    }

    public ScheduleExceptions exceptions() {
        return exceptions;
    }

    public WeeklySchedule with(ScheduleExceptions newExceptions) {
        return new WeeklySchedule(start, end, days, zone, newExceptions);
    }

    /** Windows that overlap [from, to), in order. */
    public List<ShowWindow> windows(Instant from, Instant to) {
        List<ShowWindow> found = new ArrayList<>();
        // a window may have started the day before `from` and still be open
        LocalDate first = from.atZone(zone).toLocalDate().minusDays(1);
        LocalDate last = to.atZone(zone).toLocalDate();
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            if (days.contains(d.getDayOfWeek()) && !exceptions.closedDates().contains(d)) {
                found.add(window(d, start, end, false));
            }
        }
        for (ScheduleExceptions.ExtraShow extra : exceptions.extraShows()) {
            found.add(window(extra.date(), extra.startTime(), extra.endTime(), true));
        }
        return found.stream()
                .filter(w -> w.end().toInstant().isAfter(from) && w.start().toInstant().isBefore(to))
                .sorted(Comparator.comparing(ShowWindow::start))
                .toList();
    }

    public Optional<ShowWindow> current(Instant now) {
        return windows(now, now.plusSeconds(1)).stream().filter(w -> w.contains(now)).findFirst();
    }

    /** The next window that starts after {@code now} (within a year). */
    public Optional<ShowWindow> next(Instant now) {
        return windows(now, now.plus(Duration.ofDays(366))).stream()
                .filter(w -> w.start().toInstant().isAfter(now))
                .findFirst();
    }

    private ShowWindow window(LocalDate date, LocalTime from, LocalTime to, boolean extra) {
        ZonedDateTime s = ZonedDateTime.of(date, from, zone);
        ZonedDateTime e = ZonedDateTime.of(to.isAfter(from) ? date : date.plusDays(1), to, zone);
        return new ShowWindow(s, e, extra);
    }
}
