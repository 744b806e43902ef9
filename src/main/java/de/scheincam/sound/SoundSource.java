package de.scheincam.sound;

import java.nio.file.Path;
import java.time.Instant;

/** One recording of an evening and the wall-clock time its first sample was recorded. */
public record SoundSource(Path file, Instant start) {
}
