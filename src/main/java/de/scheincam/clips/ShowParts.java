package de.scheincam.clips;

import java.time.LocalDateTime;
import java.util.List;

import de.scheincam.core.Refusal;

/**
 * A show's recordings, in the order they were recorded: what a clip or a frame by show is made from.
 * Implemented by the show model (package shows), which knows which recordings make one evening; the
 * clips only need the parts and why the time between them was not recorded.
 */
public interface ShowParts {

    /** The show's parts, earliest first; throws a not-found Refusal for an unknown show. */
    List<Part> parts(String show);

    /**
     * One recording of a show, in wall-clock time; {@code gapReason}: why nothing was recorded between
     * the previous part's end and this one's start (e.g. "OBS lost"), null when not known or for the first.
     */
    record Part(String filename, LocalDateTime start, LocalDateTime end, String gapReason) {
    }

    /** Until the show model is there: no show is known. */
    ShowParts NONE = show -> {
        throw Refusal.notFound("Show '" + show + "' not found.");
    };
}
