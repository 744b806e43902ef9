package de.scheincam.settings;

import java.time.LocalTime;

import de.scheincam.schedule.WeekSetting;

/**
 * Where changed settings take effect: the beans that use them (scheduler, retention, recorder, OBS
 * session, programme calendar), wired in ScheinCamConfiguration. One method per way a row of
 * {@link Setting#ALL} takes effect; each is called with the whole new state it needs.
 */
public interface SettingTargets {

    /** {@link Setting.Effect#RESCHEDULE}: the week's windows and the daily shutdown time (null: none). */
    void schedule(WeekSetting week, LocalTime shutdown);

    /** {@link Setting#DELETE_AGE_DAYS}, live. */
    void retentionDays(int days);

    /** {@link Setting#SHOW_LOGO}, live. */
    void logo(boolean visible);

    /** The logo as it is now: the dashboard's logo button ({@code POST /api/admin/logo}) switches it too. */
    boolean logo();

    /** {@link Setting.Effect#RECONNECT_OBS}: the session goes to this address (a no-op when it is there already). */
    void obs(String host, int port, String password);

    /** {@link Setting.Effect#REREAD_CALENDAR}: read the programme calendar from here now ("" drops its shows). */
    void calendar(String location);
}
