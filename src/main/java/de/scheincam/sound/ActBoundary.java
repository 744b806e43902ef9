package de.scheincam.sound;

import java.time.Instant;

/**
 * A suggested act change in wall-clock time: the next act starts {@code at} (the end of the break before
 * it), with the suggester's certainty (0 … 1) and the seconds of pause and applause heard in that break.
 */
public record ActBoundary(Instant at, double confidence, double pauseSeconds, double applauseSeconds) {
}
