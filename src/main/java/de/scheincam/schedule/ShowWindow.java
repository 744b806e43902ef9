package de.scheincam.schedule;

import java.time.Instant;
import java.time.ZonedDateTime;

/**
 * One show's recording window, in the venue's time zone: from start to end (which may be after
 * midnight). {@code source} says where it comes from: the weekly windows, an extra show (an exception
 * to the week), or the venue's programme calendar; {@code title} is the show's name when the calendar
 * gives one, else null.
 */
public record ShowWindow(ZonedDateTime start, ZonedDateTime end, Source source, String title) {

    public enum Source {
        WEEKLY, EXTRA, CALENDAR;

        /** As the API writes it: weekly, extra, calendar. */
        @com.fasterxml.jackson.annotation.JsonValue
        public String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public ShowWindow(ZonedDateTime start, ZonedDateTime end, boolean extra) {
        this(start, end, extra ? Source.EXTRA : Source.WEEKLY, null);
    }

    /** Added as an exception to the weekly schedule (the original API's {@code extra}). */
    public boolean extra() {
        return source == Source.EXTRA;
    }

    public boolean contains(Instant t) {
        return !t.isBefore(start.toInstant()) && t.isBefore(end.toInstant());
    }
}
