package de.scheincam.sound;

/**
 * Where the sound suggests the next act starts: {@code seconds} from the start of the stretch analysed
 * (the end of the break before it), how certain (0 … 1) and why: the seconds of pause and of applause
 * in that break.
 */
public record SuggestedBoundary(double seconds, double confidence, double pauseSeconds, double applauseSeconds) {
}
