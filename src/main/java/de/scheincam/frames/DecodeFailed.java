package de.scheincam.frames;

import java.time.Duration;

import org.bytedeco.javacpp.BytePointer;

import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

/**
 * A recording that libavformat/libavcodec cannot read where asked: the file is damaged, not a video,
 * or (while still being recorded) does not reach that time yet. {@link #reachedUpTo} is how far it could
 * be read in that case.
 */
public class DecodeFailed extends RuntimeException {

    private final transient Duration reachedUpTo;
    private final boolean damaged;

    DecodeFailed(String message) {
        this(message, null);
    }

    DecodeFailed(String message, Duration reachedUpTo) {
        this(message, reachedUpTo, false);
    }

    private DecodeFailed(String message, Duration reachedUpTo, boolean damaged) {
        super(message);
        this.reachedUpTo = reachedUpTo;
        this.damaged = damaged;
    }

    /** The file could not be read there within the read limit: garbage, not a time it does not reach yet. */
    static DecodeFailed damaged(String message) {
        return new DecodeFailed(message, null, true);
    }

    /** Whether the file is damaged where it was read (see {@link #damaged(String)}). */
    public boolean damaged() {
        return damaged;
    }

    /** For a request past the data written so far: how far the file reaches, else null. */
    public Duration reachedUpTo() {
        return reachedUpTo;
    }

    static DecodeFailed of(String step, int errorCode) {
        return new DecodeFailed(step + " failed: " + describe(errorCode));
    }

    static String describe(int errorCode) {
        try (BytePointer text = new BytePointer(256)) {
            if (av_strerror(errorCode, text, 256) != 0) {
                return "error " + errorCode;
            }
            String s = text.getString();
            int nul = s.indexOf('\0'); // the buffer past the message's terminator is not ours to show
            return nul < 0 ? s : s.substring(0, nul);
        }
    }
}
