package de.scheincam.remux;

/**
 * The recording's bytes are not what its container or codec allows where the remuxer needs them (zeros
 * where a Matroska element or an H.264 frame must begin, a block running past its cluster): the file is
 * damaged there, not merely something the remuxer does not handle. A subclass of UnsupportedSource so
 * that a caller that does not tell them apart still falls back to ffmpeg; exports of a finished
 * recording refuse it instead, as ffmpeg would only scan the damage until its deadline.
 */
public class DamagedSource extends UnsupportedSource {

    private final long position;

    /** {@code position}: the byte offset in the file where the damage was found. */
    public DamagedSource(String message, long position) {
        super(message);
        this.position = position;
    }

    /** The byte offset in the recording where the damage was found. */
    public long position() {
        return position;
    }
}
