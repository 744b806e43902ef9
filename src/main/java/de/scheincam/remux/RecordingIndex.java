package de.scheincam.remux;

import java.nio.file.Path;

/**
 * What a reader found in a recording around a requested stretch: the picture track and the first
 * sound track (null when there is none), with the samples of that stretch and some margin, and how far
 * the file is complete ({@code end}, seconds: for a file still being written, its last complete
 * second).
 */
public record RecordingIndex(Path file, Track video, Track audio, double end) {
}
