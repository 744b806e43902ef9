package de.scheincam.remux;

/**
 * The recording has something the in-process remuxer does not handle (a codec, Matroska lacing, a
 * damaged index…): the caller falls back to an ffmpeg process, which handles everything ffmpeg does.
 */
public class UnsupportedSource extends RuntimeException {

    public UnsupportedSource(String message) {
        super(message);
    }
}
