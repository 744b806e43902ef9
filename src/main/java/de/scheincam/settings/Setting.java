package de.scheincam.settings;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import de.scheincam.schedule.WeekWindows;

/**
 * One setting the operator changes through {@code PUT /api/settings}: its field in the API, its key in
 * application.properties / settings.properties, what its value is (and so its check), and how a change
 * takes effect. {@link #ALL} is the table that get, put, save and reload iterate over; the operator
 * page builds its form from the same fields in the contract (openapi.yaml, {@code updateSettings}).
 *
 * @param <T> the value as the beans use it
 */
public record Setting<T>(String field, String key, SettingKind<T> kind, Effect effect) {

    /** How a changed value takes effect. */
    public enum Effect {
        /** at once, in the bean that uses it */
        LIVE,
        /** the schedule's windows are rebuilt and its Quartz triggers re-aimed */
        RESCHEDULE,
        /** the OBS session is closed and opened to the (new) address */
        RECONNECT_OBS,
        /** the programme calendar is read again at once */
        REREAD_CALENDAR,
        /** saved now, in effect after the next start */
        RESTART
    }

    public static final Setting<LocalTime> START_TIME =
            new Setting<>("start_time", "scheincam.schedule.start-time", SettingKind.TIME, Effect.RESCHEDULE);
    public static final Setting<LocalTime> END_TIME =
            new Setting<>("end_time", "scheincam.schedule.end-time", SettingKind.TIME, Effect.RESCHEDULE);
    public static final Setting<Set<DayOfWeek>> WEEKDAYS =
            new Setting<>("weekdays", "scheincam.schedule.weekdays", SettingKind.WEEKDAYS, Effect.RESCHEDULE);
    public static final Setting<WeekWindows> WINDOWS =
            new Setting<>("windows", "scheincam.schedule.windows", SettingKind.WINDOWS, Effect.RESCHEDULE);
    public static final Setting<Integer> DELETE_AGE_DAYS =
            new Setting<>("delete_age_days", "scheincam.retention.days", SettingKind.DAYS, Effect.LIVE);
    public static final Setting<Boolean> SHOW_LOGO =
            new Setting<>("show_logo", "scheincam.obs.logo.visible", SettingKind.BOOLEAN, Effect.LIVE);
    public static final Setting<String> OBS_HOST =
            new Setting<>("obs_host", "scheincam.obs.host", SettingKind.HOST, Effect.RECONNECT_OBS);
    public static final Setting<Integer> OBS_PORT =
            new Setting<>("obs_port", "scheincam.obs.port", SettingKind.PORT, Effect.RECONNECT_OBS);
    public static final Setting<String> OBS_PASSWORD =
            new Setting<>("obs_password", "scheincam.obs.password", SettingKind.SECRET, Effect.RECONNECT_OBS);
    public static final Setting<String> SHUTDOWN_TIME =
            new Setting<>("shutdown_time", "scheincam.shutdown.time", SettingKind.OPTIONAL_TIME, Effect.RESCHEDULE);
    public static final Setting<String> ICS_URL =
            new Setting<>("ics_url", "scheincam.schedule.ics-url", SettingKind.LOCATION, Effect.REREAD_CALENDAR);

    /** The table, in the order the operator page shows the fields. */
    public static final List<Setting<?>> ALL = List.of(WINDOWS, START_TIME, END_TIME, WEEKDAYS, DELETE_AGE_DAYS,
            SHUTDOWN_TIME, SHOW_LOGO, ICS_URL, OBS_HOST, OBS_PORT, OBS_PASSWORD);

    public static Optional<Setting<?>> byField(String field) {
        return ALL.stream().filter(s -> s.field.equals(field)).findFirst();
    }

    /** The value from a properties text, checked. */
    public T parse(String text) {
        return kind.parse(field, text == null ? "" : text);
    }

    /** The value a client sent, checked as a text from settings.properties would be. */
    public T fromJson(Object json) {
        return parse(kind.fromJson(field, json));
    }

    public String text(T value) {
        return kind.text(value);
    }
}
