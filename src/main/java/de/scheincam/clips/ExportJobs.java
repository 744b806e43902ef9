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
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import de.scheincam.core.Refusal;
import de.scheincam.ffmpeg.FfmpegBinaries;
import de.scheincam.ffmpeg.InProcessProbe;
import de.scheincam.ffmpeg.MediaInfo;
import de.scheincam.ffmpeg.ProgramCall;
import de.scheincam.ffmpeg.ProgramFailed;
import de.scheincam.library.Recording;
import de.scheincam.library.RecordingLibrary;
import de.scheincam.library.ShowClock;
import de.scheincam.remux.ClipCutter;
import de.scheincam.remux.Cut;
import de.scheincam.remux.DamagedSource;
import de.scheincam.remux.NotRecordedYet;
import de.scheincam.remux.RecordingIndex;
import de.scheincam.remux.UnsupportedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Export jobs: a clip request is checked completely before anything runs, gets a slot (at most
 * {@code maxRunning} exports at once, {@code maxQueued} more waiting, then 429), is cut
 * (routes/clips.camel.yaml: {@link #begin} may hand the route an ffmpeg run for camel-exec, then
 * {@link #assemble} writes the clip in-process and may hand it a fallback run), is verified with
 * ffprobe, and only then appears under {@code videos/exports/<id>.mp4}. A failed or interrupted job
 * leaves no file behind.
 *
 * <p>How a clip is cut ({@code method} in its status): {@code remux} — stream copy in-process, as fast
 * as copying the bytes; {@code smart-cut} — the frames up to the next keyframe re-encoded by ffmpeg,
 * the rest copied in-process; {@code ffmpeg-copy} — stream copy by ffmpeg, for recordings the
 * in-process remuxer does not read; {@code reencode} — the whole stretch encoded by ffmpeg.
 */
public class ExportJobs {

    private static final Logger LOG = LoggerFactory.getLogger(ExportJobs.class);
    private static final Pattern JOB_ID = Pattern.compile("[0-9a-f]{16}");
    private static final DateTimeFormatter FRIENDLY = DateTimeFormatter.ofPattern("yyyy-MM-dd_HH-mm", Locale.ROOT);
    private static final String PART = ".part.mp4";
    private static final String PROGRESS = ".progress";
    static final String DISK_FULL = "The disk is full; the export was removed.";
    static final String RESERVE = "The clip would eat into the room kept free on the recordings' disk for the next show;"
            + " the export was removed.";
    /** A clip's true length may differ from the request by up to a frame or two at each end. */
    private static final double DURATION_TOLERANCE = 0.5;
    /**
     * Refusals that, met while cutting, say the recording cannot give the clip as asked (the job fails
     * answering them); any other (busy, OBS, the disk) is the export failing.
     */
    private static final EnumSet<Refusal.Kind> CANNOT_GIVE_THE_CLIP = EnumSet.of(Refusal.Kind.NOT_FOUND,
            Refusal.Kind.CONFLICT, Refusal.Kind.INVALID, Refusal.Kind.MALFORMED, Refusal.Kind.DAMAGED, Refusal.Kind.TOO_MANY);

    private final RecordingLibrary library;
    private final ShowClock showClock;
    private final FfmpegBinaries binaries;
    private final Path dir;
    private final int maxRunning;
    private final int maxQueued;
    private final Duration maxClip;
    private final String downloadPrefix;
    private final Clock clock;
    private final ObjectMapper json;
    private final SecureRandom random = new SecureRandom();

    private final Map<String, ExportJob> jobs = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<ExportJob>> outcomes = new ConcurrentHashMap<>();
    /** Bytes each running job may write (see {@link #reserve}); an ffmpeg run is held to its share by -fs. */
    private final Map<String, Long> reserved = new ConcurrentHashMap<>();
    private final Map<String, Long> fileLimits = new ConcurrentHashMap<>();
    private final Map<String, Long> clipSizes = new ConcurrentHashMap<>();
    private volatile de.scheincam.library.DiskSpace disk;
    /** The in-process plan of each running job cut by remux or smart cut. */
    private final Map<String, Cut> cuts = new ConcurrentHashMap<>();
    private final ClipCutter cutter;
    private final InProcessProbe probe;
    /** Checks of clips written in-process, running while their media bytes are copied. */
    private final Map<String, Future<MediaInfo>> checks = new ConcurrentHashMap<>();
    private final ExecutorService checker = new ThreadPoolExecutor(0, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
        Thread t = new Thread(r, "export-check");
        t.setDaemon(true);
        return t;
    });
    private int active;

    public ExportJobs(RecordingLibrary library, ShowClock showClock, FfmpegBinaries binaries, ClipCutter cutter,
                      InProcessProbe probe, Path dir, int maxRunning, int maxQueued, Duration maxClip, String downloadPrefix, Clock clock,
                      ObjectMapper json) {
        this.cutter = cutter;
        this.probe = probe;
        this.library = library;
        this.showClock = showClock;
        this.binaries = binaries;
        this.dir = dir;
        this.maxRunning = maxRunning;
        this.maxQueued = maxQueued;
        this.maxClip = maxClip;
        this.downloadPrefix = downloadPrefix;
        this.clock = clock;
        this.json = json;
        load();
    }

    /** Completed jobs survive a restart (their JSON beside the clip); interrupted ones are cleaned away. */
    private void load() {
        try {
            Files.createDirectories(dir);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path file : files) {
                    String name = file.getFileName().toString();
                    if (name.endsWith(PART) || name.endsWith(PROGRESS) || name.endsWith(".tmp")) {
                        Files.deleteIfExists(file);
                        LOG.info("Removed interrupted export file {}", name);
                    } else if (name.endsWith(".json")) {
                        ExportJob job = readJob(file);
                        if (job != null && job.finished() && Files.exists(clipFile(job.jobId()))) {
                            jobs.put(job.jobId(), job);
                        } else {
                            Files.deleteIfExists(file);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read exports in " + dir, e);
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

    /** Checks the request against the library and the limits; queues it or refuses with a reason. */
    public ExportJob submit(ClipRequest request) {
        if (request == null) {
            throw Refusal.invalid("A JSON body with 'filename', 'start_time' and 'end_time' is required.");
        }
        ExportMode mode = ExportMode.parse(request.mode());
        Recording recording = library.measured(library.find(request.filename()));
        LocalDateTime start = showClock.wallClock(recording, ShowClock.parse("start_time", request.startTime()));
        LocalDateTime end = showClock.wallClock(recording, ShowClock.parse("end_time", request.endTime()));
        Duration length = exportableLength(recording);
        Duration from = showClock.offset(recording, start);
        Duration to = showClock.offset(recording, end);
        String span = showClock.span(recording, length);
        if (from.compareTo(length) >= 0) {
            throw Refusal.invalid("Field 'start_time': " + ShowClock.hms(start) + " is outside the recording (" + span + ").");
        }
        if (to.compareTo(from) <= 0) {
            throw Refusal.invalid("Field 'end_time': " + ShowClock.hms(end) + " must be after start_time " + ShowClock.hms(start) + ".");
        }
        if (to.compareTo(length) > 0) {
            throw Refusal.invalid("Field 'end_time': " + ShowClock.hms(end) + " is outside the recording (" + span + ").");
        }
        if (to.minus(from).compareTo(maxClip) > 0) {
            throw Refusal.invalid("The clip is " + minutes(to.minus(from)) + " long; at most "
                    + minutes(maxClip) + " can be exported at once.");
        }
        synchronized (this) {
            if (active >= maxRunning + maxQueued) {
                throw Refusal.tooMany("Too many exports at once (" + active + " running or waiting); try again in a minute.");
            }
            active++;
        }
        Instant now = clock.instant();
        ExportJob job = new ExportJob(newId(), ExportJob.QUEUED, mode.id(), recording.filename(), start, end,
                from.toMillis() / 1000.0, to.minus(from).toMillis() / 1000.0,
                downloadPrefix + "_" + FRIENDLY.format(start) + ".mp4", null, null, now, null, null, null, null, null);
        jobs.put(job.jobId(), job);
        outcomes.put(job.jobId(), new CompletableFuture<>());
        LOG.info("Export {} queued: {} {}–{} ({} s, {})", job.jobId(), job.filename(), ShowClock.hms(start),
                ShowClock.hms(end), job.duration(), mode.id());
        return job;
    }

    /**
     * How far a recording can be exported now. One still being written is read from the file itself: a
     * Matroska or fragmented MP4 up to its last complete frame; a plain MP4 has no index until OBS
     * finishes it (a conflict).
     */
    private Duration exportableLength(Recording recording) {
        if (!recording.inProgress()) {
            return showClock.readableLength(recording);
        }
        try {
            double seconds = cutter.readableSeconds(library.fileOf(recording));
            return Duration.ofMillis((long) Math.floor(seconds * 1000)); // to its last whole frame, not a whole second
        } catch (NotRecordedYet e) {
            throw Refusal.conflict("Recording " + recording.filename() + " is still being recorded as a plain MP4, "
                    + "which can only be cut once it has ended (" + e.getMessage() + "). Record in mkv or "
                    + "fragmented MP4 to cut during the show.");
        } catch (UnsupportedSource e) {
            return showClock.readableLength(recording);
        } catch (IOException e) {
            throw Refusal.conflict("Recording " + recording.filename() + " cannot be read while it is being recorded.");
        }
    }

    /**
     * Marks a queued job running and plans its cut: returns the ffmpeg run the route must do first (a
     * smart cut's head, or the whole clip for reencode and fallbacks), or null when the clip is cut
     * in-process only.
     */
    public ProgramCall begin(String jobId) throws IOException {
        ExportJob job = jobs.computeIfPresent(jobId, (id, j) -> j.withState(ExportJob.RUNNING));
        if (job == null) {
            throw new IllegalStateException("unknown export " + jobId);
        }
        Recording recording = library.find(job.filename());
        Path source = library.fileOf(recording);
        ExportMode mode = ExportMode.parse(job.mode());
        double from = job.offset();
        double to = job.offset() + job.duration();
        if (mode == ExportMode.REENCODE) {
            try {
                cutter.copy(cutter.index(source, from, to), from, to).requirePictures();
            } catch (DamagedSource e) {
                if (!recording.inProgress()) {
                    throw refusal(job, recording, source, e);
                }
            } catch (NotRecordedYet e) {
                throw refusal(job, recording, source, e);
            } catch (IOException | RuntimeException e) {
                LOG.debug("Export {}: no damage check before the re-encode: {}", jobId, e.toString());
            }
            return ffmpegRun(cutBy(jobId, "reencode", null), ExportMode.REENCODE);
        }
        Cut cut;
        try {
            RecordingIndex index = cutter.index(source, from, to);
            cut = mode == ExportMode.EXACT ? cutter.exact(index, from, to) : cutter.copy(index, from, to);
            cut.requirePictures();
        } catch (NotRecordedYet e) {
            throw refusal(job, recording, source, e);
        } catch (UnsupportedSource e) {
            if (e instanceof DamagedSource && !recording.inProgress()) {
                // ffmpeg would only scan the damage (20 GB of zeros: until its deadline) and write nothing useful
                throw refusal(job, recording, source, e);
            }
            return mode == ExportMode.EXACT
                    ? ffmpegRun(cutBy(jobId, "reencode", "Re-encoded in full: the recording cannot be smart-cut (" + e.getMessage() + ")."), ExportMode.REENCODE)
                    : ffmpegRun(cutBy(jobId, "ffmpeg-copy", "Copied by ffmpeg: " + e.getMessage() + "."), ExportMode.COPY);
        }
        reserve(jobId, cut.bytes());
        if (!cut.needsHead()) {
            cuts.put(jobId, cut);
            cutBy(jobId, "remux", mode == ExportMode.EXACT ? "The clip starts on a keyframe: nothing needed re-encoding." : null);
            return null;
        }
        try {
            List<String> args = cut.headArgs(headFile(jobId), cutter.firstFrame(source));
            cuts.put(jobId, cut);
            cutBy(jobId, "smart-cut", cut.headFrames() + " frames re-encoded up to the next keyframe, the rest copied.");
            return new ProgramCall(binaries.ffmpeg(), args, Math.max(120_000, cut.headFrames() * 1000L));
        } catch (UnsupportedSource e) {
            return ffmpegRun(cutBy(jobId, "reencode", "Re-encoded in full: the recording cannot be smart-cut (" + e.getMessage() + ")."),
                    ExportMode.REENCODE);
        }
    }

    /**
     * Writes the clip of a remux or smart cut in-process. Returns null, or the full re-encode to run
     * instead when the smart cut's re-encoded head does not match the recording (then the parts would
     * not play as one stream).
     */
    public ProgramCall assemble(String jobId) throws IOException {
        Cut cut = cuts.remove(jobId);
        if (cut == null) {
            return null; // ffmpeg wrote the clip
        }
        // libavformat reads the clip's index as ffprobe would while the kernel copies the media bytes
        java.util.function.Consumer<Path> check = part -> checks.put(jobId, checker.submit(() -> probe.probe(part)));
        try {
            if (cut.needsHead()) {
                String how = cut.write(partFile(jobId), headFile(jobId), check);
                cutBy(jobId, "smart-cut", cut.headFrames() + " frames re-encoded up to the next keyframe, " + how
                        + "; the rest copied.");
            } else {
                cut.write(partFile(jobId), check);
            }
            return null;
        } catch (UnsupportedSource e) {
            Files.deleteIfExists(partFile(jobId));
            return ffmpegRun(cutBy(jobId, "reencode", "Re-encoded in full: the recording cannot be smart-cut (" + e.getMessage() + ")."),
                    ExportMode.REENCODE);
        } catch (NotRecordedYet e) {
            ExportJob job = require(jobId);
            Recording recording = library.find(job.filename());
            throw refusal(job, recording, library.fileOf(recording), e);
        } finally {
            Files.deleteIfExists(headFile(jobId));
        }
    }

    /**
     * Why the recording cannot give the clip, as the client sees it: damaged for a finished recording that is
     * damaged at the stretch or ends before it (saying what was recorded), a conflict for one still being
     * recorded that has not reached it yet. Exports are checked against the recording's length when asked
     * for; this is what only cutting finds out (a header that claims more than the file holds).
     */
    private Refusal refusal(ExportJob job, Recording recording, Path source, RuntimeException e) {
        String stretch = ShowClock.hms(job.startTime()) + "–" + ShowClock.hms(job.endTime());
        if (e instanceof DamagedSource) {
            return Refusal.damaged("Recording " + recording.filename() + " is damaged at " + stretch + " and cannot be cut there: "
                    + e.getMessage() + " (zeros or garbage where its pictures should be).");
        }
        String recorded = recordedSpan(recording, source);
        if (recording.inProgress()) {
            return Refusal.conflict("Recording " + recording.filename() + " is still being recorded and does not reach "
                    + stretch + " yet" + (recorded == null ? "" : " (it runs " + recorded + " so far)") + ".");
        }
        return Refusal.damaged("Recording " + recording.filename() + " ends before " + stretch + ": "
                + (recorded == null ? "the file holds less than its header says (" + e.getMessage() + ")."
                : "only " + recorded + " was recorded (the file is cut off; its header claims more)."));
    }

    /** "19:50:00–19:51:00": the stretch the file really holds, or null when it cannot be read. */
    private String recordedSpan(Recording recording, Path source) {
        try {
            double seconds = cutter.recordedSeconds(source);
            return showClock.span(recording, Duration.ofMillis((long) Math.floor(seconds * 1000)));
        } catch (IOException | RuntimeException e) {
            LOG.debug("Recorded length of {} not known: {}", recording.filename(), e.toString());
            return null;
        }
    }

    private ExportJob cutBy(String jobId, String method, String note) {
        if (note != null) {
            LOG.info("Export {}: {}", jobId, note);
        }
        return jobs.computeIfPresent(jobId, (id, j) -> j.cutBy(method, note));
    }

    private ProgramCall ffmpegRun(ExportJob job, ExportMode how) {
        Recording recording = library.find(job.filename());
        Path file = library.fileOf(recording);
        List<String> args = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-v", "error", "-y",
                "-progress", progressFile(job.jobId()).toString()));
        double end = job.offset() + job.duration();
        long estimate; // bits per second of the clip, 0 when unknown
        if (how == ExportMode.REENCODE) {
            // from the frame shown at the requested time, which only the recording's index knows
            ExportMode.Start start = null;
            long bits = 0;
            try {
                RecordingIndex index = cutter.index(file, job.offset(), end);
                start = ExportMode.Start.shownAt(index.video(), job.offset());
                bits = Cut.videoBitsPerSecond(index);
            } catch (IOException | RuntimeException e) {
                LOG.debug("Re-encode of {} without its index (from the requested time, bit rate from the size): {}",
                        recording.filename(), e.toString());
            }
            args.addAll(how.ffmpegArgs(file.toString(), start == null ? ExportMode.Start.requested(job.offset()) : start, end,
                    bits > 0 ? bits : bitsPerSecondOfFile(recording)));
            estimate = (bits > 0 ? bits : bitsPerSecondOfFile(recording)) + 160_000;
        } else {
            args.addAll(how.ffmpegArgs(file.toString(), job.offset(), job.duration(), 0));
            estimate = bitsPerSecondOfFile(recording);
        }
        if (estimate > 0) {
            // ffmpeg writes nothing past its share of the room above the floor (its -fs), and the job then fails as RESERVE
            long limit = reserve(job.jobId(), (long) (estimate / 8.0 * job.duration()) + (256L << 10));
            if (limit < Long.MAX_VALUE) {
                fileLimits.put(job.jobId(), limit);
                args.addAll(List.of("-fs", String.valueOf(limit)));
            }
        }
        args.add(partFile(job.jobId()).toString());
        long timeout = Math.max(120_000, (long) (job.duration() * 1000 * 4));
        return new ProgramCall(binaries.ffmpeg(), args, timeout);
    }

    /** Where the remuxer cannot read the recording: the whole file's bytes per second (picture and sound, so rather more); 0 when unknown. */
    private static long bitsPerSecondOfFile(Recording recording) {
        Double seconds = recording.duration();
        return seconds != null && seconds > 0 ? Math.round(recording.size() * 8 / seconds) : 0;
    }

    /**
     * ffprobe on the written clip: an exit code of 0 alone does not prove the file is whole. Null for a
     * clip written in-process: {@link #completeWritten} asks ffprobe's library instead, without a process.
     */
    public ProgramCall verifyCall(String jobId) {
        ExportJob job = require(jobId);
        if ("remux".equals(job.method()) || "smart-cut".equals(job.method())) {
            return null;
        }
        return new ProgramCall(binaries.ffprobe(), List.of("-v", "error", "-print_format", "json",
                "-show_format", "-show_streams", partFile(jobId).toString()), 60_000);
    }

    /**
     * Completes a clip written in-process, once libavformat has read it as ffprobe would (begun when its
     * index was written; the writer itself has made sure every byte the index points to is there).
     */
    public ExportJob completeWritten(String jobId) throws InterruptedException {
        Future<MediaInfo> check = checks.remove(jobId);
        if (check == null) {
            return complete(jobId, probe.probe(partFile(jobId)));
        }
        try {
            return complete(jobId, check.get());
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    public ExportJob complete(String jobId, MediaInfo info) {
        ExportJob job = require(jobId);
        if (info.duration() == null || !info.hasVideo()
                || Math.abs(info.duration() - job.duration()) > DURATION_TOLERANCE) {
            throw new IllegalStateException("export " + jobId + " produced " + info.duration() + " s with streams "
                    + info.codecs() + ", expected " + job.duration() + " s of video");
        }
        try {
            Files.move(partFile(jobId), clipFile(jobId), StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(progressFile(jobId));
            ExportJob done = job.done(info.duration(), info.soundTracks(), clock.instant());
            Path meta = dir.resolve(jobId + ".json");
            Path tmp = dir.resolve(jobId + ".json.tmp");
            Files.write(tmp, json.writeValueAsBytes(done));
            Files.move(tmp, meta, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
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
        cuts.remove(jobId);
        Future<MediaInfo> check = checks.remove(jobId);
        if (check != null) {
            check.cancel(false);
        }
        boolean reserveReached = cause instanceof ReserveReached || stoppedAtItsLimit(jobId);
        deleteQuietly(headFile(jobId));
        deleteQuietly(partFile(jobId));
        deleteQuietly(progressFile(jobId));
        if (job == null || job.finished()) {
            reserved.remove(jobId);
            fileLimits.remove(jobId);
            return job;
        }
        // a failure inside complete() (e.g. the disk full while writing the job's JSON) comes after the move
        deleteQuietly(clipFile(jobId));
        deleteQuietly(dir.resolve(jobId + ".json.tmp"));
        String why = cause == null ? "unknown error" : cause.getMessage();
        Refusal refused = refusedBy(job, cause);
        if (refused != null) {
            LOG.info("Export {} refused ({}): {}", jobId, refused.kind(), refused.getMessage());
            ExportJob failed = job.failed(refused.getMessage(), clock.instant(), refused.kind());
            finish(failed);
            return failed;
        }
        LOG.warn("Export {} failed: {}", jobId, why);
        ExportJob failed = job.failed(reserveReached ? RESERVE : diskFull(cause) ? DISK_FULL : "The export failed; the log has details.",
                clock.instant());
        finish(failed);
        return failed;
    }

    /**
     * The refusal a failure means, or null for a real failure: a refusal thrown while cutting (see
     * {@link #refusal}), or ffmpeg unable to read the recording at the stretch (a smart cut's head
     * decoding zeros between keyframes: "Invalid data found when processing input", "Error splitting the
     * input into NAL units"; the recording is ffmpeg's only input). ffprobe failing on the written clip
     * (its message names the .part.mp4) stays a failure: that is ours.
     */
    private Refusal refusedBy(ExportJob job, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof Refusal r && CANNOT_GIVE_THE_CLIP.contains(r.kind())) {
                return r;
            }
            String m = t.getMessage();
            if (t instanceof ProgramFailed && m != null && !m.contains(PART)
                    && (m.contains("Invalid data found when processing input") || m.contains("Error splitting the input into NAL units"))) {
                Recording recording = library.find(job.filename());
                return Refusal.damaged("Recording " + recording.filename() + " is damaged at " + ShowClock.hms(job.startTime())
                        + "–" + ShowClock.hms(job.endTime()) + " and cannot be cut there: ffmpeg cannot read it (Invalid data found).");
            }
        }
        return null;
    }

    private void finish(ExportJob job) {
        reserved.remove(job.jobId());
        fileLimits.remove(job.jobId());
        jobs.put(job.jobId(), job);
        synchronized (this) {
            active--;
        }
        CompletableFuture<ExportJob> outcome = outcomes.remove(job.jobId());
        if (outcome != null) {
            outcome.complete(job);
        }
    }

    /**
     * The original API answered an export with the finished file. Short clips still do: wait up to
     * {@code waitMillis}; longer work answers 202 with the job's address.
     */
    public ExportReply await(String jobId, long waitMillis) {
        CompletableFuture<ExportJob> outcome = outcomes.get(jobId);
        ExportJob job = require(jobId);
        if (outcome != null) {
            try {
                job = outcome.get(waitMillis, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                job = require(jobId);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                job = require(jobId);
            } catch (ExecutionException e) {
                job = require(jobId);
            }
        }
        if (ExportJob.FAILED.equals(job.state()) && RESERVE.equals(job.error())) {
            de.scheincam.library.DiskSpace d = disk;
            throw Refusal.diskFull(RESERVE + (d == null ? "" : " " + de.scheincam.library.DiskSpace.megabytes(d.minFreeBytes())
                    + " stay free; " + de.scheincam.library.DiskSpace.megabytes(d.freeBytes()) + " are free now.")
                    + " Pick a shorter stretch, or tell the venue's operator.");
        }
        if (ExportJob.FAILED.equals(job.state()) && DISK_FULL.equals(job.error())) {
            throw Refusal.diskFull(DISK_FULL + " Please tell the venue's operator.");
        }
        if (ExportJob.FAILED.equals(job.state()) && job.refusedAs() != null) {
            throw new Refusal(job.refusedAs(), job.error());
        }
        if (ExportJob.FAILED.equals(job.state())) {
            throw Refusal.failed("The export failed; please try again or pick another stretch.");
        }
        return new ExportReply(job.finished() ? 200 : 202, status(job), "/api/exports/" + jobId);
    }

    /**
     * As {@link #await(String, long)}, except that a client sending {@code Prefer: respond-async}
     * (RFC 7240; the web UI does, to show progress) gets the 202 with the job at once.
     */
    public ExportReply await(String jobId, long waitMillis, String prefer) {
        boolean async = prefer != null && prefer.toLowerCase(java.util.Locale.ROOT).contains("respond-async");
        return await(jobId, async ? 0 : waitMillis);
    }

    public Map<String, Object> status(String jobId) {
        return status(require(jobId));
    }

    /** Jobs queued or running, for the progress the web UI gets pushed. */
    public List<Map<String, Object>> unfinished() {
        return jobs.values().stream().filter(j -> !j.finished()).map(this::status).toList();
    }

    private Map<String, Object> status(ExportJob job) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("success", !ExportJob.FAILED.equals(job.state()));
        s.put("job_id", job.jobId());
        s.put("state", job.state());
        s.put("progress", progress(job));
        s.put("mode", job.mode());
        if (job.method() != null) {
            s.put("method", job.method());
        }
        if (job.note() != null) {
            s.put("note", job.note());
        }
        s.put("filename", job.filename());
        s.put("start_time", job.startTime());
        s.put("end_time", job.endTime());
        s.put("duration", job.duration());
        s.put("status_url", "/api/exports/" + job.jobId());
        if (ExportJob.DONE.equals(job.state())) {
            s.put("filepath", "exports/" + job.jobId() + ".mp4");
            s.put("download_url", "/api/exports/" + job.jobId() + "/download");
            s.put("download_name", job.downloadName());
            s.put("result_duration", job.resultDuration());
            if (job.audioTracks() != null) {
                s.put("audio_tracks", job.audioTracks());
            }
        }
        if (job.error() != null) {
            s.put("error", job.error());
        }
        return s;
    }

    /** Share done, from the out_time ffmpeg writes to its -progress file. */
    private double progress(ExportJob job) {
        switch (job.state()) {
            case ExportJob.DONE:
                return 1.0;
            case ExportJob.RUNNING:
                try {
                    List<String> lines = Files.readAllLines(progressFile(job.jobId()));
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
            default:
                return 0;
        }
    }

    /** A finished clip for download: its file and the name the performer's browser saves it as. */
    public ExportJob downloadable(String jobId) {
        ExportJob job = require(jobId);
        if (!ExportJob.DONE.equals(job.state())) {
            throw Refusal.conflict("Export " + jobId + " is " + job.state() + "; it can be downloaded when it is done.");
        }
        return job;
    }

    public Path clipFile(String jobId) {
        return dir.resolve(jobId + ".mp4");
    }

    /** Finished exports older than {@code age}: deleted with their JSON; returns their ids. */
    public List<String> expire(Duration age) {
        Instant cutoff = clock.instant().minus(age);
        List<String> removed = new ArrayList<>();
        for (ExportJob job : List.copyOf(jobs.values())) {
            if (job.finished() && job.finishedAt() != null && job.finishedAt().isBefore(cutoff)) {
                jobs.remove(job.jobId());
                clipSizes.remove(job.jobId());
                deleteQuietly(clipFile(job.jobId()));
                deleteQuietly(dir.resolve(job.jobId() + ".json"));
                removed.add(job.jobId());
            }
        }
        return removed;
    }

    /** The bytes a finished clip takes on disk (0 for any other job, or a clip already gone). */
    public long clipBytes(String jobId) {
        ExportJob job = jobs.get(jobId);
        if (job == null || !ExportJob.DONE.equals(job.state())) {
            return 0;
        }
        // a finished clip does not change: its size is read once (admission sums every clip on each export)
        return clipSizes.computeIfAbsent(jobId, id -> {
            try {
                return Files.size(clipFile(id));
            } catch (IOException e) {
                return 0L;
            }
        });
    }

    /** The job's state (queued, running, done, failed), or null for a job that is gone. */
    public String state(String jobId) {
        ExportJob job = jobs.get(jobId);
        return job == null ? null : job.state();
    }

    /**
     * Deletes finished clips, oldest first, until those left take less than {@code maxBytes} and fewer
     * than {@code maxCount} (so one more fits); returns their ids. Running and queued exports stay.
     */
    public synchronized List<String> makeRoom(long maxBytes, int maxCount) {
        List<ExportJob> done = jobs.values().stream().filter(j -> ExportJob.DONE.equals(j.state()) && j.finishedAt() != null)
                .sorted(java.util.Comparator.comparing(ExportJob::finishedAt)).toList();
        long bytes = done.stream().mapToLong(j -> clipBytes(j.jobId())).sum();
        int count = done.size();
        List<String> removed = new ArrayList<>();
        for (ExportJob oldest : done) {
            if (bytes < maxBytes && count < maxCount) {
                break;
            }
            bytes -= clipBytes(oldest.jobId());
            count--;
            jobs.remove(oldest.jobId());
            clipSizes.remove(oldest.jobId());
            deleteQuietly(clipFile(oldest.jobId()));
            deleteQuietly(dir.resolve(oldest.jobId() + ".json"));
            removed.add(oldest.jobId());
        }
        if (!removed.isEmpty()) {
            LOG.info("Clip budget: removed the oldest clips {}", removed);
        }
        return removed;
    }

    private ExportJob require(String jobId) {
        ExportJob job = jobId != null && JOB_ID.matcher(jobId).matches() ? jobs.get(jobId) : null;
        if (job == null) {
            throw Refusal.notFound("No export with id '" + (jobId == null ? "" : jobId.replaceAll("[^\\w-]", "?")) + "'.");
        }
        return job;
    }

    private Path partFile(String jobId) {
        return dir.resolve(jobId + PART);
    }

    /** A smart cut's re-encoded head; ends in .part.mp4 so an interrupted one is cleaned at start. */
    private Path headFile(String jobId) {
        return dir.resolve(jobId + ".head" + PART);
    }

    private Path progressFile(String jobId) {
        return dir.resolve(jobId + PROGRESS);
    }

    private String newId() {
        byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String minutes(Duration d) {
        return String.format(Locale.ROOT, "%d:%02d min", d.toMinutes(), d.toSecondsPart());
    }

    /**
     * Keeps the floor ({@code scheincam.export.min-free-mb}) while clips are written, not only when they
     * are admitted: tonight's recording shares the disk. Each job reserves what it will write; what is
     * free above the floor, less what the other running jobs hold, must cover it.
     */
    public void keepReserve(de.scheincam.library.DiskSpace disk) {
        this.disk = disk;
    }

    /**
     * Reserves {@code bytes} for the job (replacing its earlier reservation; half again as much where there
     * is room, as an encode's size is an estimate) and returns the most it may write without taking the
     * disk below the floor while the others keep to theirs: the room left for it (a busy stretch of a
     * recording may need more than its average bit rate says), or Long.MAX_VALUE when no floor is kept.
     * Throws ReserveReached when that room is less than {@code bytes}.
     */
    synchronized long reserve(String jobId, long bytes) {
        de.scheincam.library.DiskSpace d = disk;
        if (d == null || d.minFreeBytes() <= 0) {
            return Long.MAX_VALUE;
        }
        long others = 0;
        for (Map.Entry<String, Long> r : reserved.entrySet()) {
            if (!r.getKey().equals(jobId)) {
                others += r.getValue();
            }
        }
        long room = d.freeBytes() - d.minFreeBytes() - others;
        if (bytes > room) {
            reserved.remove(jobId);
            throw new ReserveReached(String.format(Locale.ROOT, "export %s needs about %s, %s are left above the floor",
                    jobId, de.scheincam.library.DiskSpace.megabytes(bytes), de.scheincam.library.DiskSpace.megabytes(Math.max(0, room))));
        }
        reserved.put(jobId, Math.min(room, bytes + bytes / 2));
        return room;
    }

    /** ffmpeg stopped writing at its -fs limit: the clip needed more room than was left above the floor. */
    private boolean stoppedAtItsLimit(String jobId) {
        Long limit = fileLimits.get(jobId);
        try {
            return limit != null && Files.exists(partFile(jobId)) && Files.size(partFile(jobId)) >= limit - (256L << 10);
        } catch (IOException e) {
            return false;
        }
    }

    /** A clip that would take the disk below its floor. */
    static final class ReserveReached extends IllegalStateException {
        ReserveReached(String message) {
            super(message);
        }
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

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Cannot delete {}: {}", file, e.getMessage());
        }
    }
}
