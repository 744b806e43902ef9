package de.scheincam.clips;

import java.io.IOException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;

import de.scheincam.core.Refusal;
import de.scheincam.library.Recording;
import de.scheincam.library.RecordingLibrary;
import de.scheincam.library.ShowClock;
import de.scheincam.remux.ClipCutter;
import de.scheincam.remux.NotRecordedYet;
import de.scheincam.remux.UnsupportedSource;

/**
 * A clip request checked completely before anything is queued: the recording exists, the mode is one
 * we know, both times lie within what can be exported now and the clip is not longer than
 * {@code maxClip}. Refuses with the sentence the performer reads.
 */
public class StretchCheck {

    private final RecordingLibrary library;
    private final ShowClock showClock;
    private final ClipCutter cutter;
    private final Duration maxClip;

    /**
     * What a checked request asks for: the recording, how to cut it, and the stretch (wall clock and
     * offsets). By show: the show, the first recording of the stretch, the stretches of each recording in
     * it ({@code pieces}, in order) and what the clip leaves out ({@code note}); {@code to - from} is then
     * their sum.
     */
    record Stretch(Recording recording, ExportMode mode, LocalDateTime start, LocalDateTime end, Duration from, Duration to,
                   String show, List<ExportJob.Piece> pieces, String note) {
    }

    private final ShowTimes shows;

    public StretchCheck(RecordingLibrary library, ShowClock showClock, ClipCutter cutter, Duration maxClip, ShowTimes shows) {
        this.library = library;
        this.showClock = showClock;
        this.cutter = cutter;
        this.maxClip = maxClip;
        this.shows = shows;
    }

    Stretch check(ClipRequest request) {
        if (request == null) {
            throw Refusal.invalid("A JSON body with 'filename', 'start_time' and 'end_time' is required.");
        }
        ShowTimes.requireOneOf(request.filename(), request.show());
        if (request.show() != null) {
            return checkShow(request);
        }
        ExportMode mode = ExportMode.parse(request.mode());
        Recording recording = library.measured(library.find(request.filename()));
        LocalDateTime start = showClock.wallClock(recording, ShowClock.parse("start_time", request.startTime()));
        LocalDateTime end = showClock.wallClock(recording, ShowClock.parse("end_time", request.endTime()));
        Duration length = exportableLength(recording);
        Duration from = showClock.offset(recording, start);
        Duration to = showClock.offset(recording, end);
        String span = showClock.span(recording, length);
        if (from.compareTo(length) >= 0) {
            throw Refusal.invalid("Field 'start_time': " + ShowClock.hms(start) + " is outside the recording (" + span + ").");
        }
        if (to.compareTo(from) <= 0) {
            throw Refusal.invalid("Field 'end_time': " + ShowClock.hms(end) + " must be after start_time " + ShowClock.hms(start) + ".");
        }
        if (to.compareTo(length) > 0) {
            throw Refusal.invalid("Field 'end_time': " + ShowClock.hms(end) + " is outside the recording (" + span + ").");
        }
        if (to.minus(from).compareTo(maxClip) > 0) {
            throw Refusal.invalid("The clip is " + minutes(to.minus(from)) + " long; at most "
                    + minutes(maxClip) + " can be exported at once.");
        }
        return new Stretch(recording, mode, start, end, from, to, null, null, null);
    }

    /** A stretch of a show: the recordings' stretches in it, each within what can be exported now. */
    private Stretch checkShow(ClipRequest request) {
        ExportMode mode = ExportMode.parse(request.mode());
        ShowTimes.Span span = shows.span(request.show(), ShowClock.parse("start_time", request.startTime()),
                ShowClock.parse("end_time", request.endTime()), this::exportableLength);
        Duration length = span.recorded();
        if (length.compareTo(maxClip) > 0) {
            throw Refusal.invalid("The clip is " + minutes(length) + " long; at most " + minutes(maxClip) + " can be exported at once.");
        }
        ExportJob.Piece first = span.pieces().get(0);
        Recording recording = library.measured(library.find(first.filename()));
        Duration from = Duration.ofMillis(Math.round(first.from() * 1000));
        return new Stretch(recording, mode, span.start(), span.end(), from, from.plus(length), request.show(), span.pieces(),
                span.note());
    }

    /**
     * How far a recording can be exported now. One still being written is read from the file itself: a
     * Matroska or fragmented MP4 up to its last complete frame; a plain MP4 has no index until OBS
     * finishes it (a conflict).
     */
    Duration exportableLength(Recording recording) {
        if (!recording.inProgress()) {
            return showClock.readableLength(recording);
        }
        try {
            double seconds = cutter.readableSeconds(library.fileOf(recording));
            return Duration.ofMillis((long) Math.floor(seconds * 1000)); // to its last whole frame, not a whole second
        } catch (NotRecordedYet e) {
            throw Refusal.conflict("Recording " + recording.filename() + " is still being recorded as a plain MP4, "
                    + "which can only be cut once it has ended (" + e.getMessage() + "). Record in mkv or "
                    + "fragmented MP4 to cut during the show.");
        } catch (UnsupportedSource e) {
            return showClock.readableLength(recording);
        } catch (IOException e) {
            throw Refusal.conflict("Recording " + recording.filename() + " cannot be read while it is being recorded.");
        }
    }

    private static String minutes(Duration d) {
        return String.format(Locale.ROOT, "%d:%02d min", d.toMinutes(), d.toSecondsPart());
    }
}
