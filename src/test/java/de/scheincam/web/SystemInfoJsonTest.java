package de.scheincam.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;

import com.fasterxml.jackson.databind.ObjectMapper;
import de.scheincam.library.DiskSpace;
import de.scheincam.library.MetadataStore;
import de.scheincam.library.RecordingHours;
import de.scheincam.library.RecordingLibrary;
import de.scheincam.obs.ObsClient;
import de.scheincam.obs.ObsNames;
import de.scheincam.obs.Recorder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ping, health, admin status, the log list and the session answers as records write the bytes their
 * maps wrote. Expected strings: the map-building code's output for the same beans and clock (run once
 * before the change), the session's from its put order.
 */
class SystemInfoJsonTest {

    private final ObjectMapper json = JsonBodies.mapper();
    private final ZoneId zone = ZoneId.of("Europe/Berlin");
    private final Clock clock = Clock.fixed(LocalDateTime.parse("2025-01-22T20:31:07").atZone(zone).toInstant(), zone);
    private final ObsClient obs = new ObsClient(new ObsClient.Settings("127.0.0.1", 1, "", Duration.ofSeconds(1),
            Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)), json);
    @TempDir
    Path dir;

    @AfterEach
    void close() {
        obs.close();
    }

    private SystemInfo system(String version) {
        RecordingLibrary library = new RecordingLibrary(dir, zone, Duration.ofSeconds(5), clock, new MetadataStore(dir, json));
        Recorder recorder = new Recorder(obs, library, new ObsNames("Main", "Muted", "Logo", "Hide", "Camera", "Program"), dir,
                clock, zone, Duration.ofSeconds(1), true, 0.01, Duration.ofMillis(10));
        return new SystemInfo(clock, zone, version, recorder, library, dir,
                new RecordingHours(library, new DiskSpace(dir, 0), clock, zone));
    }

    @Test
    void pingHealthAndAdminStatus() throws Exception {
        assertThat(json.writeValueAsString(system("1.2.3").ping())).isEqualTo("{\"status\":\"ok\",\"timestamp\":\"2025-01-22T20:31:07\"}");
        assertThat(json.writeValueAsString(system("1.2.3").health())).isEqualTo("{\"status\":\"healthy\",\"timestamp\":\"2025-01-22T20:31:07\",\"obs_connected\":false,\"recording\":"
                + "false,\"version\":\"1.2.3\"}");
        assertThat(json.writeValueAsString(system(null).health())).isEqualTo("{\"status\":\"healthy\",\"timestamp\":\"2025-01-22T20:31:07\",\"obs_connected\":false,\"recording\":"
                + "false,\"version\":null}");
        String admin = json.writeValueAsString(system("1.2.3").adminStatus());
        assertThat(admin.replaceAll("\"disk_free_bytes\":\\d+", "\"disk_free_bytes\":FREE")
                .replaceAll("\"disk_total_bytes\":\\d+", "\"disk_total_bytes\":TOTAL")).isEqualTo("{\"obs\":{\"connected\":false,\"recording\":false,\"muted\":false,\"current_file\":null,\"problem\":"
                + "\"not connected yet\"},\"video_count\":0,\"newest_video\":null,\"disk_free_bytes\":FREE,\"disk_total"
                + "_bytes\":TOTAL,\"recording_hours_left\":null}");
        assertThat(json.writeValueAsString(new SystemInfo.AdminStatus(new SystemInfo.AdminStatus.Obs(true, true, false,
                "25-01-24_19-50-00.mkv", ""), 3, "25-01-24_19-50-00.mkv", null, null, 14.5))).isEqualTo("{\"obs\":{\"connected\":true,"
                + "\"recording\":true,\"muted\":false,\"current_file\":\"25-01-24_19-50-00.mkv\",\"problem\":\"\"},\"video_count\":3,"
                + "\"newest_video\":\"25-01-24_19-50-00.mkv\",\"disk_free_bytes\":null,\"disk_total_bytes\":null,"
                + "\"recording_hours_left\":14.5}");
    }

    @Test
    void logs() throws Exception {
        Files.createDirectories(dir.resolve("logs"));
        Files.writeString(dir.resolve("logs/scheincam.log"), "x");
        LogFiles logs = new LogFiles(dir.resolve("logs"));
        assertThat(json.writeValueAsString(logs.list())).isEqualTo("{\"logs\":[\"scheincam.log\"],\"count\":1}");
        assertThat(json.writeValueAsString(logs.clear())).isEqualTo("{\"success\":true,\"deleted\":0}");
    }

    @Test
    void sessionAnswers() throws Exception {
        assertThat(json.writeValueAsString(new AccessGuard.SessionReply("admin", true, false, "abc")))
                .isEqualTo("{\"role\":\"admin\",\"logged_in\":true,\"viewer_password_required\":false,\"csrf_token\":\"abc\"}");
        // no session: no csrf_token key at all
        assertThat(json.writeValueAsString(new AccessGuard.SessionReply("none", false, true, null)))
                .isEqualTo("{\"role\":\"none\",\"logged_in\":false,\"viewer_password_required\":true}");
    }
}
