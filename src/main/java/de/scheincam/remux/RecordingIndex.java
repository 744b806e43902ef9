package de.scheincam.remux;

import java.nio.file.Path;
import java.util.List;

/**
 * What a reader found in a recording around a requested stretch: the picture track and every sound
 * track (OBS records up to six), in the recording's order, with the samples of that stretch and some
 * margin, and how far the file is complete ({@code end}, seconds: for a file still being written, its
 * last complete second).
 */
public record RecordingIndex(Path file, Track video, List<Track> sounds, double end) {

    public RecordingIndex {
        sounds = List.copyOf(sounds);
    }

    /** The first sound track, or null when there is none. */
    public Track audio() {
        return sounds.isEmpty() ? null : sounds.get(0);
    }
}
