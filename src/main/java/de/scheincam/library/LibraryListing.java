package de.scheincam.library;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code GET /api/videos} as bytes, made once per change of the library rather than per request: with
 * thousands of recordings and a room full of phones polling, serialising and sending half a megabyte
 * each time is what the server would spend its time on. Browsers get it gzipped (a twelfth the size).
 * Thread-safe: a snapshot is replaced as a whole.
 */
public class LibraryListing {

    private final RecordingLibrary library;
    private final ObjectMapper json;
    private volatile Snapshot snapshot;

    private record Snapshot(List<Recording> source, byte[] plain, byte[] gzip) {
    }

    /** The body to send and its Content-Encoding (null: none). */
    public record Body(byte[] bytes, String contentEncoding) {
    }

    public LibraryListing(RecordingLibrary library, ObjectMapper json) {
        this.library = library;
        this.json = json;
    }

    public Body body(String acceptEncoding) {
        Snapshot s = current();
        boolean gzip = acceptEncoding != null && acceptEncoding.toLowerCase(Locale.ROOT).contains("gzip");
        return gzip ? new Body(s.gzip(), "gzip") : new Body(s.plain(), null);
    }

    private Snapshot current() {
        List<Recording> now = library.list();
        Snapshot s = snapshot;
        if (s != null && s.source() == now) {
            return s;
        }
        try {
            byte[] plain = json.writeValueAsBytes(library.listing(now));
            ByteArrayOutputStream packed = new ByteArrayOutputStream(plain.length / 8 + 64);
            try (GZIPOutputStream out = new GZIPOutputStream(packed) {
                {
                    def.setLevel(Deflater.BEST_SPEED);
                }
            }) {
                out.write(plain);
            }
            s = new Snapshot(now, plain, packed.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise the library", e);
        }
        snapshot = s;
        return s;
    }
}
