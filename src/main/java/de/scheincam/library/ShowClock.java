package de.scheincam.library;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import de.scheincam.core.Refusal;

/**
 * Wall-clock times of the evening ↔ offsets into a recording. Performers say "I was on at 20:31"; a
 * time earlier than the recording's start means the next day, because shows cross midnight. Offsets
 * are computed on zoned times so a show spanning a DST change still lands on the right frame.
 */
public class ShowClock {

    private static final Pattern TIME = Pattern.compile("(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d{1,3}))?)?");
    private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss");
    /** Containers that can be read while OBS still writes them; plain MP4 has no index until it ends. */
    private static final Set<String> READABLE_WHILE_GROWING = Set.of("mkv", "ts", "flv");
    private static final Duration LIVE_MARGIN = Duration.ofSeconds(2);

    private final ZoneId zone;
    private final Clock clock;

    public ShowClock(ZoneId zone, Clock clock) {
        this.zone = zone;
        this.clock = clock;
    }

    /** {@code HH:MM[:SS[.mmm]]}, or an invalid-field refusal naming the field. */
    public static LocalTime parse(String field, String value) {
        if (value == null || value.isBlank()) {
            throw Refusal.invalid("Field '" + field + "' is required (a time of day, HH:MM:SS).");
        }
        Matcher m = TIME.matcher(value.trim());
        if (!m.matches()) {
            throw Refusal.invalid("Field '" + field + "': '" + shorten(value) + "' is not a time of day (HH:MM:SS).");
        }
        int h = Integer.parseInt(m.group(1));
        int min = Integer.parseInt(m.group(2));
        int s = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        int ms = m.group(4) == null ? 0 : Integer.parseInt((m.group(4) + "00").substring(0, 3));
        if (h > 23 || min > 59 || s > 59) {
            throw Refusal.invalid("Field '" + field + "': '" + shorten(value) + "' is not a time of day (HH:MM:SS).");
        }
        return LocalTime.of(h, min, s, ms * 1_000_000);
    }

    /** The recording's wall-clock date-time for a time of day: on its start date, else the day after. */
    public LocalDateTime wallClock(Recording recording, LocalTime time) {
        LocalDateTime candidate = recording.startTime().toLocalDate().atTime(time);
        return candidate.isBefore(recording.startTime()) ? candidate.plusDays(1) : candidate;
    }

    public Duration offset(Recording recording, LocalDateTime wallClock) {
        return Duration.between(ZonedDateTime.of(recording.startTime(), zone), ZonedDateTime.of(wallClock, zone));
    }

    public LocalDateTime wallClockAt(Recording recording, Duration offset) {
        return ZonedDateTime.of(recording.startTime(), zone).plus(offset).withZoneSameInstant(zone).toLocalDateTime();
    }

    /**
     * How far into the recording can be read now: its duration once ended; for a container readable
     * while growing, up to a moment ago; otherwise nothing yet (a conflict).
     */
    public Duration readableLength(Recording recording) {
        if (!recording.inProgress() && recording.duration() != null) {
            return Duration.ofMillis(Math.round(recording.duration() * 1000));
        }
        if (recording.inProgress() && READABLE_WHILE_GROWING.contains(recording.container())) {
            Duration sinceStart = Duration.between(ZonedDateTime.of(recording.startTime(), zone), clock.instant().atZone(zone));
            return sinceStart.minus(LIVE_MARGIN).isNegative() ? Duration.ZERO : sinceStart.minus(LIVE_MARGIN);
        }
        if (recording.inProgress()) {
            throw Refusal.conflict("Recording " + recording.filename() + " is still being recorded; a "
                    + recording.container() + " file can be used once it has ended.");
        }
        // a finished file whose length cannot be read is damaged (or no video): waiting will not change it, so not a conflict
        throw Refusal.damaged("The length of recording " + recording.filename() + " is not known: the file could not be read"
                + " (damaged, or not a video), nothing can be read or cut from it.");
    }

    /** How far a file that can be read while OBS writes it reaches now: up to a moment ago. */
    public Duration liveLength(Recording recording) {
        Duration sinceStart = Duration.between(ZonedDateTime.of(recording.startTime(), zone), clock.instant().atZone(zone));
        return sinceStart.minus(LIVE_MARGIN).isNegative() ? Duration.ZERO : sinceStart.minus(LIVE_MARGIN);
    }

    /** "The recording runs 19:50:00–22:10:00": for messages that tell the performer what is possible. */
    public String span(Recording recording, Duration length) {
        return HMS.format(recording.startTime()) + "–" + HMS.format(wallClockAt(recording, length));
    }

    public static String hms(LocalDateTime t) {
        return HMS.format(t);
    }

    private static String shorten(String value) {
        String v = value.length() > 40 ? value.substring(0, 40) + "…" : value;
        return v.replaceAll("\\p{Cntrl}", "?");
    }
}
