package de.scheincam.clips;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import de.scheincam.core.Refusal;
import de.scheincam.ffmpeg.MediaInfo;
import de.scheincam.library.DiskSpace;
import de.scheincam.library.ShowClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The export jobs: each one's state from queued to done or failed, the answers they give, and their
 * clips in {@code videos/exports} (a clip appears under {@code <id>.mp4} only once verified; a failed or
 * interrupted job leaves no file behind). {@link ExportAdmission} queues them; routes/clips.camel.yaml's
 * export-run moves each through {@link ExportPlanner}, {@link ExportWriter} and {@link ExportVerifier} to
 * {@link #complete}, or to {@link #fail}.
 */
public class ExportJobs {

    private static final Logger LOG = LoggerFactory.getLogger(ExportJobs.class);
    private static final Pattern JOB_ID = Pattern.compile("[0-9a-f]{16}");
    private static final DateTimeFormatter FRIENDLY = DateTimeFormatter.ofPattern("yyyy-MM-dd_HH-mm", Locale.ROOT);
    static final String DISK_FULL = "The disk is full; the export was removed.";
    static final String RESERVE = "The clip would eat into the room kept free on the recordings' disk for the next show;"
            + " the export was removed.";

    private final ExportFiles files;
    private final DiskReserve reserve;
    private final ClipRefusals refusals;
    private final String downloadPrefix;
    private final Clock clock;
    private final ObjectMapper json;
    private final SecureRandom random = new SecureRandom();

    private final Map<String, ExportJob> jobs = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<ExportJob>> outcomes = new ConcurrentHashMap<>();
    private final Map<String, Long> clipSizes = new ConcurrentHashMap<>();

    public ExportJobs(Path dir, DiskReserve reserve, ClipRefusals refusals, String downloadPrefix, Clock clock, ObjectMapper json) {
        this.files = new ExportFiles(dir);
        this.reserve = reserve;
        this.refusals = refusals;
        this.downloadPrefix = downloadPrefix;
        this.clock = clock;
        this.json = json;
        load();
    }

    ExportFiles files() {
        return files;
    }

    DiskReserve reserve() {
        return reserve;
    }

    ClipRefusals refusals() {
        return refusals;
    }

    /** Completed jobs survive a restart (their JSON beside the clip); interrupted ones are cleaned away. */
    private void load() {
        try {
            Files.createDirectories(files.dir());
            try (DirectoryStream<Path> all = Files.newDirectoryStream(files.dir())) {
                for (Path file : all) {
                    String name = file.getFileName().toString();
                    if (ExportFiles.interrupted(name)) {
                        Files.deleteIfExists(file);
                        LOG.info("Removed interrupted export file {}", name);
                    } else if (name.endsWith(".json")) {
                        ExportJob job = readJob(file);
                        if (job != null && job.finished() && Files.exists(files.clip(job.jobId()))) {
                            jobs.put(job.jobId(), job);
                        } else {
                            Files.deleteIfExists(file);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read exports in " + files.dir(), e);
        }
    }

    /** A job's JSON, or null when it cannot be read: one damaged file must not stop the app from starting. */
    private ExportJob readJob(Path file) {
        try {
            return json.readValue(file.toFile(), ExportJob.class);
        } catch (IOException e) {
            LOG.warn("Removed unreadable export job {}: {}", file.getFileName(), e.getMessage());
            return null;
        }
    }

    /** A new job for a checked stretch, queued; {@link ExportAdmission} has let it in. */
    ExportJob queue(StretchCheck.Stretch stretch) {
        Instant now = clock.instant();
        Duration length = stretch.to().minus(stretch.from());
        ExportJob job = new ExportJob(newId(), ExportState.QUEUED, stretch.mode(), stretch.recording().filename(),
                stretch.start(), stretch.end(), stretch.from().toMillis() / 1000.0, length.toMillis() / 1000.0,
                downloadPrefix + "_" + FRIENDLY.format(stretch.start()) + ".mp4", null, null, now, null, null, stretch.note(), null, null,
                stretch.show(), stretch.pieces());
        outcomes.put(job.jobId(), new CompletableFuture<>());
        jobs.put(job.jobId(), job);
        LOG.info("Export {} queued: {} {}–{} ({} s, {})", job.jobId(), job.filename(), ShowClock.hms(job.startTime()),
                ShowClock.hms(job.endTime()), job.duration(), job.mode().id());
        return job;
    }

    /** Jobs queued or running: what counts against the queue's bound. */
    int unfinishedCount() {
        return (int) jobs.values().stream().filter(j -> !j.finished()).count();
    }

    /** The queued job has its slot. */
    ExportJob start(String jobId) {
        ExportJob job = jobs.computeIfPresent(jobId, (id, j) -> j.running());
        if (job == null) {
            throw new IllegalStateException("unknown export " + jobId);
        }
        return job;
    }

    /** How the clip is being cut, with why where that is not what was asked for (after what a show's clip leaves out). */
    ExportJob cutBy(String jobId, ExportMethod method, String note) {
        if (note != null) {
            LOG.info("Export {}: {}", jobId, note);
        }
        return jobs.computeIfPresent(jobId, (id, j) -> j.cutBy(method, j.withGaps(note)));
    }

    /** The verified clip takes its name, the job its JSON beside it: done. */
    public ExportJob complete(ExportVerifier.Verified clip) {
        String jobId = clip.job().jobId();
        ExportJob job = require(jobId);
        MediaInfo info = clip.info();
        try {
            Files.move(files.part(jobId), files.clip(jobId), StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(files.progress(jobId));
            ExportJob done = job.done(info.duration(), info.soundTracks(), clock.instant());
            Files.write(files.jsonTmp(jobId), json.writeValueAsBytes(done));
            Files.move(files.jsonTmp(jobId), files.json(jobId), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            finish(done);
            LOG.info("Export {} done: {} s", jobId, info.duration());
            return done;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Any failure: no partial file stays, the job says what went wrong. */
    public ExportJob fail(String jobId, Throwable cause) {
        ExportJob job = jobs.get(jobId);
        boolean reserveReached = cause instanceof DiskReserve.ReserveReached || reserve.stoppedAtItsLimit(jobId, files.part(jobId));
        ExportFiles.deleteQuietly(files.head(jobId));
        ExportFiles.deleteQuietly(files.part(jobId));
        ExportFiles.deleteQuietly(files.progress(jobId));
        if (job == null || job.finished()) {
            reserve.release(jobId);
            return job;
        }
        // a failure inside complete() (e.g. the disk full while writing the job's JSON) comes after the move
        ExportFiles.deleteQuietly(files.clip(jobId));
        ExportFiles.deleteQuietly(files.jsonTmp(jobId));
        Refusal refused = refusals.meantBy(job, cause);
        if (refused != null) {
            LOG.info("Export {} refused ({}): {}", jobId, refused.kind(), refused.getMessage());
            return finish(job.failed(refused.getMessage(), clock.instant(), refused.kind()));
        }
        LOG.warn("Export {} failed: {}", jobId, cause == null ? "unknown error" : cause.getMessage());
        if (reserveReached || diskFull(cause)) {
            return finish(job.failed(reserveReached ? RESERVE : DISK_FULL, clock.instant(), Refusal.Kind.DISK_FULL));
        }
        return finish(job.failed("The export failed; the log has details.", clock.instant(), null));
    }

    private ExportJob finish(ExportJob job) {
        reserve.release(job.jobId());
        jobs.put(job.jobId(), job);
        CompletableFuture<ExportJob> outcome = outcomes.remove(job.jobId());
        if (outcome != null) {
            outcome.complete(job);
        }
        return job;
    }

    /** The job once it is finished, or as it stands after {@code wait}. */
    public ExportJob await(String jobId, Duration wait) {
        CompletableFuture<ExportJob> outcome = outcomes.get(jobId);
        ExportJob job = require(jobId);
        if (outcome == null) {
            return job;
        }
        try {
            return outcome.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return require(jobId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return require(jobId);
        }
    }

    /** What a failed job answers its request with: refused as its {@code refusedAs}, else the export failed. */
    public Refusal refusal(ExportJob failed) {
        if (RESERVE.equals(failed.error())) {
            DiskSpace d = reserve.disk();
            return Refusal.diskFull(RESERVE + (d == null ? "" : " " + DiskSpace.megabytes(d.minFreeBytes())
                    + " stay free; " + DiskSpace.megabytes(d.freeBytes()) + " are free now.")
                    + " Pick a shorter stretch, or tell the venue's operator.");
        }
        if (DISK_FULL.equals(failed.error())) {
            return Refusal.diskFull(DISK_FULL + " Please tell the venue's operator.");
        }
        if (failed.refusedAs() != null) {
            return new Refusal(failed.refusedAs(), failed.error());
        }
        return Refusal.failed("The export failed; please try again or pick another stretch.");
    }

    public ExportStatus status(String jobId) {
        return statusOf(require(jobId));
    }

    public ExportStatus statusOf(ExportJob job) {
        return ExportStatus.of(job, progress(job));
    }

    /** Jobs queued or running, for the progress the web UI gets pushed. */
    public List<ExportStatus> unfinished() {
        return jobs.values().stream().filter(j -> !j.finished()).map(this::statusOf).toList();
    }

    /** Unfinished jobs by state (queued, running), each state counted even at 0. */
    public Map<ExportState, Integer> unfinishedByState() {
        Map<ExportState, Integer> counts = new EnumMap<>(Map.of(ExportState.QUEUED, 0, ExportState.RUNNING, 0));
        jobs.values().stream().filter(j -> !j.finished()).forEach(j -> counts.merge(j.state(), 1, Integer::sum));
        return counts;
    }

    /** Share done, from the out_time ffmpeg writes to its -progress file. */
    private double progress(ExportJob job) {
        if (job.state() == ExportState.DONE) {
            return 1.0;
        }
        if (job.state() != ExportState.RUNNING) {
            return 0;
        }
        try {
            List<String> lines = Files.readAllLines(files.progress(job.jobId()));
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).startsWith("out_time_us=")) {
                    double seconds = Long.parseLong(lines.get(i).substring(12).trim()) / 1e6;
                    return Math.max(0, Math.min(0.99, seconds / job.duration()));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /** A finished clip for download: its file and the name the performer's browser saves it as. */
    public ExportJob downloadable(String jobId) {
        ExportJob job = require(jobId);
        if (job.state() != ExportState.DONE) {
            throw Refusal.conflict("Export " + jobId + " is " + job.state().id() + "; it can be downloaded when it is done.");
        }
        return job;
    }

    public Path clipFile(String jobId) {
        return files.clip(jobId);
    }

    /** The job, or empty for one that is gone (expired, removed for room) or never was. */
    public Optional<ExportJob> find(String jobId) {
        return Optional.ofNullable(jobs.get(jobId));
    }

    /** Finished exports older than {@code age}: deleted with their JSON; returns their ids. */
    public List<String> expire(Duration age) {
        Instant cutoff = clock.instant().minus(age);
        List<String> removed = new ArrayList<>();
        for (ExportJob job : List.copyOf(jobs.values())) {
            if (job.finished() && job.finishedAt() != null && job.finishedAt().isBefore(cutoff)) {
                remove(job.jobId());
                removed.add(job.jobId());
            }
        }
        return removed;
    }

    /** The bytes a finished clip takes on disk (0 for any other job, or a clip already gone). */
    public long clipBytes(String jobId) {
        ExportJob job = jobs.get(jobId);
        if (job == null || job.state() != ExportState.DONE) {
            return 0;
        }
        // a finished clip does not change: its size is read once (admission sums every clip on each export)
        return clipSizes.computeIfAbsent(jobId, id -> {
            try {
                return Files.size(files.clip(id));
            } catch (IOException e) {
                return 0L;
            }
        });
    }

    /**
     * Deletes finished clips, oldest first, until those left take less than {@code maxBytes} and fewer
     * than {@code maxCount} (so one more fits); returns their ids. Running and queued exports stay.
     */
    public synchronized List<String> makeRoom(long maxBytes, int maxCount) {
        List<ExportJob> done = jobs.values().stream().filter(j -> j.state() == ExportState.DONE && j.finishedAt() != null)
                .sorted(Comparator.comparing(ExportJob::finishedAt)).toList();
        long bytes = done.stream().mapToLong(j -> clipBytes(j.jobId())).sum();
        int count = done.size();
        List<String> removed = new ArrayList<>();
        for (ExportJob oldest : done) {
            if (bytes < maxBytes && count < maxCount) {
                break;
            }
            bytes -= clipBytes(oldest.jobId());
            count--;
            remove(oldest.jobId());
            removed.add(oldest.jobId());
        }
        if (!removed.isEmpty()) {
            LOG.info("Clip budget: removed the oldest clips {}", removed);
        }
        return removed;
    }

    private void remove(String jobId) {
        jobs.remove(jobId);
        clipSizes.remove(jobId);
        ExportFiles.deleteQuietly(files.clip(jobId));
        ExportFiles.deleteQuietly(files.json(jobId));
    }

    private ExportJob require(String jobId) {
        ExportJob job = jobId != null && JOB_ID.matcher(jobId).matches() ? jobs.get(jobId) : null;
        if (job == null) {
            throw Refusal.notFound("No export with id '" + (jobId == null ? "" : jobId.replaceAll("[^\\w-]", "?")) + "'.");
        }
        return job;
    }

    private String newId() {
        byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** ffmpeg's stderr (in ProgramFailed) or Java's IOException say ENOSPC the same way. */
    private static boolean diskFull(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("No space left on device")) {
                return true;
            }
        }
        return false;
    }
}
