package de.scheincam.library;

import java.util.List;

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
}
