package de.scheincam.schedule;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import net.fortuna.ical4j.data.CalendarOutputter;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.property.DtStamp;
import net.fortuna.ical4j.model.property.ProdId;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.XProperty;
import net.fortuna.ical4j.model.property.immutable.ImmutableCalScale;
import net.fortuna.ical4j.model.property.immutable.ImmutableVersion;

/**
 * The upcoming recordings as an iCalendar feed ({@code GET /api/schedule/calendar.ics}), so the venue
 * and its performers can subscribe to "when the camera runs". Times are written in UTC, which every
 * calendar reads without a VTIMEZONE; each event's UID is its start, so a subscriber's calendar
 * updates an event rather than doubling it when the feed is read again.
 */
public class RecordingFeed {

    private final Clock clock;
    private final String venue;
    private final String untitled;

    /** {@code untitled}: the summary of a window without a show title. */
    public RecordingFeed(Clock clock, String venue, String untitled) {
        this.clock = clock;
        this.venue = venue;
        this.untitled = untitled;
    }

    public String ics(List<ShowWindow> windows) {
        Calendar calendar = new Calendar();
        calendar.add(new ProdId("-//ScheinCam//Recording schedule//DE"));
        calendar.add(ImmutableVersion.VERSION_2_0);
        calendar.add(ImmutableCalScale.GREGORIAN);
        calendar.add(new XProperty("X-WR-CALNAME", venue));
        Instant stamp = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        for (ShowWindow w : windows) {
            Instant start = w.start().toInstant();
            VEvent event = new VEvent(start, w.end().toInstant(), w.title() == null ? untitled : w.title());
            event.add(new Uid(start.getEpochSecond() + "@scheincam"));
            event.replace(new DtStamp(stamp));
            calendar.add(event);
        }
        StringWriter out = new StringWriter();
        try {
            new CalendarOutputter().output(calendar, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
