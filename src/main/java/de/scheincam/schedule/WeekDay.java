package de.scheincam.schedule;

import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** One weekday of the weekly windows as the API and the operator page show them (WeekWindows: 0 = Monday). */
public record WeekDay(int weekday, String day, List<Hours> windows) {

    /** One window of the day, HH:MM; an end not after the start is on the next day. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Hours(String startTime, String endTime) {
    }
}
