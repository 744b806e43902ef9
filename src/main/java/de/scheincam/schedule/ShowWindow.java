package de.scheincam.schedule;

import java.time.Instant;
import java.time.ZonedDateTime;

/**
 * One evening's recording window, in the venue's time zone: from start to end (which may be after
 * midnight). {@code extra} marks a show added as an exception to the weekly schedule.
 */
public record ShowWindow(ZonedDateTime start, ZonedDateTime end, boolean extra) {

    public boolean contains(Instant t) {
        return !t.isBefore(start.toInstant()) && t.isBefore(end.toInstant());
    }
}
