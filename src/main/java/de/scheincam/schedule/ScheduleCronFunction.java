package de.scheincam.schedule;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesFunction;

/**
 * {@code {{cron:start}}} and {@code {{cron:end}}} in routes: Quartz cron expressions for the window
 * edges, derived from scheincam.schedule.start-time, end-time and weekdays, so operators set times,
 * not cron syntax.
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
