package de.scheincam.schedule;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesFunction;

/**
 * {@code {{cron:start}}} and {@code {{cron:end}}} in routes: Quartz cron expressions for the window
 * edges, derived from scheincam.schedule.start-time, end-time and weekdays, so operators set times,
 * not cron syntax. {@code {{cron:shutdown}}}: daily at scheincam.shutdown.time (never when empty).
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
                    : ScheduleSettings.cron(ScheduleSettings.time("shutdown_time", at), java.util.EnumSet.allOf(DayOfWeek.class));
        }
        LocalTime start = ScheduleSettings.time("start_time", setting("scheincam.schedule.start-time"));
        LocalTime end = ScheduleSettings.time("end_time", setting("scheincam.schedule.end-time"));
        Set<DayOfWeek> days = ScheduleSettings.weekdays(setting("scheincam.schedule.weekdays"));
        return switch (edge.trim()) {
            case "start" -> ScheduleSettings.cron(start, days);
            case "end" -> ScheduleSettings.cron(end, ScheduleSettings.endDays(start, end, days));
            default -> throw new IllegalArgumentException("{{cron:" + edge + "}}: use start or end");
        };
    }

    private String setting(String name) {
        return context.getPropertiesComponent().resolveProperty(name)
                .orElseThrow(() -> new IllegalArgumentException("no setting " + name));
    }
}
