package de.scheincam.remux;

/**
 * One coded frame of a track: in which file ({@code file} indexes the files of a {@link ClipLayout}),
 * where its bytes are, when it is shown (presentation time in the track's timescale) and whether a
 * decoder can start there.
 */
public record Sample(int file, long offset, int size, long pts, boolean key) {

    Sample inFile(int newFile) {
        return new Sample(newFile, offset, size, pts, key);
    }

    Sample at(long newPts) {
        return new Sample(file, offset, size, newPts, key);
    }
}
