package de.scheincam.web;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import de.scheincam.library.Recording;
import de.scheincam.library.RecordingHours;
import de.scheincam.library.RecordingLibrary;
import de.scheincam.obs.Recorder;
import de.scheincam.obs.RecorderState;

/** The liveness and status answers of the original API: ping, health, admin status. */
public class SystemInfo {

    private final Clock clock;
    private final ZoneId zone;
    private final String version;
    private final Recorder recorder;
    private final RecordingLibrary library;
    private final java.nio.file.Path videos;
    private final RecordingHours hours;

    public SystemInfo(Clock clock, ZoneId zone, String version, Recorder recorder, RecordingLibrary library,
                      java.nio.file.Path videos, RecordingHours hours) {
        this.videos = videos;
        this.hours = hours;
        this.clock = clock;
        this.zone = zone;
        this.version = version;
        this.recorder = recorder;
        this.library = library;
    }

    /** {@code GET /api/ping}. */
    public record Ping(String status, LocalDateTime timestamp) {
    }

    /** {@code GET /api/health} (Health): the version is null when the jar does not name one. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Health(String status, LocalDateTime timestamp, boolean obsConnected, boolean recording, String version) {
    }

    /**
     * {@code GET /api/admin/status}: the disk's figures are null when its store cannot be read; the hours of
     * recording it holds (RecordingHours) null until a recording has shown the bitrate.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record AdminStatus(Obs obs, int videoCount, String newestVideo, Long diskFreeBytes, Long diskTotalBytes,
                              Double recordingHoursLeft) {

        /** OBS at a glance: the recorder's state, shortened. */
        @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
        public record Obs(boolean connected, boolean recording, boolean muted, String currentFile, String problem) {
        }
    }

    public Ping ping() {
        return new Ping("ok", now());
    }

    public Health health() {
        RecorderState obs = recorder.state();
        return new Health("healthy", now(), obs.connected(), obs.recording(), version);
    }

    /** {@code GET /api/admin/status}: OBS at a glance and the library's size, as the original answered. */
    public AdminStatus adminStatus() {
        RecorderState state = recorder.state();
        AdminStatus.Obs obs = new AdminStatus.Obs(state.connected(), state.recording(), state.muted(), state.currentFile(),
                state.problem());
        List<Recording> recordings = library.list();
        Long free = null;
        Long total = null;
        try {
            java.nio.file.FileStore store = java.nio.file.Files.getFileStore(videos);
            free = store.getUsableSpace();
            total = store.getTotalSpace();
        } catch (java.io.IOException e) {
            // both unknown: written as null
        }
        Double left = null;
        if (free != null) {
            java.util.OptionalDouble h = hours.hoursLeft();
            left = h.isPresent() ? Math.round(h.getAsDouble() * 10) / 10.0 : null;
        }
        return new AdminStatus(obs, recordings.size(), recordings.isEmpty() ? null : recordings.get(0).filename(), free, total,
                left);
    }

    private LocalDateTime now() {
        return LocalDateTime.now(clock.withZone(zone)).withNano(0);
    }
}
