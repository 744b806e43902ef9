package de.scheincam.settings;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;

import de.scheincam.cleanup.Retention;
import de.scheincam.core.Refusal;
import de.scheincam.obs.ObsClient;
import de.scheincam.obs.Recorder;
import de.scheincam.schedule.ScheduleSettings;
import de.scheincam.schedule.ScheduleTriggers;
import de.scheincam.schedule.ShowScheduler;
import de.scheincam.schedule.WeekSetting;
import de.scheincam.schedule.WeekWindows;
import de.scheincam.schedule.WeeklySchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings an operator changes through the API ({@code GET/PUT /api/settings}): validated field by
 * field, in effect at once (schedule re-armed, OBS reconnected when its address changes), saved on
 * request to {@code settings.properties} beside application.properties (atomic write; read at start
 * and on reload, it wins over application.properties). The OBS password can be set, never read.
 */
public class VenueSettings {

    private static final Logger LOG = LoggerFactory.getLogger(VenueSettings.class);

    /** API field → setting name, as in application.properties. */
    private static final Map<String, String> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("start_time", "scheincam.schedule.start-time");
        KEYS.put("end_time", "scheincam.schedule.end-time");
        KEYS.put("weekdays", "scheincam.schedule.weekdays");
        KEYS.put("windows", "scheincam.schedule.windows");
        KEYS.put("delete_age_days", "scheincam.retention.days");
        KEYS.put("show_logo", "scheincam.obs.logo.visible");
        KEYS.put("obs_host", "scheincam.obs.host");
        KEYS.put("obs_port", "scheincam.obs.port");
        KEYS.put("obs_password", "scheincam.obs.password");
        KEYS.put("shutdown_time", "scheincam.shutdown.time");
    }

    private final ShowScheduler scheduler;
    private final Retention retention;
    private final Recorder recorder;
    private final ObsClient obs;
    private final ScheduleTriggers triggers;
    private final Path file;
    private final Map<String, Object> readOnly;
    private volatile String shutdownTime;
    private volatile WeekSetting week;

    /**
     * {@code readOnly}: settings shown but changed only in application.properties (watchdog, alerts).
     */
    public VenueSettings(ShowScheduler scheduler, Retention retention, Recorder recorder, ObsClient obs,
                         ScheduleTriggers triggers, Path file, String shutdownTime, Map<String, Object> readOnly,
                         WeekSetting week) {
        this.week = week;
        this.shutdownTime = shutdownTime == null ? "" : shutdownTime.trim();
        this.readOnly = Map.copyOf(readOnly);
        this.scheduler = scheduler;
        this.retention = retention;
        this.recorder = recorder;
        this.obs = obs;
        this.triggers = triggers;
        this.file = file;
    }

    /** The file saved settings live in; {@code ScheinCam} reads it at start. */
    public static Properties readSaved(Path file) {
        Properties saved = new Properties();
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file)) {
                saved.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return saved;
    }

    public synchronized Map<String, Object> current() {
        WeeklySchedule s = scheduler.schedule();
        WeekSetting w = week;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("start_time", w.start().toString());
        out.put("end_time", w.end().toString());
        out.put("weekdays", w.weekdays().stream().map(d -> d.getValue() - 1).sorted().toList());
        out.put("delete_age_days", retention.recordingDays());
        out.put("show_logo", recorder.logoPreference());
        out.put("obs_host", obs.settings().host());
        out.put("obs_port", obs.settings().port());
        out.put("obs_password_set", obs.settings().password() != null && !obs.settings().password().isEmpty());
        out.put("shutdown_time", shutdownTime);
        out.put("timezone", s.zone().getId());
        out.put("exceptions", s.exceptions());
        out.put("windows", w.windows().toString());
        out.put("week", ShowScheduler.week(w.effective()));
        out.putAll(readOnly);
        return out;
    }

    /** Partial update: every given field is checked before any is applied. */
    public synchronized Map<String, Object> update(Map<String, Object> changes) {
        if (changes == null || changes.isEmpty()) {
            throw Refusal.invalid("Send at least one setting to change.");
        }
        for (String field : changes.keySet()) {
            if (!KEYS.containsKey(field)) {
                throw Refusal.invalid("Field '" + field + "' cannot be changed here (changeable: "
                        + String.join(", ", KEYS.keySet()) + ").");
            }
        }
        WeeklySchedule s = scheduler.schedule();
        WeekSetting w = week;
        LocalTime start = changes.containsKey("start_time") ? time("start_time", changes.get("start_time")) : w.start();
        LocalTime end = changes.containsKey("end_time") ? time("end_time", changes.get("end_time")) : w.end();
        var days = changes.containsKey("weekdays") ? weekdays(changes.get("weekdays")) : w.weekdays();
        if (start.equals(end)) {
            throw Refusal.invalid("Field 'end_time': must differ from start_time.");
        }
        WeekWindows windows = changes.containsKey("windows") ? windows(changes.get("windows")) : w.windows();
        if (!windows.isEmpty()) {
            // the one window for every weekday is not in effect while per-day windows are: changing it alone would do nothing
            for (String field : List.of("start_time", "end_time", "weekdays")) {
                if (changes.containsKey(field) && !changes.containsKey("windows")) {
                    throw Refusal.invalid("Field '" + field + "': the per-day windows ('windows') are in effect; "
                            + "change them, or send \"windows\": \"\" with it to go back to one window for every weekday.");
                }
            }
        }
        Integer retentionDays = changes.containsKey("delete_age_days") ? positive("delete_age_days", changes.get("delete_age_days")) : null;
        Boolean logo = changes.containsKey("show_logo") ? bool("show_logo", changes.get("show_logo")) : null;
        String host = changes.containsKey("obs_host") ? host(changes.get("obs_host")) : obs.settings().host();
        int port = changes.containsKey("obs_port") ? port(changes.get("obs_port")) : obs.settings().port();
        String password = changes.containsKey("obs_password") ? text("obs_password", changes.get("obs_password")) : obs.settings().password();
        String shutdown = changes.containsKey("shutdown_time") ? optionalTime("shutdown_time", changes.get("shutdown_time")) : null;

        // all valid: apply
        if (changes.containsKey("start_time") || changes.containsKey("end_time") || changes.containsKey("weekdays")
                || changes.containsKey("windows")) {
            week = new WeekSetting(start, end, days, windows);
            scheduler.reschedule(week.effective());
            triggers.aim(scheduler.nextEdge());
        }
        if (retentionDays != null) {
            retention.setRecordingDays(retentionDays);
        }
        if (shutdown != null) {
            shutdownTime = shutdown;
            triggers.rearmShutdown(shutdown.isEmpty() ? null : LocalTime.parse(shutdown), s.zone());
        }
        if (logo != null) {
            recorder.setLogoPreference(logo);
        }
        ObsClient.Settings o = obs.settings();
        if (!host.equals(o.host()) || port != o.port() || !password.equals(o.password())) {
            obs.reconfigure(new ObsClient.Settings(host, port, password, o.requestTimeout(), o.backoffInitial(),
                    o.backoffMax(), o.heartbeat()));
        }
        LOG.info("Settings changed: {}", changes.keySet());
        return current();
    }

    /** Writes the current values to settings.properties (temp file + rename). */
    public synchronized Map<String, Object> save() {
        Map<String, Object> now = current();
        Map<String, String> values = new TreeMap<>();
        values.put(KEYS.get("start_time"), (String) now.get("start_time"));
        values.put(KEYS.get("end_time"), (String) now.get("end_time"));
        values.put(KEYS.get("weekdays"), ((List<?>) now.get("weekdays")).stream().map(String::valueOf).collect(Collectors.joining(",")));
        values.put(KEYS.get("windows"), (String) now.get("windows"));
        values.put(KEYS.get("delete_age_days"), String.valueOf(now.get("delete_age_days")));
        values.put(KEYS.get("show_logo"), String.valueOf(now.get("show_logo")));
        values.put(KEYS.get("obs_host"), (String) now.get("obs_host"));
        values.put(KEYS.get("obs_port"), String.valueOf(now.get("obs_port")));
        values.put(KEYS.get("obs_password"), obs.settings().password());
        values.put(KEYS.get("shutdown_time"), shutdownTime);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (Writer out = Files.newBufferedWriter(tmp)) {
                out.write("# Saved by ScheinCam (POST /api/settings/save); wins over application.properties.\n");
                for (var e : values.entrySet()) {
                    Properties one = new Properties();
                    one.setProperty(e.getKey(), e.getValue());
                    java.io.StringWriter line = new java.io.StringWriter();
                    one.store(line, null);
                    // Properties.store escapes; drop its date comment line
                    line.toString().lines().filter(l -> !l.startsWith("#")).forEach(l -> {
                        try {
                            out.write(l + "\n");
                        } catch (IOException ex) {
                            throw new UncheckedIOException(ex);
                        }
                    });
                }
            }
            try {
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save " + file, e);
        }
        LOG.info("Settings saved to {}", file);
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("success", true);
        reply.put("message", "Settings saved");
        reply.put("settings", now);
        return reply;
    }

    /** Re-reads settings.properties and applies what it holds. */
    public synchronized Map<String, Object> reload() {
        Properties saved = readSaved(file);
        Map<String, Object> changes = new LinkedHashMap<>();
        KEYS.forEach((field, key) -> {
            String value = saved.getProperty(key);
            if (value != null) {
                changes.put(field, switch (field) {
                    case "weekdays" -> value.isBlank() ? List.of() : List.of(value.split(",")).stream()
                            .map(v -> Integer.parseInt(v.trim())).toList();
                    case "delete_age_days", "obs_port" -> Integer.parseInt(value.trim());
                    case "show_logo" -> Boolean.parseBoolean(value.trim());
                    default -> value;
                });
            }
        });
        if (changes.isEmpty()) {
            return current();
        }
        return update(changes);
    }

    private static LocalTime time(String field, Object value) {
        if (!(value instanceof String s)) {
            throw Refusal.invalid("Field '" + field + "': a time HH:MM[:SS] is required.");
        }
        return ScheduleSettings.time(field, s);
    }

    /** A time, or "" for none; returned normalised (HH:MM[:SS]). */
    private static String optionalTime(String field, Object value) {
        if (value instanceof String s && s.isBlank()) {
            return "";
        }
        return time(field, value).toString();
    }

    private static java.util.Set<java.time.DayOfWeek> weekdays(Object value) {
        if (!(value instanceof List<?> list)) {
            throw Refusal.invalid("Field 'weekdays': a list of numbers 0 (Monday) … 6 (Sunday) is required.");
        }
        List<String> parts = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Integer)) {
                throw Refusal.invalid("Field 'weekdays': a list of numbers 0 (Monday) … 6 (Sunday) is required.");
            }
            parts.add(o.toString());
        }
        try {
            return ScheduleSettings.weekdays(String.join(",", parts));
        } catch (IllegalArgumentException e) {
            throw Refusal.invalid("Field 'weekdays': each of 0 (Monday) … 6 (Sunday) at most once.");
        }
    }

    private static WeekWindows windows(Object value) {
        if (!(value instanceof String s) || s.length() > 1000) {
            throw Refusal.invalid("Field 'windows': a text such as \"Tu-Fr 19:50-22:10; Sa 19:50-22:15\" "
                    + "(or \"\" for one window on every weekday) is required.");
        }
        try {
            return WeekWindows.parse(s);
        } catch (IllegalArgumentException e) {
            throw Refusal.invalid("Field 'windows': " + e.getMessage() + ".");
        }
    }

    private static int positive(String field, Object value) {
        if (!(value instanceof Integer n) || n <= 0 || n > 3650) {
            throw Refusal.invalid("Field '" + field + "': a whole number of days from 1 to 3650 is required.");
        }
        return n;
    }

    private static boolean bool(String field, Object value) {
        if (!(value instanceof Boolean b)) {
            throw Refusal.invalid("Field '" + field + "': true or false is required.");
        }
        return b;
    }

    private static int port(Object value) {
        if (!(value instanceof Integer n) || n < 1 || n > 65535) {
            throw Refusal.invalid("Field 'obs_port': a port number from 1 to 65535 is required.");
        }
        return n;
    }

    private static String host(Object value) {
        if (!(value instanceof String s) || !s.matches("[A-Za-z0-9.:\\-\\[\\]]{1,253}")) {
            throw Refusal.invalid("Field 'obs_host': a host name or IP address is required.");
        }
        return s;
    }

    private static String text(String field, Object value) {
        if (!(value instanceof String s) || s.length() > 256) {
            throw Refusal.invalid("Field '" + field + "': a text of at most 256 characters is required.");
        }
        return s;
    }
}
