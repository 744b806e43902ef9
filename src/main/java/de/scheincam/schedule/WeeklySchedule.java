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
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The venue's recording windows: the weekly windows (per weekday, several a day), minus closed
 * nights, plus extra shows and the shows of the programme calendar. Pure calculation on zoned times,
 * so daylight saving is handled by java.time:
 * <ul>
 * <li>spring forward: a start or end in the skipped hour moves by the length of the gap (02:30 becomes
 * 03:30), and a window that then ends before it starts (it lay in the skipped hour) is not recorded;
 * a window across the change is an hour shorter in real time;</li>
 * <li>fall back: a time in the repeated hour means its first occurrence (summer time), and a window
 * across the change is an hour longer in real time.</li>
 * </ul>
 * Overlapping windows (a calendar show inside a weekly window, say) are merged into one, so a show
 * is one recording.
 */
public final class WeeklySchedule {

    private final WeekWindows week;
    private final ZoneId zone;
    private final ScheduleExceptions exceptions;
    private final List<ShowWindow> calendar;

    public WeeklySchedule(WeekWindows week, ZoneId zone, ScheduleExceptions exceptions, List<ShowWindow> calendar) {
        this.week = Objects.requireNonNull(week);
        this.zone = zone;
        this.exceptions = exceptions;
        this.calendar = List.copyOf(calendar);
    }

    /** The same window on every chosen weekday (scheincam.schedule.start-time/end-time/weekdays). */
    public WeeklySchedule(LocalTime start, LocalTime end, Set<DayOfWeek> days, ZoneId zone, ScheduleExceptions exceptions) {
        this(WeekWindows.every(days, start, end), zone, exceptions, List.of());
    }

    public WeekWindows week() {
        return week;
    }

    public ZoneId zone() {
        return zone;
    }

    public ScheduleExceptions exceptions() {
        return exceptions;
    }

    /** The shows read from the programme calendar (all of them, closed nights not yet applied). */
    public List<ShowWindow> calendar() {
        return calendar;
    }

    public WeeklySchedule with(ScheduleExceptions newExceptions) {
        return new WeeklySchedule(week, zone, newExceptions, calendar);
    }

    public WeeklySchedule with(WeekWindows newWeek) {
        return new WeeklySchedule(newWeek, zone, exceptions, calendar);
    }

    public WeeklySchedule withCalendar(List<ShowWindow> shows) {
        return new WeeklySchedule(week, zone, exceptions, shows);
    }

    /** Windows that overlap [from, to), in order, overlapping ones merged. */
    public List<ShowWindow> windows(Instant from, Instant to) {
        List<ShowWindow> found = new ArrayList<>();
        // a window may have started the day before `from` and still be open
        LocalDate first = from.atZone(zone).toLocalDate().minusDays(1);
        LocalDate last = to.atZone(zone).toLocalDate();
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            if (!exceptions.closedDates().contains(d)) {
                for (WeekWindows.Daily daily : week.on(d.getDayOfWeek())) {
                    window(d, daily.start(), daily.end(), ShowWindow.Source.WEEKLY).ifPresent(found::add);
                }
            }
        }
        for (ShowWindow show : calendar) {
            if (!exceptions.closedDates().contains(show.start().withZoneSameInstant(zone).toLocalDate())) {
                found.add(show);
            }
        }
        for (ScheduleExceptions.ExtraShow extra : exceptions.extraShows()) {
            window(extra.date(), extra.startTime(), extra.endTime(), ShowWindow.Source.EXTRA).ifPresent(found::add);
        }
        found.sort(Comparator.comparing((ShowWindow w) -> w.start().toInstant()));
        List<ShowWindow> merged = new ArrayList<>();
        for (ShowWindow w : found) {
            ShowWindow lastOne = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (lastOne != null && w.start().toInstant().isBefore(lastOne.end().toInstant())) {
                ZonedDateTime end = w.end().isAfter(lastOne.end()) ? w.end() : lastOne.end();
                merged.set(merged.size() - 1, new ShowWindow(lastOne.start(), end, lastOne.source(),
                        lastOne.title() != null ? lastOne.title() : w.title()));
            } else {
                merged.add(w);
            }
        }
        return merged.stream()
                .filter(w -> w.end().toInstant().isAfter(from) && w.start().toInstant().isBefore(to))
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

    /**
     * The next instant after {@code now} at which a window opens or closes (within a year): where the
     * Quartz edge trigger is aimed, so the reconciler is woken exactly then.
     */
    public Optional<Instant> nextEdge(Instant now) {
        for (Duration ahead : List.of(Duration.ofDays(8), Duration.ofDays(366))) {
            Optional<Instant> edge = windows(now, now.plus(ahead)).stream()
                    .flatMap(w -> java.util.stream.Stream.of(w.start().toInstant(), w.end().toInstant()))
                    .filter(t -> t.isAfter(now))
                    .min(Comparator.naturalOrder());
            if (edge.isPresent()) {
                return edge;
            }
        }
        return Optional.empty();
    }

    private Optional<ShowWindow> window(LocalDate date, LocalTime from, LocalTime to, ShowWindow.Source source) {
        ZonedDateTime s = ZonedDateTime.of(date, from, zone);
        ZonedDateTime e = ZonedDateTime.of(to.isAfter(from) ? date : date.plusDays(1), to, zone);
        // in spring a window inside the skipped hour ends (shifted) before it starts: there is none that night
        return e.isAfter(s) ? Optional.of(new ShowWindow(s, e, source, null)) : Optional.empty();
    }
}
