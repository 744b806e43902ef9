package de.scheincam.sound;

/**
 * The tunables of act suggestions ({@code scheincam.suggest.*} in application.properties, where each is
 * explained). Levels are relative to the evening's median level, so a quieter microphone gain moves
 * every threshold with it.
 *
 * @param windowSeconds         length of one envelope window
 * @param pauseBelowMedianDb    a window this far below the median level is quiet
 * @param pauseMinSeconds       quiet this long (or longer) is a pause between acts
 * @param applauseCrossings     zero-crossing rate from which a window sounds like broadband noise
 * @param applauseBelowMedianDb broadband noise counts as applause down to this far below the median level
 * @param applauseMinSeconds    applause this long (or longer) is applause between acts
 * @param bridgeSeconds         a different window or two inside a pause or applause this short does not end it
 * @param mergeSeconds          pauses and applause closer than this are one break between two acts
 * @param minActSeconds         two boundaries closer than this: only the more certain one is kept
 * @param minConfidence         suggestions less certain than this are not made
 */
public record SuggestSettings(double windowSeconds, double pauseBelowMedianDb, double pauseMinSeconds,
                              double applauseCrossings, double applauseBelowMedianDb, double applauseMinSeconds,
                              double bridgeSeconds, double mergeSeconds, double minActSeconds, double minConfidence) {

    public SuggestSettings {
        if (!(windowSeconds > 0) || pauseMinSeconds < windowSeconds || applauseMinSeconds < windowSeconds
                || minActSeconds < 0 || bridgeSeconds < 0 || mergeSeconds < 0) {
            throw new IllegalArgumentException("scheincam.suggest.*: windows must be positive and the minimum"
                    + " pause and applause at least one window long");
        }
    }
}
