package de.scheincam.clips;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import de.scheincam.core.Refusal;
import de.scheincam.library.Recording;
import de.scheincam.library.RecordingLibrary;
import de.scheincam.library.ShowClock;

/**
 * Wall-clock times of a show (an evening of one or more recordings, {@link ShowParts}) → which
 * recording holds them and where: a frame's recording, a clip's stretch of each recording it spans, and
 * the gaps it leaves out. A time of day earlier than the show's start means the next day (shows cross
 * midnight). Each part reaches as far as it can be read now (a recording still being written: up to a
 * moment ago).
 */
public class ShowTimes {

    private final ShowParts shows;
    private final RecordingLibrary library;
    private final ShowClock showClock;

    /** A clip of a show: its stretch, each recording's part of it (in order), the recorded time, and what it leaves out. */
    record Span(LocalDateTime start, LocalDateTime end, List<ExportJob.Piece> pieces, Duration recorded, String note) {
    }

    /** Where a moment of a show was recorded. */
    record At(Recording recording, LocalDateTime at) {
    }

    /** One part as it can be read now. */
    private record Part(Recording recording, LocalDateTime start, LocalDateTime end, String gapReason) {
    }

    public ShowTimes(ShowParts shows, RecordingLibrary library, ShowClock showClock) {
        this.shows = shows;
        this.library = library;
        this.showClock = showClock;
    }

    /**
     * A request names either a recording or a show, not both, not neither: a field missing or one too many,
     * 422 as every other field check (without "show", a missing "filename" was always 422).
     */
    static void requireOneOf(String filename, String show) {
        if ((filename == null) == (show == null)) {
            throw Refusal.invalid(filename == null
                    ? "Either 'filename' (a recording) or 'show' (a show's id) is required."
                    : "Give either 'filename' or 'show', not both.");
        }
    }

    /** The recording and time of the frame shown at {@code time} of the show; a time in a gap is refused naming the gap. */
    At at(String show, LocalTime time, Function<Recording, Duration> readable) {
        List<Part> parts = parts(show, readable);
        LocalDateTime t = place(parts, time);
        requireInside("timestamp", t, parts, false);
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            if (!t.isBefore(p.start()) && t.isBefore(p.end())) {
                return new At(p.recording(), t);
            }
            if (i + 1 < parts.size() && !t.isBefore(p.end()) && t.isBefore(parts.get(i + 1).start())) {
                throw Refusal.invalid("Field 'timestamp': " + ShowClock.hms(t) + " is in a gap of the show: "
                        + gap(p.end(), parts.get(i + 1).start(), parts.get(i + 1).gapReason()) + ".");
            }
        }
        throw Refusal.invalid("Field 'timestamp': " + ShowClock.hms(t) + " is outside the show (" + span(parts) + ").");
    }

    /** The recordings' stretches between {@code start} and {@code end} of the show, and the gaps left out. */
    Span span(String show, LocalTime start, LocalTime end, Function<Recording, Duration> readable) {
        List<Part> parts = parts(show, readable);
        LocalDateTime s = place(parts, start);
        LocalDateTime e = place(parts, end);
        requireInside("start_time", s, parts, false);
        if (!e.isAfter(s)) {
            throw Refusal.invalid("Field 'end_time': " + ShowClock.hms(e) + " must be after start_time " + ShowClock.hms(s) + ".");
        }
        requireInside("end_time", e, parts, true);
        List<ExportJob.Piece> pieces = new ArrayList<>();
        Duration recorded = Duration.ZERO;
        LocalDateTime covered = s; // up to where the clip's stretch is accounted for
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            if (!p.end().isAfter(s) || !p.start().isBefore(e)) {
                continue;
            }
            LocalDateTime from = p.start().isAfter(s) ? p.start() : s;
            LocalDateTime to = p.end().isBefore(e) ? p.end() : e;
            String gapBefore = from.isAfter(covered) && !ShowClock.hms(covered).equals(ShowClock.hms(from))
                    ? gap(covered, from, p.gapReason()) : null;
            pieces.add(new ExportJob.Piece(p.recording().filename(), seconds(showClock.offset(p.recording(), from)),
                    seconds(showClock.offset(p.recording(), to)), gapBefore));
            recorded = recorded.plus(Duration.between(from, to));
            covered = to;
        }
        if (pieces.isEmpty()) {
            for (int i = 0; i + 1 < parts.size(); i++) {
                if (!s.isBefore(parts.get(i).end()) && !e.isAfter(parts.get(i + 1).start())) {
                    throw Refusal.invalid("Nothing was recorded from " + ShowClock.hms(s) + " to " + ShowClock.hms(e) + ": "
                            + gap(parts.get(i).end(), parts.get(i + 1).start(), parts.get(i + 1).gapReason()) + ".");
                }
            }
            throw Refusal.invalid("Nothing was recorded from " + ShowClock.hms(s) + " to " + ShowClock.hms(e) + ".");
        }
        String note = pieces.stream().anyMatch(p -> p.gapBefore() != null)
                ? String.join(" ", pieces.stream().filter(p -> p.gapBefore() != null).map(p -> p.gapBefore() + "; left out.").toList())
                : null;
        return new Span(s, e, List.copyOf(pieces), recorded, note);
    }

    private List<Part> parts(String show, Function<Recording, Duration> readable) {
        List<ShowParts.Part> listed = shows.parts(show);
        if (listed.isEmpty()) {
            throw Refusal.notFound("Show '" + show + "' has no recordings.");
        }
        List<Part> parts = new ArrayList<>();
        for (ShowParts.Part p : listed) {
            Recording r = library.measured(library.find(p.filename()));
            LocalDateTime readableEnd = showClock.wallClockAt(r, readable.apply(r));
            LocalDateTime end = p.end() != null && p.end().isBefore(readableEnd) ? p.end() : readableEnd;
            parts.add(new Part(r, r.startTime(), end, p.gapReason()));
        }
        return parts;
    }

    /** A time of day in the show: on its first day, else the day after (a show crossing midnight). */
    private static LocalDateTime place(List<Part> parts, LocalTime time) {
        LocalDateTime first = parts.get(0).start();
        LocalDateTime candidate = first.toLocalDate().atTime(time);
        return candidate.isBefore(first) ? candidate.plusDays(1) : candidate;
    }

    private static void requireInside(String field, LocalDateTime t, List<Part> parts, boolean end) {
        LocalDateTime last = parts.get(parts.size() - 1).end();
        if (end ? t.isAfter(last) : !t.isBefore(last)) {
            throw Refusal.invalid("Field '" + field + "': " + ShowClock.hms(t) + " is outside the show (" + span(parts) + ").");
        }
    }

    private static String span(List<Part> parts) {
        return ShowClock.hms(parts.get(0).start()) + "–" + ShowClock.hms(parts.get(parts.size() - 1).end());
    }

    /** "20:14:05–20:16:40 was not recorded (OBS lost)". */
    private static String gap(LocalDateTime from, LocalDateTime to, String reason) {
        return ShowClock.hms(from) + "–" + ShowClock.hms(to) + " was not recorded" + (reason == null ? "" : " (" + reason + ")");
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
