package de.scheincam.library;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

import de.scheincam.core.Refusal;
import de.scheincam.ffmpeg.MediaInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recordings in {@code videos/} and their metadata, kept in memory (no directory scan per request)
 * and on disk (one JSON per recording). File events feed {@link #fileChanged} and {@link #fileDeleted};
 * a file counts as still being written until its size has not changed for the settle time, and is then
 * probed ({@link #dueForProbe}, {@link #applyProbe}). At start every recording without metadata, or
 * without an end, is queued for the same treatment, so files written while the app was down are
 * repaired.
 */
public class RecordingLibrary {

    private static final Logger LOG = LoggerFactory.getLogger(RecordingLibrary.class);
    private static final Comparator<Recording> NEWEST_FIRST =
            Comparator.comparing(Recording::startTime, Comparator.nullsLast(Comparator.reverseOrder()))
                    .thenComparing(Recording::name, Comparator.reverseOrder());

    private final Path dir;
    private final ZoneId zone;
    private final Duration settle;
    private final Clock clock;
    private final MetadataStore store;

    private final Map<String, Recording> byName = new ConcurrentHashMap<>();
    /** Files whose end is not known yet, with the last time their size was seen to change. */
    private final Map<String, Observation> unsettled = new HashMap<>();
    private volatile List<Recording> newestFirst = List.of();
    /** Gaps noted for files OBS announced but has not created yet. */
    private final Map<String, Double> pendingGaps = new HashMap<>();
    private final Map<String, LocalDateTime> pendingStarts = new HashMap<>();
    /** Puts a new recording into its show (see ShowPlacement); none until the shows are wired up. */
    private volatile ShowPlacement placement = (fresh, others, reason) -> fresh;
    /**
     * Why the latest recording ended, for the next one's show gap: nothing has ended yet in this run of
     * the app, so whatever was recorded before it ended with the app's (re)start, unless an end is seen.
     */
    private volatile String lastEndReason = Recording.APP_RESTARTED;
    /** The recording placed last and the reason it was given. */
    private String placedName;
    private String placedReason;
    /** Told, under the library's lock, when a recording's end has been probed (see whenProbed). */
    private final List<Runnable> probedListeners = new CopyOnWriteArrayList<>();
    /** Told when a recording leaves the library (deleted through the API, by retention, or on disk). */
    private final List<Consumer<Recording>> removalListeners = new CopyOnWriteArrayList<>();

    private record Observation(Path file, long size, Instant changed) {
    }

    /** Where a recording's last frame lies (seconds), read from the file itself; empty when it cannot be read. */
    private volatile Function<Path, OptionalDouble> framesReach = file -> OptionalDouble.empty();
    /** Probes one recording as the settle timer would (ffprobe, then its frames), for a request that waits for it. */
    private volatile Consumer<String> probeNow = path -> { };
    private volatile Duration probeWait = Duration.ofSeconds(10);
    /** Recordings whose file could not be read at all: not probed again on every request until it changes. */
    private final Set<String> unreadable = ConcurrentHashMap.newKeySet();
    private final ExecutorService onDemand = new ThreadPoolExecutor(0, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
        Thread t = new Thread(r, "probe-on-demand");
        t.setDaemon(true);
        return t;
    });

    public RecordingLibrary(Path dir, ZoneId zone, Duration settle, Clock clock, MetadataStore store) {
        this.dir = dir;
        this.zone = zone;
        this.settle = settle;
        this.clock = clock;
        this.store = store;
        load();
    }

    private synchronized void load() {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        store.removeStaleTemporaries();
        Map<String, Recording> known = new HashMap<>();
        for (Recording r : store.readAll()) {
            known.put(r.name(), r);
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String fileName = file.getFileName().toString();
                if (RecordingNames.container(fileName).isEmpty()
                        || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                String name = RecordingNames.baseName(fileName);
                Recording meta = known.remove(name);
                BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (meta == null || !fileName.equals(meta.filename())) {
                    meta = fresh(file, attrs);
                    store.write(meta);
                }
                byName.put(name, meta);
                if (meta.endTime() == null || meta.size() != attrs.size()) {
                    unsettled.put(name, new Observation(file, attrs.size(), attrs.lastModifiedTime().toInstant()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        for (Recording orphan : known.values()) {
            LOG.info("Metadata {} has no recording file any more: removed", orphan.name());
            store.delete(orphan.name());
        }
        refreshOrder();
        LOG.info("Library {}: {} recordings, {} to probe", dir, byName.size(), unsettled.size());
    }

    /**
     * How the library reads a file itself: {@code reach} tells where its frames end (for a recording
     * whose header lacks its length: OBS killed, disk full), {@code probe} probes a recording as the settle
     * timer does, for requests that cannot wait for it; a request waits at most {@code wait} for it.
     */
    public void readFilesWith(Function<Path, OptionalDouble> reach, Consumer<String> probe, Duration wait) {
        this.framesReach = reach;
        this.probeNow = probe;
        this.probeWait = wait;
    }

    public boolean isRecordingFile(String fileName) {
        return fileName != null && RecordingNames.container(Path.of(fileName).getFileName().toString()).isPresent();
    }

    /** A recording file was created or grew: it is (again) being written. */
    public synchronized void fileChanged(String path) {
        Path file = dir.resolve(Path.of(path).getFileName());
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || !isRecordingFile(file.toString())) {
            return;
        }
        String name = RecordingNames.baseName(file.getFileName().toString());
        long size = sizeOf(file);
        Recording current = byName.get(name);
        if (current != null && !current.filename().equals(file.getFileName().toString())) {
            LOG.warn("Ignoring {}: recording {} is already {}", file.getFileName(), name, current.filename());
            return;
        }
        Observation seen = unsettled.get(name);
        if (current == null) {
            current = fresh(file, attributes(file)).growing(size);
            LocalDateTime start = pendingStarts.remove(name);
            if (start != null) {
                current = current.startingAt(start);
            }
            Double gap = pendingGaps.remove(name);
            if (gap != null) {
                current = current.withGap(gap);
                LOG.info("Recording {} resumes the show after {} s without recording", current.filename(), gap);
            }
            // consumed: a file that follows without an end seen (a split) has no reason; but OBS may create,
            // remove and create its new file again (seen with OBS 29's mkv muxer), which keeps the reason
            String reason = name.equals(placedName) ? placedReason : lastEndReason;
            current = placement.place(current, newestFirst, reason);
            placedName = name;
            placedReason = reason;
            lastEndReason = null;
        } else if (current.size() != size || seen != null && seen.size() != size) {
            current = current.growing(size);
        } else {
            return;
        }
        byName.put(name, current);
        store.write(current);
        unreadable.remove(name);
        unsettled.put(name, new Observation(file, size, clock.instant()));
        refreshOrder();
    }

    /** OBS reports it started writing this file: listed at once, in progress. */
    public synchronized void recordingStarted(String path) {
        if (path != null && Files.exists(Path.of(path))) {
            fileChanged(path);
        }
    }

    /** OBS reports it finished this file: probe it now rather than after the settle time. */
    public synchronized void recordingStopped(String path) {
        if (path == null) {
            return;
        }
        Path file = dir.resolve(Path.of(path).getFileName());
        String name = RecordingNames.baseName(file.getFileName().toString());
        if (byName.containsKey(name) && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            unsettled.put(name, new Observation(file, sizeOf(file), Instant.EPOCH));
        }
    }

    /** How new recordings find their show (see ShowPlacement). */
    public void placeWith(ShowPlacement newPlacement) {
        this.placement = newPlacement;
    }

    /**
     * Why the recording OBS just ended ended ({@code Recording.OBS_LOST}, {@code STOPPED_BY_HAND}; null:
     * nothing known, e.g. the window closed or OBS stopped by itself), for the gap before the next one.
     */
    public void recordingEnded(String reason) {
        lastEndReason = reason;
    }

    /** Recordings without a show get theirs, as far as their ends are known (see ShowPlacement.placeAll). */
    public synchronized boolean placeUnplaced() {
        Map<String, String> shows = placement.placeAll(newestFirst, this::awaitingProbe);
        shows.forEach(this::assignShow);
        return !shows.isEmpty();
    }

    /** Notes that recording {@code name} is a part of show {@code showId} (in memory and its metadata). */
    public synchronized void assignShow(String name, String showId) {
        Recording r = byName.get(name);
        if (r == null || showId.equals(r.showId())) {
            return;
        }
        Recording placed = r.inShow(showId, r.gapReason());
        store.write(placed);
        byName.put(name, placed);
        refreshOrder();
        LOG.info("Recording {} is a part of show {}", placed.filename(), showId);
    }

    /**
     * Whether a recording that is not being written waits for its end to be probed (found at start, or
     * just finished; not one that could not be read): until then its file's last change may say nothing
     * about its end (a copied file).
     */
    public synchronized boolean awaitingProbe(Recording r) {
        return !r.inProgress() && r.endTime() == null && !unreadable.contains(r.name());
    }

    /**
     * Where a recording ends, as well as it is known now: its end once probed, else where its length says,
     * else (still being written, or not probed yet) when its file last changed.
     */
    public LocalDateTime endOf(Recording r) {
        if (r.endTime() != null) {
            return r.endTime();
        }
        if (r.duration() != null) {
            return r.startTime().plusNanos(Math.round(r.duration() * 1_000_000_000L)).withNano(0);
        }
        try {
            LocalDateTime changed = LocalDateTime.ofInstant(Files.getLastModifiedTime(fileOf(r)).toInstant(), zone).withNano(0);
            return changed.isAfter(r.startTime()) ? changed : r.startTime();
        } catch (IOException e) {
            return r.startTime();
        }
    }

    /** Notes in a recording's metadata how long the show went unrecorded before it (see Recording). */
    public synchronized void noteGap(String fileName, double seconds) {
        if (fileName == null) {
            return;
        }
        String name = RecordingNames.baseName(Path.of(fileName).getFileName().toString());
        Recording r = byName.get(name);
        double gap = Math.round(seconds * 10) / 10.0;
        if (r == null) {
            pendingGaps.put(name, gap); // OBS announced the file before creating it: noted when it appears
            return;
        }
        withGap(r, gap);
    }

    /**
     * Notes when OBS began a file whose name does not say it: a split continues in the formatting's name
     * with " (2)" (the name of the first part, so its time is the show's start, not this file's).
     */
    public synchronized void noteStart(String fileName, LocalDateTime start) {
        if (fileName == null || start == null) {
            return;
        }
        String name = RecordingNames.baseName(Path.of(fileName).getFileName().toString());
        Recording r = byName.get(name);
        if (r == null) {
            pendingStarts.put(name, start); // noted when the file appears
            return;
        }
        Recording noted = r.startingAt(start);
        byName.put(name, noted);
        store.write(noted);
        refreshOrder();
    }

    private void withGap(Recording r, double gap) {
        Recording noted = r.withGap(gap);
        byName.put(noted.name(), noted);
        store.write(noted);
        refreshOrder();
        LOG.info("Recording {} resumes the show after {} s without recording", noted.filename(), gap);
    }

    /** The file OBS is most likely writing: the newest recording still growing. */
    public synchronized Optional<Path> newestInProgress() {
        return newestFirst.stream().filter(Recording::inProgress).findFirst().map(this::fileOf);
    }

    public synchronized void fileDeleted(String path) {
        String name = RecordingNames.baseName(Path.of(path).getFileName().toString());
        Recording gone = byName.get(name);
        if (gone != null && gone.filename().equals(Path.of(path).getFileName().toString())) {
            byName.remove(name);
            unsettled.remove(name);
            store.delete(name);
            refreshOrder();
            LOG.info("Recording {} disappeared: metadata removed", gone.filename());
            removed(gone);
        }
    }

    /**
     * Recordings whose file has stopped changing for the settle time and so can be probed for their
     * end. Polls the size too, so a file still growing is noticed even without file events.
     */
    public synchronized List<String> dueForProbe() {
        Instant now = clock.instant();
        List<String> due = new ArrayList<>();
        for (var it = unsettled.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            Observation seen = entry.getValue();
            if (!Files.exists(seen.file(), LinkOption.NOFOLLOW_LINKS)) {
                it.remove();
                continue;
            }
            long size = sizeOf(seen.file());
            if (size != seen.size()) {
                entry.setValue(new Observation(seen.file(), size, now));
                Recording r = byName.get(entry.getKey());
                if (r != null && !r.inProgress()) {
                    r = r.growing(size);
                    byName.put(r.name(), r);
                    store.write(r);
                }
            } else if (!seen.changed().plus(settle).isAfter(now)) {
                it.remove();
                due.add(seen.file().toString());
            }
        }
        if (!due.isEmpty()) {
            refreshOrder();
        }
        return due;
    }

    /** ffprobe's verdict on a settled file: end and duration filled in, recording no longer in progress. */
    public synchronized Recording applyProbe(String path, MediaInfo info) {
        Path file = Path.of(path);
        String name = RecordingNames.baseName(file.getFileName().toString());
        Recording current = byName.get(name);
        if (current == null || unsettled.containsKey(name)) {
            return current; // deleted meanwhile, or growing again: a later probe will tell
        }
        Recording done = info.duration() != null ? current.probed(withLastFrame(current, file, info), sizeOf(file))
                : fromFrames(current, file, info);
        // one found at start gets its show with its end, in the same write (and so may the ones after it)
        List<Recording> with = new ArrayList<>(newestFirst);
        with.replaceAll(r -> r.name().equals(name) ? null : r);
        with.removeIf(java.util.Objects::isNull);
        with.add(done);
        Map<String, String> shows = placement.placeAll(with, this::awaitingProbe);
        if (shows.containsKey(name)) {
            done = done.inShow(shows.get(name), done.gapReason());
            LOG.info("Recording {} is a part of show {}", done.filename(), done.showId());
        }
        byName.put(name, done);
        store.write(done);
        shows.forEach((other, id) -> {
            if (!other.equals(name)) {
                assignShow(other, id);
            }
        });
        refreshOrder();
        for (Runnable listener : probedListeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.warn("After probing {}: {}", done.filename(), e.toString());
            }
        }
        LOG.info("Recording {}: {} – {} ({} s)", done.filename(), done.startTime(), done.endTime(), done.duration());
        return done;
    }

    /** A probe that failed: the recording stays listed without an end until the file changes again. */
    public synchronized void probeFailed(String path, String reason) {
        String name = RecordingNames.baseName(Path.of(path).getFileName().toString());
        Recording current = byName.get(name);
        if (current != null && !unsettled.containsKey(name)) {
            Recording stopped = fromFrames(current, Path.of(path), new MediaInfo(null, null, null, null, List.of()));
            byName.put(name, stopped);
            store.write(stopped);
            refreshOrder();
            placeUnplaced();
            if (stopped.duration() != null) {
                LOG.info("Recording {}: ffprobe cannot read it ({}), its frames reach {} s", stopped.filename(), reason,
                        stopped.duration());
                return;
            }
        }
        LOG.warn("Cannot read recording {}: {}", path, reason);
    }

    /**
     * An MP4 or MOV from OBS gives its last frame no length, so ffprobe's length ends where that frame
     * starts, and the last frame would lie outside the recording: there it ends one frame after its last
     * frame's start, as a Matroska header says anyway.
     */
    private MediaInfo withLastFrame(Recording current, Path file, MediaInfo info) {
        if (!Set.of("mp4", "mov").contains(current.container()) || info.fps() == null || info.fps() <= 0) {
            return info;
        }
        OptionalDouble reach;
        try {
            reach = framesReach.apply(file);
        } catch (RuntimeException e) {
            return info;
        }
        if (reach.isEmpty()) {
            return info;
        }
        double end = Math.round((reach.getAsDouble() + 1 / info.fps()) * 1000) / 1000.0;
        return end > info.duration() ? new MediaInfo(end, info.width(), info.height(), info.fps(), info.codecs()) : info;
    }

    /**
     * A recording whose header does not tell its length (ffprobe: duration N/A, as OBS leaves an mkv when
     * it is killed): length and end from where its last frame lies, marked as ended abnormally.
     * Without frames to be found it stays without an end.
     */
    private Recording fromFrames(Recording current, Path file, MediaInfo info) {
        OptionalDouble reach;
        try {
            reach = framesReach.apply(file);
        } catch (RuntimeException e) {
            reach = OptionalDouble.empty();
        }
        if (reach.isEmpty() || reach.getAsDouble() <= 0) {
            unreadable.add(current.name());
            return current.stopped(sizeOf(file));
        }
        // the last frame starts at its timestamp and lasts one frame
        double frame = info.fps() != null && info.fps() > 0 ? 1 / info.fps() : 0;
        Recording measured = current.measuredFromFrames(info, reach.getAsDouble() + frame, sizeOf(file));
        LOG.warn("Recording {} ended abnormally (its header has no length): its frames reach {} s",
                measured.filename(), measured.duration());
        return measured;
    }

    /**
     * The recording with its length known where it can be: one that is listed but not probed yet (right
     * after a start of the app, or before the settle timer came round) is probed now, by the request that
     * needs it, within the probe wait. One still being written, or already measured, is returned as it is.
     */
    public Recording measured(Recording r) {
        if (r.inProgress() || r.duration() != null || unreadable.contains(r.name())) {
            return r;
        }
        Path file = fileOf(r);
        synchronized (this) {
            Observation seen = unsettled.get(r.name());
            if (seen != null && seen.size() != sizeOf(file)) {
                return r; // growing after all: the settle timer will tell
            }
            unsettled.remove(r.name()); // the probe below applies only to a settled file
        }
        Future<?> probe = onDemand.submit(() -> probeNow.accept(file.toString()));
        try {
            probe.get(probeWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw Refusal.busy("Recording " + r.filename() + " is still being read; please try again in a moment.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.warn("Probing {} on demand failed: {}", r.filename(), e.getCause().toString());
        }
        Recording now = byName.get(r.name());
        if (now != null && now.duration() != null) {
            LOG.info("Recording {} probed on demand: {} s", now.filename(), now.duration());
        }
        return now == null ? r : now;
    }

    public List<Recording> list() {
        return newestFirst;
    }

    /** {@code GET /api/videos}: the recordings, newest first, and how many. */
    public record Listing(List<Recording> videos, int total) {
    }

    /** {@code GET /api/videos}: newest first, as the original answered. */
    public Listing listing() {
        return listing(newestFirst);
    }

    /** The listing of one state of the library (as {@link #list} returned it). */
    Listing listing(List<Recording> all) {
        return new Listing(all, all.size());
    }

    public Recording find(String requestedName) {
        String name = RecordingNames.requireBaseName(requestedName);
        Recording r = byName.get(name);
        if (r == null) {
            throw Refusal.notFound("No recording named '" + name + "'.");
        }
        return r;
    }

    public Recording newest() {
        List<Recording> all = newestFirst;
        if (all.isEmpty()) {
            throw Refusal.notFound("There are no recordings yet.");
        }
        return all.get(0);
    }

    public Path fileOf(Recording recording) {
        return dir.resolve(recording.filename());
    }

    /** Its metadata JSON beside it (what the archive uploads with it). */
    public Path metadataFileOf(Recording recording) {
        return store.fileOf(recording.name());
    }

    /** Sets the keep flag: on disk first, so a write that fails (a full disk) changes nothing. */
    public synchronized Recording setKeep(String requestedName, boolean keep) {
        Recording r = find(requestedName).withKeep(keep);
        try {
            store.write(r);
        } catch (UncheckedIOException e) {
            if (MetadataStore.diskFull(e)) {
                throw Refusal.diskFull("The disk is full: the keep flag of " + r.filename()
                        + " could not be saved and is unchanged. Please tell the venue's operator.");
            }
            throw e;
        }
        byName.put(r.name(), r);
        refreshOrder();
        return r;
    }

    /** Deletes a recording and its metadata; never one that is still being written. */
    public synchronized Recording delete(String requestedName) {
        Recording r = find(requestedName);
        if (r.inProgress() || unsettled.containsKey(r.name()) && r.endTime() == null) {
            throw Refusal.conflict("Recording " + r.filename() + " is still being recorded; it can be deleted after it ends.");
        }
        try {
            Files.deleteIfExists(fileOf(r));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + r.filename(), e);
        }
        byName.remove(r.name());
        unsettled.remove(r.name());
        store.delete(r.name());
        refreshOrder();
        LOG.info("Deleted recording {}", r.filename());
        removed(r);
        return r;
    }

    /**
     * {@code listener} runs, under the library's lock, each time a recording's end has been probed, so what
     * follows from it (its show's file) is on disk by the time anyone sees the recording as probed.
     */
    public void whenProbed(Runnable listener) {
        probedListeners.add(listener);
    }

    /** {@code listener} learns of every recording that leaves the library, to drop what belongs to it. */
    public void whenRemoved(Consumer<Recording> listener) {
        removalListeners.add(listener);
    }

    private void removed(Recording r) {
        for (Consumer<Recording> listener : removalListeners) {
            try {
                listener.accept(r);
            } catch (RuntimeException e) {
                LOG.warn("Cleaning up after recording {} failed: {}", r.filename(), e.toString());
            }
        }
    }

    /** Recordings complete on disk: not being written, not waiting for their end to be probed; newest first. */
    public synchronized List<Recording> finished() {
        return newestFirst.stream()
                .filter(r -> !r.inProgress())
                .filter(r -> !unsettled.containsKey(r.name()))
                .toList();
    }

    /** Recordings the retention rule may delete: ended before the cutoff, not kept, not in progress. */
    public synchronized List<Recording> expired(LocalDateTime cutoff) {
        return newestFirst.stream()
                .filter(r -> !r.keep() && !r.inProgress())
                .filter(r -> !unsettled.containsKey(r.name()))
                .filter(r -> (r.endTime() != null ? r.endTime() : r.startTime()).isBefore(cutoff))
                .toList();
    }

    private Recording fresh(Path file, BasicFileAttributes attrs) {
        String fileName = file.getFileName().toString();
        String name = RecordingNames.baseName(fileName);
        LocalDateTime start = RecordingNames.startFromName(name)
                .orElseGet(() -> LocalDateTime.ofInstant(attrs.creationTime().toInstant(), zone).withNano(0));
        return new Recording(fileName, name, start, null, null, attrs.size(),
                RecordingNames.container(fileName).orElseThrow(), false, false, null, null, null, null, false);
    }

    private void refreshOrder() {
        List<Recording> sorted = new ArrayList<>(byName.values());
        sorted.sort(NEWEST_FIRST);
        newestFirst = List.copyOf(sorted);
    }

    private static BasicFileAttributes attributes(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
