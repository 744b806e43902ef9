package de.scheincam.web;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

/** The liveness answers of the original API: ping and health. */
public class SystemInfo {

    private final Clock clock;
    private final ZoneId zone;
    private final String version;

    public SystemInfo(Clock clock, ZoneId zone, String version) {
        this.clock = clock;
        this.zone = zone;
        this.version = version;
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
        // OBS is not connected to yet: these turn true when the OBS client lands.
        reply.put("obs_connected", false);
        reply.put("recording", false);
        reply.put("version", version);
        return reply;
    }

    private LocalDateTime now() {
        return LocalDateTime.now(clock.withZone(zone)).withNano(0);
    }
}
