package de.scheincam.schedule;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesFunction;

/**
 * Crons in routes, made from the settings so operators set times, not cron syntax:
 * <ul>
 * <li>{@code {{cron:next-edge}}}: the next instant a window opens or closes, in UTC (the trigger of
 * route schedule-window-edge, which is re-aimed after each firing);</li>
 * <li>{@code {{cron:start}}} / {@code {{cron:end}}}: every window's start / end, for a flow written for
 * one window on chosen weekdays; they refuse (the app does not start) when the weekly windows differ
 * from day to day or a day has several, which no single cron can say;</li>
 * <li>{@code {{cron:shutdown}}}: daily at scheincam.shutdown.time (never when empty).</li>
 * </ul>
 * The windows are the scheduler's ({@code bean:scheduler}): scheincam.schedule.windows, or
 * start-time/end-time/weekdays when that is empty.
 */
public class ScheduleCronFunction implements PropertiesFunction {

    private final CamelContext context;

    public ScheduleCronFunction(CamelContext context) {
        this.context = context;
    }

    @Override
    public String getName() {
        return "cron";
    }

    @Override
    public String apply(String edge) {
        if ("shutdown".equals(edge.trim())) {
            String at = setting("scheincam.shutdown.time");
            return at.isBlank() ? ScheduleSettings.cron(LocalTime.MIDNIGHT, Set.of())
                    : ScheduleSettings.cron(ScheduleSettings.time("shutdown_time", at), EnumSet.allOf(DayOfWeek.class));
        }
        ShowScheduler scheduler = context.getRegistry().lookupByNameAndType("scheduler", ShowScheduler.class);
        if (scheduler == null) {
            throw new IllegalArgumentException("{{cron:" + edge + "}} needs the bean 'scheduler'");
        }
        if ("next-edge".equals(edge.trim())) {
            return ScheduleSettings.edgeCron(scheduler.nextEdge());
        }
        WeekWindows week = scheduler.schedule().week();
        if (week.isEmpty()) {
            return ScheduleSettings.NEVER;
        }
        if (!week.sameWindowEveryDay()) {
            throw new IllegalArgumentException("{{cron:" + edge + "}} says one window on chosen weekdays, but the "
                    + "windows are '" + week + "': wake the reconciler with quartz cron {{cron:next-edge}} "
                    + "(trigger.timeZone UTC) as routes/schedule.camel.yaml does");
        }
        DayOfWeek first = week.days().iterator().next();
        WeekWindows.Daily window = week.on(first).get(0);
        return switch (edge.trim()) {
            case "start" -> ScheduleSettings.cron(window.start(), week.days());
            case "end" -> ScheduleSettings.cron(window.end(),
                    ScheduleSettings.endDays(window.start(), window.end(), week.days()));
            default -> throw new IllegalArgumentException("{{cron:" + edge + "}}: use next-edge, start, end or shutdown");
        };
    }

    private String setting(String name) {
        return context.getPropertiesComponent().resolveProperty(name)
                .orElseThrow(() -> new IllegalArgumentException("no setting " + name));
    }
}
