package de.scheincam.frames;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import de.scheincam.core.Refusal;
import de.scheincam.library.Recording;
import de.scheincam.library.RecordingLibrary;
import de.scheincam.library.ShowClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A recording's filmstrip: one thumbnail every N seconds, as one sprite JPEG (tile i at column
 * i % columns, row i / columns) and a JSON description. Each tile is the keyframe nearest to its time
 * (at most half a keyframe interval off, ~4 s with OBS's default), so a whole show costs one keyframe
 * decode per tile rather than one GOP. Finished recordings' filmstrips are computed once and kept in
 * {@code videos/.filmstrip/} beside the metadata, and deleted with the recording; a recording still
 * being written gets one covering what exists so far, kept in memory until it has grown by a tile.
 */
public class Filmstrips {

    private static final Logger LOG = LoggerFactory.getLogger(Filmstrips.class);
    private static final int DEFAULT_EVERY = 60;
    /**
     * The spacings one may ask for (the UI asks for 5, 15, 60 or 120 by the recording's length; the
     * contract lists the same): each is one cached sprite, so a recording's cache holds at most this many.
     */
    static final java.util.List<Integer> EVERY = java.util.List.of(5, 10, 15, 20, 30, 60, 120, 300, 600);
    /** JPEG's height limit is 65,535 pixels: 7,000 tiles in rows of 10 at 90 px stay below it. */
    private static final int MAX_TILES = 7000;
    private static final Pattern CACHED = Pattern.compile("(.+)-(\\d+)\\.(jpg|json)");
    private static final float JPEG_QUALITY = 0.8f;

    private final RecordingLibrary library;
    private final ShowClock showClock;
    private final Function<Recording, Duration> readableLength;
    private final DecoderPool decoders;
    private final Path dir;
    private final ObjectMapper json;
    private final int tileWidth;
    private final int tileHeight;
    private final int columns;
    /** One computation per recording and interval at a time; concurrent callers wait for it. */
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    /** Filmstrips of recordings still being written, by name and interval. */
    private final Map<String, Filmstrip> growing = new ConcurrentHashMap<>();

    /** The description (the API's JSON) and the sprite. */
    public record Filmstrip(Description description, byte[] sprite, boolean complete) {
    }

    /**
     * {@code GET /api/videos/{filename}/filmstrip} (Filmstrip): the tiles' wall-clock times and offsets
     * (seconds into the recording), row by row; also kept beside the sprite as its description.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Description(String filename, int everySeconds, int tileWidth, int tileHeight, int columns, int count,
                              List<String> times, List<Long> offsets, String spriteUrl) {
    }

    /** The sprite with how long browsers may keep it. */
    public record Sprite(byte[] jpeg, String cacheControl) {
    }

    public Filmstrips(RecordingLibrary library, ShowClock showClock, Function<Recording, Duration> readableLength,
                      DecoderPool decoders, Path dir, ObjectMapper json, int tileWidth, int tileHeight, int columns) {
        this.library = library;
        this.showClock = showClock;
        this.readableLength = readableLength;
        this.decoders = decoders;
        this.dir = dir;
        this.json = json;
        this.tileWidth = tileWidth;
        this.tileHeight = tileHeight;
        this.columns = columns;
        removeOrphans();
    }

    /** {@code GET /api/videos/{filename}/filmstrip?every=N}. */
    public Description describe(String filename, String every) {
        return filmstrip(filename, every).description();
    }

    /** {@code GET /api/videos/{filename}/filmstrip/sprite?every=N}. */
    public Sprite sprite(String filename, String every) {
        Filmstrip f = filmstrip(filename, every);
        // a finished recording's sprite never changes; one being written changes as it grows
        return new Sprite(f.sprite(), f.complete() ? "private, max-age=86400" : "no-cache");
    }

    Filmstrip filmstrip(String filename, String everyText) {
        Recording recording = library.find(filename);
        int every = every(everyText);
        if (!decoders.available()) {
            throw Refusal.unavailable("Filmstrips need the FFmpeg libraries bundled for Linux x86-64, which do not load here.");
        }
        Duration length = readableLength.apply(recording);
        long count = (length.toMillis() + every * 1000L - 1) / (every * 1000L);
        if (count <= 0) {
            throw Refusal.conflict("Recording " + recording.filename() + " has nothing to show yet.");
        }
        if (count > MAX_TILES) {
            throw Refusal.invalid("Parameter 'every': " + every + " s gives " + count + " thumbnails for "
                    + recording.filename() + "; at most " + MAX_TILES + " fit a filmstrip, choose a larger interval.");
        }
        String key = recording.name() + "-" + every;
        synchronized (locks.computeIfAbsent(key, k -> new Object())) {
            if (recording.inProgress()) {
                Filmstrip last = growing.get(key);
                if (last != null && last.description().count() == count) {
                    return last;
                }
                Filmstrip fresh = compute(recording, every, (int) count);
                growing.put(key, fresh);
                return fresh;
            }
            growing.remove(key);
            Filmstrip cached = read(key);
            if (cached != null && cached.description().count() == count) {
                return cached;
            }
            Filmstrip computed = compute(recording, every, (int) count);
            write(key, computed);
            return computed;
        }
    }

    private Filmstrip compute(Recording recording, int every, int count) {
        long t0 = System.nanoTime();
        List<BufferedImage> tiles;
        try {
            tiles = tiles(recording, every, count);
        } catch (DecodeFailed e) {
            if (e.damaged()) {
                throw Refusal.damaged("Recording " + recording.filename() + " cannot be read for a filmstrip: " + e.getMessage()
                        + " (zeros or garbage where its pictures should be).");
            }
            throw cannotDecode(recording, ": " + e.getMessage());
        }
        if (tiles.stream().allMatch(java.util.Objects::isNull)) {
            throw cannotDecode(recording, "");
        }
        return sprite(recording, every, count, tiles, t0);
    }

    /** A conflict while OBS still writes the file (it may read later); a finished file that cannot be decoded is damaged. */
    private static Refusal cannotDecode(Recording recording, String why) {
        String detail = "Recording " + recording.filename() + " cannot be decoded for a filmstrip" + why;
        return recording.inProgress() ? Refusal.conflict(detail + ".") : Refusal.damaged(detail + " (the file is damaged).");
    }

    /** One keyframe per tile; a stretch that cannot be decoded is a black tile, a damaged file (read limit) none at all. */
    private List<BufferedImage> tiles(Recording recording, int every, int count) {
        return decoders.use(library.fileOf(recording), recording.name(),
                recording.size() + "/" + recording.duration(), !recording.inProgress(), decoder -> {
                    List<BufferedImage> images = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        Duration at = Duration.ofSeconds((long) i * every);
                        try {
                            images.add(decoder.keyframeNear(at, tileWidth, tileHeight).image());
                        } catch (DecodeFailed e) {
                            if (e.damaged()) {
                                throw e; // every further tile would spend the read limit too
                            }
                            // a damaged stretch (or the end of a file being written): a black tile, not no filmstrip
                            LOG.debug("Filmstrip {}: no picture near {} s: {}", recording.filename(), at.toSeconds(), e.getMessage());
                            images.add(null);
                        }
                    }
                    return images;
                });
    }

    private Filmstrip sprite(Recording recording, int every, int count, List<BufferedImage> tiles, long t0) {
        int rows = (count + columns - 1) / columns;
        BufferedImage sprite = new BufferedImage(columns * tileWidth, rows * tileHeight, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = sprite.createGraphics();
        try {
            for (int i = 0; i < tiles.size(); i++) {
                if (tiles.get(i) != null) {
                    g.drawImage(tiles.get(i), (i % columns) * tileWidth, (i / columns) * tileHeight, null);
                }
            }
        } finally {
            g.dispose();
        }
        byte[] jpeg = JpegImages.encode(sprite, JPEG_QUALITY);
        List<String> times = new ArrayList<>(count);
        List<Long> offsets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long offset = (long) i * every;
            offsets.add(offset);
            times.add(ShowClock.hms(showClock.wallClockAt(recording, Duration.ofSeconds(offset))));
        }
        Description d = new Description(recording.filename(), every, tileWidth, tileHeight, columns, count, times, offsets,
                "/api/videos/" + recording.name().replace(" ", "%20") + "/filmstrip/sprite?every=" + every);
        LOG.info("Filmstrip of {} every {} s: {} thumbnails in {} ms", recording.filename(), every, count,
                (System.nanoTime() - t0) / 1_000_000);
        return new Filmstrip(d, jpeg, !recording.inProgress());
    }

    /** Drops a recording's filmstrips, on disk and in memory (the recording was deleted). */
    public void forget(Recording recording) {
        growing.keySet().removeIf(k -> k.startsWith(recording.name() + "-"));
        for (Path file : cachedFiles(Set.of(recording.name()))) {
            delete(file);
        }
    }

    /** Filmstrips whose recording went while the app was not running. */
    private void removeOrphans() {
        Set<String> known = library.list().stream().map(Recording::name).collect(Collectors.toSet());
        for (Path file : cachedFiles(null)) {
            Matcher m = CACHED.matcher(file.getFileName().toString());
            if (m.matches() && !known.contains(m.group(1))) {
                delete(file);
            }
        }
    }

    /** The cached files of these recordings (all when null). */
    private List<Path> cachedFiles(Set<String> names) {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                Matcher m = CACHED.matcher(file.getFileName().toString());
                if (m.matches() && (names == null || names.contains(m.group(1)))) {
                    found.add(file);
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot list filmstrips in {}: {}", dir, e.getMessage());
        }
        return found;
    }

    private Filmstrip read(String key) {
        Path description = dir.resolve(key + ".json");
        Path sprite = dir.resolve(key + ".jpg");
        if (!Files.isRegularFile(description) || !Files.isRegularFile(sprite)) {
            return null;
        }
        try {
            Description d = json.readValue(description.toFile(), Description.class);
            return new Filmstrip(d, Files.readAllBytes(sprite), true);
        } catch (IOException e) {
            LOG.warn("Ignoring unreadable filmstrip {}: {}", key, e.getMessage());
            return null;
        }
    }

    /** The sprite first, the description last: a description on disk means its sprite is complete. */
    private void write(String key, Filmstrip f) {
        try {
            Files.createDirectories(dir);
            replace(dir.resolve(key + ".jpg"), f.sprite());
            replace(dir.resolve(key + ".json"), json.writeValueAsBytes(f.description()));
        } catch (IOException e) {
            LOG.warn("Cannot keep filmstrip {}: {}", key, e.getMessage()); // still answered, computed again next time
        }
    }

    private void replace(Path target, byte[] content) throws IOException {
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
        Files.write(tmp, content);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }

    private static int every(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_EVERY;
        }
        int every;
        try {
            every = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw Refusal.invalid("Parameter 'every' must be a whole number of seconds, not '"
                    + (text.length() > 20 ? text.substring(0, 20) + "…" : text) + "'.");
        }
        if (!EVERY.contains(every)) {
            throw Refusal.invalid("Parameter 'every' must be one of " + EVERY + " seconds, not " + every + ".");
        }
        return every;
    }
}
