package de.scheincam.web;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

import de.scheincam.library.RecordingLibrary;
import de.scheincam.obs.Recorder;

/** The liveness and status answers of the original API: ping, health, admin status. */
public class SystemInfo {

    private final Clock clock;
    private final ZoneId zone;
    private final String version;
    private final Recorder recorder;
    private final RecordingLibrary library;
    private final java.nio.file.Path videos;

    public SystemInfo(Clock clock, ZoneId zone, String version, Recorder recorder, RecordingLibrary library,
                      java.nio.file.Path videos) {
        this.videos = videos;
        this.clock = clock;
        this.zone = zone;
        this.version = version;
        this.recorder = recorder;
        this.library = library;
    }

    public Map<String, Object> ping() {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("status", "ok");
        reply.put("timestamp", now());
        return reply;
    }

    public Map<String, Object> health() {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("status", "healthy");
        reply.put("timestamp", now());
        Map<String, Object> obs = recorder.status();
        reply.put("obs_connected", obs.get("connected"));
        reply.put("recording", obs.get("recording"));
        reply.put("version", version);
        return reply;
    }

    /** {@code GET /api/admin/status}: OBS at a glance and the library's size, as the original answered. */
    public Map<String, Object> adminStatus() {
        Map<String, Object> status = recorder.status();
        Map<String, Object> obs = new LinkedHashMap<>();
        obs.put("connected", status.get("connected"));
        obs.put("recording", status.get("recording"));
        obs.put("muted", status.get("muted"));
        obs.put("current_file", status.get("current_file"));
        obs.put("problem", status.get("problem"));
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("obs", obs);
        reply.put("video_count", library.list().size());
        reply.put("newest_video", library.list().isEmpty() ? null : library.list().get(0).filename());
        try {
            java.nio.file.FileStore store = java.nio.file.Files.getFileStore(videos);
            reply.put("disk_free_bytes", store.getUsableSpace());
            reply.put("disk_total_bytes", store.getTotalSpace());
        } catch (java.io.IOException e) {
            reply.put("disk_free_bytes", null);
            reply.put("disk_total_bytes", null);
        }
        return reply;
    }

    private LocalDateTime now() {
        return LocalDateTime.now(clock.withZone(zone)).withNano(0);
    }
}
