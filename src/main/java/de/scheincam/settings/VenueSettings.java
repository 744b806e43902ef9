package de.scheincam.settings;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import de.scheincam.core.Refusal;
import de.scheincam.schedule.ShowScheduler;
import de.scheincam.schedule.WeekSetting;
import de.scheincam.schedule.WeeklySchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings an operator changes through the API ({@code GET/PUT /api/settings}), one row each in
 * {@link Setting#ALL}: checked by the row, every given field before any is applied, then in effect as
 * the row says (schedule re-armed, OBS reconnected, calendar read again). Saved on request to
 * {@code settings.properties} beside application.properties (atomic write; read at start and on reload,
 * it wins over application.properties and the environment), and so only what the operator set: a value
 * that came from the environment stays the environment's. The OBS password can be set, never read.
 */
public class VenueSettings {

    private static final Logger LOG = LoggerFactory.getLogger(VenueSettings.class);

    /** Fields in effect only while per-day windows are not. */
    private static final List<Setting<?>> ONE_WINDOW = List.of(Setting.START_TIME, Setting.END_TIME, Setting.WEEKDAYS);

    private final ShowScheduler scheduler;
    private final SettingTargets targets;
    private final Path file;
    private final SettingsAnswer.Fixed fixed;
    private SettingValues values;
    /** The settings the operator set (through the API or in settings.properties): what save writes. */
    private final Set<Setting<?>> operatorSet = new LinkedHashSet<>();

    /**
     * {@code values}: as the app started (application.properties, environment, settings.properties);
     * {@code targets}: where a change takes effect; {@code fixed}: settings shown but changed only in
     * application.properties (watchdog, alerts).
     */
    public VenueSettings(ShowScheduler scheduler, SettingTargets targets, Path file, SettingValues values,
                         SettingsAnswer.Fixed fixed) {
        this.scheduler = scheduler;
        this.targets = targets;
        this.file = file;
        this.values = values;
        this.fixed = fixed;
        Properties saved = readSaved(file);
        Setting.ALL.stream().filter(s -> saved.containsKey(s.key())).forEach(operatorSet::add);
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

    public synchronized SettingsAnswer current() {
        WeeklySchedule s = scheduler.schedule();
        values = values.with(Setting.SHOW_LOGO, targets.logo());
        return SettingsAnswer.of(values, s.zone().getId(), s.exceptions(), ShowScheduler.week(week(values).effective()), fixed);
    }

    /** Partial update from {@code PUT /api/settings}: every given field is checked before any is applied. */
    public synchronized SettingsAnswer update(Map<String, Object> changes) {
        if (changes == null || changes.isEmpty()) {
            throw Refusal.invalid("Send at least one setting to change.");
        }
        Map<Setting<?>, Object> parsed = new LinkedHashMap<>();
        for (var change : changes.entrySet()) {
            Setting<?> setting = Setting.byField(change.getKey()).orElseThrow(() -> Refusal.invalid("Field '"
                    + change.getKey() + "' cannot be changed here (changeable: "
                    + Setting.ALL.stream().map(Setting::field).collect(Collectors.joining(", ")) + ")."));
            parsed.put(setting, setting.fromJson(change.getValue()));
        }
        SettingValues next = with(parsed);
        if (!next.get(Setting.WINDOWS).isEmpty() && !parsed.containsKey(Setting.WINDOWS)) {
            // the one window for every weekday is not in effect while per-day windows are: changing it alone would do nothing
            for (Setting<?> s : ONE_WINDOW) {
                if (parsed.containsKey(s)) {
                    throw Refusal.invalid("Field '" + s.field() + "': the per-day windows ('windows') are in effect; "
                            + "change them, or send \"windows\": \"\" with it to go back to one window for every weekday.");
                }
            }
        }
        apply(parsed.keySet(), next);
        LOG.info("Settings changed: {}", changes.keySet());
        return current();
    }

    /** Writes what the operator set to settings.properties (temp file + rename); other keys there are kept. */
    public synchronized SettingsAnswer.Saved save() {
        Properties before = readSaved(file);
        Map<String, String> lines = new TreeMap<>();
        before.stringPropertyNames().forEach(k -> lines.put(k, before.getProperty(k)));
        for (Setting<?> s : operatorSet) {
            lines.put(s.key(), values.text(s));
        }
        write(lines);
        LOG.info("Settings saved to {}: {}", file, operatorSet.stream().map(Setting::key).toList());
        return new SettingsAnswer.Saved(true, "Settings saved", current());
    }

    /** Re-reads settings.properties and applies what it holds, checked as a change through the API is. */
    public synchronized SettingsAnswer reload() {
        Properties saved = readSaved(file);
        Map<Setting<?>, Object> parsed = new LinkedHashMap<>();
        for (Setting<?> s : Setting.ALL) {
            String text = saved.getProperty(s.key());
            if (text != null) {
                parsed.put(s, s.parse(text));
            }
        }
        if (!parsed.isEmpty()) {
            apply(parsed.keySet(), with(parsed));
            LOG.info("Settings reloaded from {}: {}", file, parsed.keySet().stream().map(Setting::key).toList());
        }
        return current();
    }

    /** The current values with {@code parsed} in place; refused when the week they make is not one. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private SettingValues with(Map<Setting<?>, Object> parsed) {
        SettingValues next = values;
        for (var p : parsed.entrySet()) {
            next = next.with((Setting) p.getKey(), p.getValue());
        }
        if (next.get(Setting.START_TIME).equals(next.get(Setting.END_TIME))) {
            throw Refusal.invalid("Field 'end_time': must differ from start_time.");
        }
        return next;
    }

    private static WeekSetting week(SettingValues v) {
        return new WeekSetting(v.get(Setting.START_TIME), v.get(Setting.END_TIME), v.get(Setting.WEEKDAYS), v.get(Setting.WINDOWS));
    }

    /** All checked: each changed setting takes effect as its row says. */
    private void apply(Set<Setting<?>> changed, SettingValues next) {
        SettingValues before = values;
        values = next;
        operatorSet.addAll(changed);
        Set<Setting.Effect> effects = changed.stream().map(Setting::effect).collect(Collectors.toSet());
        if (effects.contains(Setting.Effect.RESCHEDULE)) {
            String shutdown = next.get(Setting.SHUTDOWN_TIME);
            targets.schedule(week(next), shutdown.isEmpty() ? null : LocalTime.parse(shutdown));
        }
        if (changed.contains(Setting.DELETE_AGE_DAYS)) {
            targets.retentionDays(next.get(Setting.DELETE_AGE_DAYS));
        }
        if (changed.contains(Setting.SHOW_LOGO)) {
            targets.logo(next.get(Setting.SHOW_LOGO));
        }
        if (effects.contains(Setting.Effect.RECONNECT_OBS)) {
            targets.obs(next.get(Setting.OBS_HOST), next.get(Setting.OBS_PORT), next.get(Setting.OBS_PASSWORD));
        }
        if (effects.contains(Setting.Effect.REREAD_CALENDAR) && !next.get(Setting.ICS_URL).equals(before.get(Setting.ICS_URL))) {
            targets.calendar(next.get(Setting.ICS_URL));
        }
        if (effects.contains(Setting.Effect.RESTART)) {
            LOG.info("Settings in effect after the next start: {}", changed.stream()
                    .filter(s -> s.effect() == Setting.Effect.RESTART).map(Setting::key).toList());
        }
    }

    private void write(Map<String, String> lines) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (Writer out = Files.newBufferedWriter(tmp)) {
                out.write("# Saved by ScheinCam (POST /api/settings/save): what the operator set; wins over application.properties.\n");
                for (var e : lines.entrySet()) {
                    Properties one = new Properties();
                    one.setProperty(e.getKey(), e.getValue());
                    StringWriter line = new StringWriter();
                    one.store(line, null);
                    // Properties.store escapes; drop its date comment line
                    for (String l : line.toString().lines().filter(l -> !l.startsWith("#")).toList()) {
                        out.write(l + "\n");
                    }
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
    }
}
