package de.scheincam.schedule;

import java.util.TimeZone;
import java.util.function.Supplier;

import org.quartz.CronScheduleBuilder;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-arms the Quartz triggers of routes/schedule.camel.yaml (quartz:schedule/window-start and
 * quartz:schedule/window-end) when the schedule changes at run time, so the window edges stay exact.
 */
public class ScheduleTriggers {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleTriggers.class);
    private static final String GROUP = "schedule";

    private final Supplier<Scheduler> quartz;

    public ScheduleTriggers(Supplier<Scheduler> quartz) {
        this.quartz = quartz;
    }

    public void rearm(WeeklySchedule schedule) {
        reschedule("window-start", ScheduleSettings.cron(schedule.start(), schedule.days()), schedule);
        reschedule("window-end", ScheduleSettings.cron(schedule.end(),
                ScheduleSettings.endDays(schedule.start(), schedule.end(), schedule.days())), schedule);
    }

    /** Daily at {@code time}, or never when null. */
    public void rearmShutdown(java.time.LocalTime time, java.time.ZoneId zone) {
        String cron = time == null ? ScheduleSettings.cron(java.time.LocalTime.MIDNIGHT, java.util.Set.of())
                : ScheduleSettings.cron(time, java.util.EnumSet.allOf(java.time.DayOfWeek.class));
        reschedule("shutdown", cron, zone);
    }

    /** The cron a trigger fires on now, for status and tests; null if there is no such trigger. */
    public String cron(String name) {
        try {
            Trigger t = quartz.get().getTrigger(TriggerKey.triggerKey(name, GROUP));
            return t instanceof org.quartz.CronTrigger c ? c.getCronExpression() : null;
        } catch (SchedulerException e) {
            throw new IllegalStateException(e);
        }
    }

    private void reschedule(String name, String cron, WeeklySchedule schedule) {
        reschedule(name, cron, schedule.zone());
    }

    private void reschedule(String name, String cron, java.time.ZoneId zone) {
        try {
            Scheduler scheduler = quartz.get();
            TriggerKey key = TriggerKey.triggerKey(name, GROUP);
            Trigger old = scheduler == null ? null : scheduler.getTrigger(key);
            if (old == null) {
                LOG.warn("No Quartz trigger {}: the schedule flow was changed; the reconciler still keeps time", key);
                return;
            }
            Trigger next = TriggerBuilder.newTrigger().withIdentity(key).forJob(old.getJobKey())
                    .usingJobData(old.getJobDataMap())
                    .withSchedule(CronScheduleBuilder.cronSchedule(cron).inTimeZone(TimeZone.getTimeZone(zone)))
                    .build();
            scheduler.rescheduleJob(key, next);
            LOG.info("Trigger {} re-armed: {}", name, cron);
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot re-arm " + name, e);
        }
    }
}
