package de.scheincam.library;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Decides, the moment a new recording appears, which show it is a part of (de.scheincam.shows fills
 * this in; the library does not know what a show is). Runs under the library's lock: it must only
 * compute, never call back into the library.
 */
@FunctionalInterface
public interface ShowPlacement {

    /**
     * {@code fresh} placed in its show ({@link Recording#inShow}); {@code others}: the library's
     * recordings before it appeared, newest first; {@code endReason}: why the latest recording before it
     * ended, when known (a {@code Recording} gap reason), else null.
     */
    Recording place(Recording fresh, List<Recording> others, String endReason);

    /**
     * Shows for the recordings in {@code all} that have none yet (a library from before shows, files
     * written while the app was down), oldest first, as far as their ends are known ({@code endUnknown}:
     * waits for its probe, and so do the ones after it). Answers name → show id; empty: nothing to place.
     */
    default Map<String, String> placeAll(List<Recording> all, Predicate<Recording> endUnknown) {
        return Map.of();
    }
}
