package de.scheincam.schedule;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {{cron:…}} in routes: the next edge for the flow as shipped; start/end still for a one-window flow. */
class ScheduleCronFunctionTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    @TempDir
    Path dir;

    private String cron(WeekWindows week, String edge) {
        Clock clock = Clock.fixed(LocalDateTime.parse("2025-01-22T12:00:00").atZone(BERLIN).toInstant(), ZoneOffset.UTC);
        ShowScheduler scheduler = new ShowScheduler(new WeeklySchedule(week, BERLIN, ScheduleExceptions.NONE, List.of()),
                true, clock, () -> false, () -> true, dir.resolve("x.json"), new ObjectMapper(), 0, Duration.ofSeconds(1), (f, g) -> { });
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.getRegistry().bind("scheduler", scheduler);
        return new ScheduleCronFunction(camel).apply(edge);
    }

    @Test
    void theNextEdgeAndTheOneWindowCrons() {
        WeekWindows old = WeekWindows.every(ScheduleSettings.weekdays("2,3,4,5,6"), LocalTime.parse("19:50"), LocalTime.parse("22:10"));
        assertThat(cron(old, "next-edge")).as("Wednesday 19:50 CET in UTC").isEqualTo("0 50 18 22 1 ?");
        assertThat(cron(old, "start")).isEqualTo("0 50 19 ? * WED,THU,FRI,SAT,SUN");
        assertThat(cron(old, "end")).isEqualTo("0 10 22 ? * WED,THU,FRI,SAT,SUN");
        assertThat(cron(WeekWindows.NONE, "next-edge")).isEqualTo(ScheduleSettings.NEVER);
        WeekWindows venue = WeekWindows.parse("Tu-Fr 19:50-22:10; Sa 19:50-22:15");
        assertThat(cron(venue, "next-edge")).isEqualTo("0 50 18 22 1 ?");
        assertThatThrownBy(() -> cron(venue, "end")).hasMessageContaining("{{cron:next-edge}}");
    }
}
