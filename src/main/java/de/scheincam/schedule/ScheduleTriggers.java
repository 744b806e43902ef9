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
 * Aims the Quartz trigger of routes/schedule.camel.yaml (quartz:schedule/window-edge) at the next
 * instant a window opens or closes, and re-arms the shutdown trigger (watchdog.camel.yaml) when its
 * time changes. With windows that differ per weekday, from a calendar or as extra shows, no single cron
 * says every edge; one trigger aimed at the next edge does, and is re-aimed after it fires and on every
 * reconciler tick (cheap: only a changed edge touches Quartz), so a changed schedule is in effect at once.
 */
public class ScheduleTriggers {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleTriggers.class);
    private static final String GROUP = "schedule";
    /** The trigger of route schedule-window-edge. */
    public static final String EDGE = "window-edge";

    private final Supplier<Scheduler> quartz;

    public ScheduleTriggers(Supplier<Scheduler> quartz) {
        this.quartz = quartz;
    }

    /** Aims the window-edge trigger at {@code edge} (null: never), unless it is aimed there already. */
    public void aim(java.time.Instant edge) {
        String cron = ScheduleSettings.edgeCron(edge);
        String now = cron(EDGE);
        // no such trigger: the route was taken out of the flow; the reconciler's timer still keeps time
        if (now != null && !cron.equals(now)) {
            reschedule(EDGE, cron, java.time.ZoneOffset.UTC);
            LOG.info("Next window edge: {}", edge == null ? "none within a year" : edge);
        }
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
            Scheduler scheduler = quartz.get();
            Trigger t = scheduler == null ? null : scheduler.getTrigger(TriggerKey.triggerKey(name, GROUP));
            return t instanceof org.quartz.CronTrigger c ? c.getCronExpression() : null;
        } catch (SchedulerException e) {
            throw new IllegalStateException(e);
        }
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
            LOG.debug("Trigger {} re-armed: {} ({})", name, cron, zone);
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot re-arm " + name, e);
        }
    }
}
