package de.scheincam.schedule;

import java.io.IOException;
import java.io.StringReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.data.ParserException;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Period;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the venue's programme calendar (iCalendar, RFC 5545): every VEVENT that has not ended yet and
 * starts within the horizon becomes a recording window, its SUMMARY the show's title. Recurring events
 * (RRULE, RDATE, EXDATE) are expanded by ical4j. Times with a TZID or in UTC are exact; floating times
 * are the venue's. All-day events (a date, no time), cancelled events and events without an end are
 * not shows to record and are skipped.
 */
public class ProgrammeCalendar {

    private static final Logger LOG = LoggerFactory.getLogger(ProgrammeCalendar.class);

    private final ZoneId zone;
    private final Clock clock;
    private final Duration horizon;
    private final java.nio.file.Path home;
    private volatile String location = "";

    public ProgrammeCalendar(ZoneId zone, Clock clock, Duration horizon) {
        this(zone, clock, horizon, java.nio.file.Path.of("."));
    }

    public ProgrammeCalendar(ZoneId zone, Clock clock, Duration horizon, java.nio.file.Path home) {
        this.zone = zone;
        this.clock = clock;
        this.horizon = horizon;
        this.home = home;
    }

    /**
     * Where the calendar is read (scheincam.schedule.ics-url, a setting the operator changes): an http(s)
     * URL, a file relative to the home, or "" for none. Routes read it here, so a change is seen at once.
     */
    public void setLocation(String location) {
        this.location = location == null ? "" : location.trim();
    }

    /** The location as set: "" when there is no calendar. */
    public String location() {
        return location;
    }

    /** True when the location is an http(s) URL (read with the http component), else a file. */
    public boolean remote() {
        return location.matches("(?i)https?://.+");
    }

    /** The calendar file (relative locations resolve against the home); a route reads it. */
    public java.io.File file() {
        return home.resolve(location).toAbsolutePath().normalize().toFile();
    }

    /** The shows in {@code ics} from now to the horizon, in order. A text that is not iCalendar is refused. */
    public List<ShowWindow> shows(String ics) {
        if (ics == null || ics.isBlank()) {
            throw new IllegalArgumentException("the programme calendar is empty");
        }
        Calendar calendar;
        try {
            calendar = new CalendarBuilder().build(new StringReader(ics));
        } catch (IOException | ParserException e) {
            throw new IllegalArgumentException("the programme calendar is not iCalendar: " + e.getMessage(), e);
        }
        Instant now = clock.instant();
        ZonedDateTime from = now.atZone(zone);
        ZonedDateTime to = from.plus(horizon);
        List<ShowWindow> shows = new ArrayList<>();
        int skipped = 0;
        for (VEvent event : calendar.<VEvent>getComponents(Component.VEVENT)) {
            if (event.getProperty(Property.STATUS).map(p -> "CANCELLED".equalsIgnoreCase(p.getValue())).orElse(false)) {
                continue;
            }
            Optional<Temporal> start = event.getStartDate().map(d -> (Temporal) d.getDate());
            if (start.isEmpty() || zoned(start.get()) == null
                    || (event.getEndDate().isEmpty() && event.getProperty(Property.DURATION).isEmpty())) {
                skipped++;
                continue;
            }
            String title = event.getProperty(Property.SUMMARY).map(Property::getValue).filter(s -> !s.isBlank()).orElse(null);
            for (Period<Temporal> occurrence : event.<Temporal>calculateRecurrenceSet(range(start.get(), from, to))) {
                ZonedDateTime s = zoned(occurrence.getStart());
                ZonedDateTime e = zoned(occurrence.getEnd());
                if (s == null || e == null || !e.isAfter(s) || !e.toInstant().isAfter(now)) {
                    continue;
                }
                shows.add(new ShowWindow(s, e, ShowWindow.Source.CALENDAR, title));
            }
        }
        if (skipped > 0) {
            LOG.info("Programme calendar: {} events without a start time and an end (all-day or open) skipped", skipped);
        }
        shows.sort(Comparator.comparing((ShowWindow w) -> w.start().toInstant()));
        return shows;
    }

    /** The range in the event's own kind of time: ical4j compares only times of one kind. */
    private static Period<? extends Temporal> range(Temporal kind, ZonedDateTime from, ZonedDateTime to) {
        if (kind instanceof LocalDateTime) {
            return new Period<>(from.toLocalDateTime(), to.toLocalDateTime());
        }
        if (kind instanceof Instant) {
            return new Period<>(from.toInstant(), to.toInstant());
        }
        if (kind instanceof OffsetDateTime) {
            return new Period<>(from.toOffsetDateTime(), to.toOffsetDateTime());
        }
        return new Period<>(from, to);
    }

    /** A calendar time as a time in the venue's zone; null for a date without a time. */
    private ZonedDateTime zoned(Temporal t) {
        if (t instanceof ZonedDateTime z) {
            return z.withZoneSameInstant(zone);
        }
        if (t instanceof OffsetDateTime o) {
            return o.atZoneSameInstant(zone);
        }
        if (t instanceof Instant i) {
            return i.atZone(zone);
        }
        if (t instanceof LocalDateTime floating) {
            return floating.atZone(zone);
        }
        return null;
    }
}
