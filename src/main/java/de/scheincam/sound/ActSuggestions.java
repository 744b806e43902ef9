package de.scheincam.sound;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import de.scheincam.core.Refusal;

/**
 * Act boundaries suggested from an evening's sound, for the shows nobody marked: the recordings' sound
 * envelopes ({@link SoundReader}) laid on one wall-clock timeline (holes between recordings unknown) and
 * read by the {@link BoundarySuggester}. A recording's envelope is kept in memory once read, by file, size
 * and modification time: a finished recording never reads again, one still growing reads anew.
 */
public final class ActSuggestions {

    private record Key(Path file, long size, long modified) {
    }

    private final SoundReader reader;
    private final BoundarySuggester suggester;
    private final double windowSeconds;
    private final Semaphore reading;
    private final long waitMillis;
    private final Map<Key, SoundEnvelope> cache;

    /**
     * @param cachedRecordings envelopes kept (the least recently used go first)
     * @param readingAtOnce    recordings read at once (each takes a core while it reads)
     * @param waitMillis       how long a call waits for its turn to read before it is refused as busy
     */
    public ActSuggestions(SuggestSettings settings, Duration readLimit, int cachedRecordings, int readingAtOnce,
                          long waitMillis) {
        this.reader = new SoundReader(settings.windowSeconds(), readLimit);
        this.suggester = new BoundarySuggester(settings);
        this.windowSeconds = settings.windowSeconds();
        this.reading = new Semaphore(Math.max(1, readingAtOnce), true);
        this.waitMillis = waitMillis;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, SoundEnvelope> eldest) {
                return size() > cachedRecordings;
            }
        };
    }

    /**
     * Where acts seem to change between {@code from} and {@code to}, in wall-clock time, earliest first.
     * {@code parts} are the evening's recordings (in any order; the sound of each from its start).
     */
    public List<ActBoundary> suggest(List<SoundSource> parts, Instant from, Instant to) {
        if (!to.isAfter(from)) {
            throw Refusal.invalid("the end of the stretch to suggest acts in must lie after its start");
        }
        int n = (int) Math.ceil(seconds(from, to) / windowSeconds);
        float[] level = new float[n];
        float[] crossings = new float[n];
        Arrays.fill(level, Float.NaN);
        Arrays.fill(crossings, Float.NaN);
        for (SoundSource part : parts) {
            SoundEnvelope e = envelope(part.file());
            int offset = (int) Math.round(seconds(from, part.start()) / windowSeconds);
            for (int w = Math.max(0, -offset); w < e.windows() && w + offset < n; w++) {
                level[w + offset] = e.levelDb()[w];
                crossings[w + offset] = e.crossings()[w];
            }
        }
        List<ActBoundary> out = new ArrayList<>();
        for (SuggestedBoundary b : suggester.boundaries(new SoundEnvelope(windowSeconds, level, crossings))) {
            out.add(new ActBoundary(from.plusNanos(Math.round(b.seconds() * 1e9)), b.confidence(),
                    b.pauseSeconds(), b.applauseSeconds()));
        }
        return List.copyOf(out);
    }

    /** One recording's whole envelope, read once while the file does not change. */
    public SoundEnvelope envelope(Path file) {
        Key key = key(file);
        synchronized (cache) {
            SoundEnvelope known = cache.get(key);
            if (known != null) {
                return known;
            }
        }
        try {
            if (!reading.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
                throw Refusal.busy("the sound of other recordings is being read; try again in a moment");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Refusal.busy("interrupted while waiting to read the sound of " + file.getFileName());
        }
        try {
            synchronized (cache) {
                SoundEnvelope known = cache.get(key); // read by the call we waited for
                if (known != null) {
                    return known;
                }
            }
            SoundEnvelope e = reader.envelope(file);
            synchronized (cache) {
                cache.put(key, e);
            }
            return e;
        } finally {
            reading.release();
        }
    }

    private static Key key(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Key(file.toAbsolutePath().normalize(), a.size(), a.lastModifiedTime().toMillis());
        } catch (java.nio.file.NoSuchFileException e) {
            throw Refusal.notFound("no recording " + file.getFileName());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double seconds(Instant a, Instant b) {
        return Duration.between(a, b).toNanos() / 1e9;
    }
}
