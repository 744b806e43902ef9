package de.scheincam.obs;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import de.scheincam.core.Refusal;
import de.scheincam.library.RecordingLibrary;
import de.scheincam.obs.RecorderReplies.AudioCheck;
import de.scheincam.obs.RecorderReplies.AudioLevel;
import de.scheincam.obs.RecorderReplies.CameraReloaded;
import de.scheincam.obs.RecorderReplies.Logo;
import de.scheincam.obs.RecorderReplies.Muted;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The venue's recorder: what OBS is doing (recording, which file, muted or not) and the actions on it.
 * State comes from OBS itself — synced on every (re)connect and kept current by its events — so a
 * recording OBS started or stopped on its own is adopted like one we started.
 */
public class Recorder {

    private static final Logger LOG = LoggerFactory.getLogger(Recorder.class);
    private static final DateTimeFormatter OBS_NAME = DateTimeFormatter.ofPattern("yy-MM-dd_HH-mm-ss");
    static final String STARTED = "OBS_WEBSOCKET_OUTPUT_STARTED";
    static final String STOPPED = "OBS_WEBSOCKET_OUTPUT_STOPPED";

    private final ObsClient obs;
    private final RecordingLibrary library;
    private final ObsNames names;
    private final Path videosDir;
    private final Clock clock;
    private final ZoneId zone;
    private final Duration outputTimeout;
    private final double audioThreshold;
    private final Duration audioWindow;

    private volatile boolean recording;
    private volatile String currentFile;
    private volatile LocalDateTime currentStart;
    private volatile boolean muted;
    private volatile boolean logoVisible;
    /** True once OBS's state has been read after the latest connect; until then "not recording" is a guess. */
    private volatile boolean synced;
    private volatile long lastLevelAt;
    private static final long LEVEL_EVERY_MILLIS = 200;
    private static final long CONFIRM_POLL_MILLIS = 200;
    private static final long ALERT_EVERY_NANOS = 60_000_000_000L;
    private volatile long lastNotWrittenAlert;
    private static final String CLUSTER_OPTION = "cluster_time_limit";
    private final AtomicReference<CompletableFuture<ObsEvent>> awaitedOutput = new AtomicReference<>();
    /** How long after OBS reports a start its file must have appeared and grown. */
    private volatile Duration confirmWithin = Duration.ofSeconds(8);
    /** Matroska cluster length asked of OBS's muxer (ms; 0: OBS's own, about 5 s). */
    private volatile int mkvClusterMillis;
    /** Told (the alert) when OBS said a recording started that it does not write. */
    private volatile java.util.function.Consumer<String> notWritten = why -> { };
    private final AtomicReference<List<Double>> audioSamples = new AtomicReference<>();
    private final AtomicReference<CompletableFuture<AudioCheck>> audioInFlight = new AtomicReference<>();

    public Recorder(ObsClient obs, RecordingLibrary library, ObsNames names, Path videosDir, Clock clock, ZoneId zone,
                    Duration outputTimeout, boolean logoVisible, double audioThreshold, Duration audioWindow) {
        this.obs = obs;
        this.library = library;
        this.names = names;
        this.videosDir = videosDir;
        this.clock = clock;
        this.zone = zone;
        this.outputTimeout = outputTimeout;
        this.logoVisible = logoVisible;
        this.audioThreshold = audioThreshold;
        this.audioWindow = audioWindow;
    }

    /**
     * A start counts only once its file exists in the videos folder and grows, within {@code within};
     * {@code alert} hears of a start OBS reported that writes nothing. {@code clusterMillis}: see
     * {@link #clusterOften}.
     */
    public void confirmStarts(Duration within, int clusterMillis, java.util.function.Consumer<String> alert) {
        this.confirmWithin = within;
        this.mkvClusterMillis = clusterMillis;
        this.notWritten = alert;
    }

    // --- state from OBS ---------------------------------------------------------------------------

    /** On every (re)connect: recording state, scene, logo. */
    public void sync() {
        JsonNode status = obs.request("GetRecordStatus");
        boolean active = status.path("outputActive").asBoolean();
        if (active && !recording) {
            // OBS records on its own (started by hand, or before we came up): adopt it
            currentFile = library.newestInProgress().map(Path::toString).orElse(null);
            currentStart = LocalDateTime.now(clock.withZone(zone)).minusNanos(
                    status.path("outputDuration").asLong() * 1_000_000).withNano(0);
            LOG.info("OBS is recording ({}): adopted", currentFile);
        } else if (!active && recording) {
            LOG.info("OBS is no longer recording {}", currentFile());
            library.recordingEnded(null); // it ended while we were not looking: why is not known
            library.recordingStopped(currentFile());
            currentFile = null;
            currentStart = null;
        }
        recording = active;
        String scene = obs.request("GetCurrentProgramScene").path("currentProgramSceneName").asText();
        muted = names.mutedScene().equals(scene);
        try {
            applyLogo(logoVisible);
        } catch (ObsRequestFailed e) {
            LOG.warn("Cannot set the logo on connect: {}", e.getMessage());
        }
        synced = true;
    }

    /** Connected, and OBS's recording state is known. */
    public boolean isReady() {
        return synced && obs.connected();
    }

    /**
     * The file OBS writes. A recording adopted right after the app's start may not be in the library yet
     * (its first scan runs beside the connect): it is named as soon as the library has found it. Looked up
     * each time rather than stored, so that it can never overwrite the name a start event has just set.
     */
    private String currentFile() {
        String file = currentFile;
        if (file == null && recording) {
            file = library.newestInProgress().map(Path::toString).orElse(null);
        }
        return file;
    }

    public void disconnected() {
        synced = false;
        if (recording) {
            LOG.warn("Lost OBS while recording {}", currentFile());
            library.recordingEnded(de.scheincam.library.Recording.OBS_LOST);
            library.recordingStopped(currentFile());
        }
        recording = false;
    }

    public void recordStateChanged(ObsEvent event) {
        String state = event.text("outputState");
        String path = event.text("outputPath");
        if (STARTED.equals(state)) {
            recording = true;
            currentFile = path;
            currentStart = LocalDateTime.now(clock.withZone(zone)).withNano(0);
            library.recordingStarted(path);
            LOG.info("OBS started recording {}", path);
        } else if (STOPPED.equals(state)) {
            String file = path != null ? path : currentFile();
            recording = false;
            currentFile = null;
            currentStart = null;
            // the window's end, OBS's own stop, or a stop by hand (which its route notes right after this)
            library.recordingEnded(null);
            library.recordingStopped(file);
            LOG.info("OBS stopped recording {}", file);
        }
        CompletableFuture<ObsEvent> waiter = awaitedOutput.get();
        if (waiter != null && (STARTED.equals(state) || STOPPED.equals(state))) {
            waiter.complete(event);
        }
    }

    /**
     * OBS went on in a new file (its automatic file splitting, or SplitRecordFile; obs-websocket 5.5): the
     * same show, not a stop. The finished file is probed now, the new one listed and noted as continuing
     * the show with no gap, so the two are joined as one evening; its start is now (its name, the first
     * part's plus " (2)", does not say it). The recording's start stays: for the operator the recording
     * runs on; the current file and its size are the new one's.
     */
    public void recordFileChanged(ObsEvent event) {
        String next = event.text("newOutputPath");
        String previous = currentFile();
        if (next == null || next.isBlank() || next.equals(previous)) {
            return;
        }
        recording = true;
        currentFile = next;
        if (currentStart == null) {
            currentStart = LocalDateTime.now(clock.withZone(zone)).withNano(0);
        }
        library.recordingStopped(previous);
        library.noteStart(next, LocalDateTime.now(clock.withZone(zone)).withNano(0));
        library.recordingStarted(next);
        library.noteGap(next, 0);
        LOG.info("OBS split the recording: {} finished, the show goes on in {}", fileName(previous), fileName(next));
    }

    public void sceneChanged(ObsEvent event) {
        muted = names.mutedScene().equals(event.text("sceneName"));
    }

    /**
     * The camera input's level meters: collected while an audio check listens, and answered as the live
     * level (peak of all channels, 0–1 and dBFS) at most every {@value #LEVEL_EVERY_MILLIS} ms for the
     * web UI; null in between.
     */
    public AudioLevel volumeMeters(ObsEvent event) {
        List<Double> samples = audioSamples.get();
        double peak = -1;
        for (JsonNode input : event.data().path("inputs")) {
            if (names.cameraInput().equals(input.path("inputName").asText())) {
                for (JsonNode channel : input.path("inputLevelsMul")) {
                    peak = Math.max(peak, channel.path(1).asDouble(0));
                    if (samples != null) {
                        synchronized (samples) {
                            for (JsonNode level : channel) {
                                samples.add(level.asDouble());
                            }
                        }
                    }
                }
            }
        }
        long now = clock.millis();
        if (peak < 0 || now - lastLevelAt < LEVEL_EVERY_MILLIS) {
            return null;
        }
        lastLevelAt = now;
        return new AudioLevel(names.cameraInput(), Math.round(Math.min(1, peak) * 1000) / 1000.0,
                peak <= 0 ? -100.0 : Math.max(-100, Math.round(20 * Math.log10(peak) * 10) / 10.0));
    }

    // --- actions ----------------------------------------------------------------------------------

    /** Starts a recording named after the venue's wall clock, in the videos folder; waits until OBS has the file. */
    public RecorderAction start() {
        requireConnected();
        if (recording) {
            throw Refusal.conflict("OBS is already recording " + fileName(currentFile()) + ".");
        }
        String name = OBS_NAME.format(LocalDateTime.now(clock.withZone(zone)));
        setProfile("Output", "FilenameFormatting", name);
        recordInto(videosDir);
        clusterOften();
        ObsEvent started = awaitOutput(STARTED, "StartRecord", ObsRequestFailed.OUTPUT_RUNNING, "OBS is already recording.");
        confirmWritten(started.text("outputPath"));
        return RecorderAction.done("Recording started", fileName(started.text("outputPath")));
    }

    /**
     * Points OBS's recording output at the videos folder, where the library watches. obs-websocket 5.3+
     * (OBS 30) has SetRecordDirectory for it, which also covers output modes whose profile keys we do not
     * know; OBS 29 has not, and there the folder is set as the Simple and the Advanced output's profile
     * parameters, as ScheinCam always has.
     */
    private void recordInto(Path dir) {
        if (obs.capabilities().offers(ObsCapabilities.SET_RECORD_DIRECTORY)) {
            obs.request(ObsCapabilities.SET_RECORD_DIRECTORY,
                    Map.of("recordDirectory", dir.toAbsolutePath().normalize().toString()));
        } else {
            setProfile("SimpleOutput", "FilePath", dir.toString());
            setProfile("AdvOut", "RecFilePath", dir.toString());
        }
    }

    /**
     * OBS may report a recording started while its muxer could not open the file (OBS 29 with
     * RecFormat=fragmented_mp4: "Couldn't find an appropriate muxer"): nothing is written. So a start
     * counts once OBS still has the output active and its file exists in the videos folder and has
     * grown, or at the latest, when the time is up, exists with the output still active (a Matroska
     * muxer with long clusters writes its first one late); otherwise the output is stopped, an alert
     * raised, and the start fails (unavailable).
     */
    private void confirmWritten(String path) {
        long deadline = System.nanoTime() + confirmWithin.toNanos();
        Path file = path == null ? null : Path.of(path);
        long firstSize = -1;
        String why = path == null ? "OBS named no file" : "its file " + file.getFileName() + " did not appear";
        while (System.nanoTime() < deadline) {
            if (!obs.request("GetRecordStatus").path("outputActive").asBoolean()) {
                why = "OBS stopped the output again at once";
                break;
            }
            if (file != null && java.nio.file.Files.isRegularFile(file)) {
                if (!file.toAbsolutePath().normalize().startsWith(videosDir.toAbsolutePath().normalize())) {
                    why = "OBS writes " + file + ", outside the videos folder " + videosDir;
                    break;
                }
                long size = sizeOf(path);
                if (firstSize >= 0 && size > firstSize) {
                    return;
                }
                if (firstSize < 0) {
                    firstSize = size;
                }
                why = "its file " + file.getFileName() + " did not grow";
            }
            try {
                Thread.sleep(CONFIRM_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (firstSize >= 0 && java.nio.file.Files.isRegularFile(file)
                && obs.request("GetRecordStatus").path("outputActive").asBoolean()) {
            // OBS's Matroska muxer may hold its first cluster for 5-10 s (with its own cluster length, on a
            // loaded machine): the file is there and the output runs, so it counts; the watchdog checks growth
            LOG.info("Recording {} started; its file has not grown yet", file.getFileName());
            return;
        }
        String detail = "OBS reported the recording as started, but " + why + " within " + confirmWithin.toMillis()
                + " ms: nothing is being recorded. Check OBS's recording format and path (its log names the cause).";
        LOG.warn("Start not confirmed: {}", detail);
        try {
            // waited for: OBS's "stopped" event would otherwise arrive during the next StartRecord and be
            // taken for its answer ("OBS reported ..._STOPPED instead of ..._STARTED", a failed retry)
            awaitOutput(STOPPED, "StopRecord", ObsRequestFailed.OUTPUT_NOT_RUNNING, "OBS is not recording.");
        } catch (RuntimeException e) {
            LOG.debug("StopRecord after an unconfirmed start: {}", e.toString());
        }
        recording = false;
        currentFile = null;
        currentStart = null;
        long now = System.nanoTime();
        if (lastNotWrittenAlert == 0 || now - lastNotWrittenAlert > ALERT_EVERY_NANOS) {
            lastNotWrittenAlert = now; // the schedule's retries do not raise one alert each
            notWritten.accept(detail);
        }
        throw Refusal.unavailable(detail);
    }

    /**
     * A Matroska recording can be cut only as far as its muxer has written clusters, and ffmpeg's (which
     * OBS uses) ends one every 5 s or at a keyframe: 4–10 s behind live. Asking for short clusters
     * ({@code cluster_time_limit}) keeps the file within about a second of live. Only for mkv, added to
     * the operator's own muxer settings rather than replacing them, and never when they set it
     * themselves; for other formats an earlier addition of ours is taken out again.
     */
    private void clusterOften() {
        if (mkvClusterMillis <= 0) {
            return;
        }
        try {
            boolean advanced = "Advanced".equalsIgnoreCase(profile("Output", "Mode"));
            String category = advanced ? "AdvOut" : "SimpleOutput";
            String format = profile(category, "RecFormat2");
            if (format == null || format.isBlank()) {
                format = profile(category, "RecFormat");
            }
            String key = advanced ? "RecMuxerCustom" : "MuxerCustom";
            String custom = profile(category, key);
            custom = custom == null ? "" : custom.trim();
            String ours = CLUSTER_OPTION + "=" + mkvClusterMillis;
            String wanted = custom;
            if ("mkv".equalsIgnoreCase(format) && !custom.contains(CLUSTER_OPTION)) {
                wanted = custom.isEmpty() ? ours : custom + " " + ours;
            } else if (!"mkv".equalsIgnoreCase(format) && custom.contains(ours)) {
                wanted = custom.replace(ours, "").trim().replaceAll("\\s+", " ");
            }
            if (!wanted.equals(custom)) {
                setProfile(category, key, wanted);
                LOG.info("OBS muxer settings [{}] {}: '{}' (recording format {})", category, key, wanted, format);
            }
        } catch (ObsRequestFailed e) {
            LOG.info("Cannot read or set OBS's muxer settings ({}): clusters as OBS writes them", e.getMessage());
        }
    }

    private String profile(String category, String name) {
        JsonNode value = obs.request("GetProfileParameter", Map.of("parameterCategory", category, "parameterName", name))
                .path("parameterValue");
        return value.isNull() || value.isMissingNode() ? null : value.asText();
    }

    public RecorderAction stop() {
        requireConnected();
        if (!recording) {
            throw Refusal.conflict("OBS is not recording.");
        }
        String file = currentFile();
        awaitOutput(STOPPED, "StopRecord", ObsRequestFailed.OUTPUT_NOT_RUNNING, "OBS is not recording.");
        return RecorderAction.done("Recording stopped", fileName(file));
    }

    /**
     * Marks a chapter named {@code name} in the recording in progress (CreateRecordChapter, obs-websocket
     * 5.5, honoured by OBS for Hybrid MP4). True when OBS took it; false, with nothing sent, when OBS does
     * not offer chapters or is not recording, and false when OBS refused it (a format without chapters):
     * a marker is kept by ScheinCam either way, the chapter is a bonus in the file.
     */
    public boolean chapter(String name) {
        if (!isRecording() || !obs.capabilities().offers(ObsCapabilities.CREATE_RECORD_CHAPTER)) {
            return false;
        }
        try {
            obs.request(ObsCapabilities.CREATE_RECORD_CHAPTER, name == null ? Map.of() : Map.of("chapterName", name));
            LOG.info("Chapter '{}' marked in {}", name, fileName(currentFile()));
            return true;
        } catch (ObsRequestFailed | ObsUnavailable e) {
            LOG.info("OBS did not mark chapter '{}': {}", name, e.getMessage());
            return false;
        }
    }

    public Muted mute(boolean mute) {
        requireConnected();
        obs.request("SetCurrentProgramScene", Map.of("sceneName", mute ? names.mutedScene() : names.mainScene()));
        muted = mute;
        return new Muted(true, mute);
    }

    public Logo logo(boolean visible) {
        requireConnected();
        applyLogo(visible);
        logoVisible = visible;
        return new Logo(true, visible);
    }

    /** The logo setting: remembered, and applied now if OBS is there (else at the next connect). */
    public void setLogoPreference(boolean visible) {
        logoVisible = visible;
        if (obs.connected()) {
            applyLogo(visible);
        }
    }

    public boolean logoPreference() {
        return logoVisible;
    }

    /** Makes the camera input reopen its device: its settings re-applied, a media input restarted. */
    public CameraReloaded reloadCamera() {
        requireConnected();
        JsonNode input = obs.request("GetInputSettings", Map.of("inputName", names.cameraInput()));
        obs.request("SetInputSettings", Map.of("inputName", names.cameraInput(),
                "inputSettings", input.path("inputSettings"), "overlay", false));
        if ("ffmpeg_source".equals(input.path("inputKind").asText())) {
            obs.request("TriggerMediaInputAction", Map.of("inputName", names.cameraInput(),
                    "mediaAction", "OBS_WEBSOCKET_MEDIA_INPUT_ACTION_RESTART"));
        }
        LOG.info("Camera input {} reloaded", names.cameraInput());
        return new CameraReloaded(true, "Camera reloaded");
    }

    /**
     * Listens to the camera input's level meters for a moment: a live microphone moves them. Callers
     * arriving while a check runs (the operator's button and the watchdog) share its result.
     */
    public AudioCheck audioCheck() {
        requireConnected();
        CompletableFuture<AudioCheck> mine = new CompletableFuture<>();
        CompletableFuture<AudioCheck> running = audioInFlight.compareAndExchange(null, mine);
        if (running != null) {
            return running.join();
        }
        try {
            AudioCheck result = measureAudio();
            mine.complete(result);
            return result;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            audioInFlight.set(null);
        }
    }

    private AudioCheck measureAudio() {
        List<Double> samples = new ArrayList<>();
        audioSamples.set(samples);
        try {
            obs.volumeMeters(true);
            Thread.sleep(audioWindow.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            obs.volumeMeters(false);
            audioSamples.set(null);
        }
        double range;
        synchronized (samples) {
            range = samples.isEmpty() ? 0 : samples.stream().mapToDouble(Double::doubleValue).max().orElse(0)
                    - samples.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        }
        boolean working = range > audioThreshold;
        return new AudioCheck(Math.round(range * 10000) / 10000.0, working,
                samples.isEmpty() ? "No level readings from input '" + names.cameraInput() + "'."
                        : working ? "Audio is working." : "Audio seems silent.");
    }

    // --- status -----------------------------------------------------------------------------------

    /** {@code GET /api/recordings/current}, and what metrics, health and the status answers read. */
    public RecorderState state() {
        boolean connected = obs.connected();
        LocalDateTime start = currentStart;
        String file = currentFile();
        Long elapsed = recording && start != null
                ? Math.max(0, Duration.between(start, LocalDateTime.now(clock.withZone(zone))).toSeconds()) : null;
        return new RecorderState(connected, connected && recording, muted, fileName(file), start, elapsed, sizeOf(file),
                logoVisible, obs.state(), obs.problem());
    }

    /** What the connected OBS offers (UNKNOWN while not connected). */
    public ObsCapabilities capabilities() {
        return obs.capabilities();
    }

    public boolean isRecording() {
        return obs.connected() && recording;
    }

    /** A fresh program screenshot (a data URL), for the watchdog. */
    public String screenshot() {
        requireConnected();
        return obs.request("GetSourceScreenshot", Map.of("sourceName", names.previewSource(), "imageFormat", "jpg",
                "imageWidth", 160, "imageHeight", 90)).path("imageData").asText(null);
    }

    public boolean isMuted() {
        return muted;
    }

    public String currentFileName() {
        return fileName(currentFile());
    }

    private void applyLogo(boolean visible) {
        // the filter hides the logo: enabled = hidden
        obs.request("SetSourceFilterEnabled", Map.of("sourceName", names.logoSource(),
                "filterName", names.logoFilter(), "filterEnabled", !visible));
    }

    private void setProfile(String category, String name, String value) {
        obs.request("SetProfileParameter", Map.of("parameterCategory", category, "parameterName", name,
                "parameterValue", value));
    }

    /**
     * Sends StartRecord/StopRecord and waits for the output to reach {@code state}: OBS answers the
     * request before the output has changed, the RecordStateChanged event says when it has (and, for a
     * start, which file it writes). The waiter is in place before the request, so an early event counts.
     * OBS's "already in that state" code becomes a conflict.
     */
    private ObsEvent awaitOutput(String state, String requestType, int conflictCode, String conflict) {
        CompletableFuture<ObsEvent> waiter = new CompletableFuture<>();
        awaitedOutput.set(waiter);
        try {
            try {
                obs.request(requestType);
            } catch (ObsRequestFailed e) {
                if (e.getCode() == conflictCode) {
                    throw Refusal.conflict(conflict);
                }
                throw e;
            }
            ObsEvent event = waiter.get(outputTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!state.equals(event.text("outputState"))) {
                throw new ObsUnavailable("OBS reported " + event.text("outputState") + " instead of " + state);
            }
            return event;
        } catch (TimeoutException e) {
            throw new ObsUnavailable("OBS did not report " + state + " within " + outputTimeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ObsUnavailable("interrupted while waiting for OBS");
        } catch (ExecutionException e) {
            throw new ObsUnavailable(String.valueOf(e.getCause()));
        } finally {
            awaitedOutput.compareAndSet(waiter, null);
        }
    }

    private void requireConnected() {
        if (!obs.connected()) {
            throw new ObsUnavailable("OBS is not connected (" + obs.problem() + ")");
        }
    }

    private static Long sizeOf(String path) {
        if (path == null) {
            return null;
        }
        try {
            return java.nio.file.Files.size(Path.of(path));
        } catch (java.io.IOException | java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    private static String fileName(String path) {
        return path == null ? null : Path.of(path).getFileName().toString();
    }
}
