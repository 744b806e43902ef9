package de.scheincam.frames;

import java.awt.image.BufferedImage;
import java.time.Duration;

/** A decoded, scaled picture and where in the recording it is (null when the file does not say). */
public record DecodedFrame(BufferedImage image, Duration at) {
}
