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

    DecodeFailed(String message) {
        this(message, null);
    }

    DecodeFailed(String message, Duration reachedUpTo) {
        super(message);
        this.reachedUpTo = reachedUpTo;
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
            return av_strerror(errorCode, text, 256) == 0 ? text.getString() : "error " + errorCode;
        }
    }
}
