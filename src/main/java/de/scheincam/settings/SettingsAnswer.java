package de.scheincam.settings;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import de.scheincam.schedule.ScheduleExceptions;

/**
 * {@code GET /api/settings} (schema Settings in openapi.yaml), in the order the API has always answered:
 * the table's values, the venue's time zone, exceptions and week, then the settings changed only in
 * application.properties. The OBS password is never in it, only whether one is set.
 */
public record SettingsAnswer(
        @JsonProperty("start_time") String startTime,
        @JsonProperty("end_time") String endTime,
        @JsonProperty("weekdays") List<Integer> weekdays,
        @JsonProperty("delete_age_days") int deleteAgeDays,
        @JsonProperty("show_logo") boolean showLogo,
        @JsonProperty("obs_host") String obsHost,
        @JsonProperty("obs_port") int obsPort,
        @JsonProperty("obs_password_set") boolean obsPasswordSet,
        @JsonProperty("shutdown_time") String shutdownTime,
        @JsonProperty("timezone") String timezone,
        @JsonProperty("exceptions") ScheduleExceptions exceptions,
        @JsonProperty("windows") String windows,
        @JsonProperty("ics_url") String icsUrl,
        @JsonProperty("week") List<de.scheincam.schedule.WeekDay> week,
        @JsonUnwrapped Fixed fixed) {

    @SuppressWarnings("unchecked")
    static SettingsAnswer of(SettingValues v, String timezone, ScheduleExceptions exceptions,
                             List<de.scheincam.schedule.WeekDay> week, Fixed fixed) {
        return new SettingsAnswer(v.text(Setting.START_TIME), v.text(Setting.END_TIME),
                (List<Integer>) v.json(Setting.WEEKDAYS), v.get(Setting.DELETE_AGE_DAYS), v.get(Setting.SHOW_LOGO),
                v.get(Setting.OBS_HOST), v.get(Setting.OBS_PORT), (Boolean) v.json(Setting.OBS_PASSWORD),
                v.get(Setting.SHUTDOWN_TIME), timezone, exceptions, v.text(Setting.WINDOWS), v.get(Setting.ICS_URL),
                week, fixed);
    }

    /** Shown, but changed only in application.properties (watchdog, alerts, shutdown command). */
    public record Fixed(
            @JsonProperty("watchdog_interval_seconds") long watchdogIntervalSeconds,
            @JsonProperty("watchdog_failures_before_action") int watchdogFailuresBeforeAction,
            @JsonProperty("watchdog_black_threshold") double watchdogBlackThreshold,
            @JsonProperty("disk_reserve_hours") int diskReserveHours,
            @JsonProperty("alert_webhooks") int alertWebhooks,
            @JsonProperty("shutdown_command_set") boolean shutdownCommandSet) {
    }

    /** The save answer: {@code {"success": true, "message": …, "settings": …}}. */
    public record Saved(boolean success, String message, SettingsAnswer settings) {
    }
}
