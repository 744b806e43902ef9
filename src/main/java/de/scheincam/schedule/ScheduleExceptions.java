package de.scheincam.schedule;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Departures from the weekly schedule: nights the venue is closed, and extra shows. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ScheduleExceptions(
        @JsonProperty("closed_dates") List<LocalDate> closedDates,
        @JsonProperty("extra_shows") List<ExtraShow> extraShows) {

    public static final ScheduleExceptions NONE = new ScheduleExceptions(List.of(), List.of());

    public ScheduleExceptions {
        closedDates = closedDates == null ? List.of() : List.copyOf(closedDates);
        extraShows = extraShows == null ? List.of() : List.copyOf(extraShows);
    }

    /** A show outside the weekly schedule: its date and window (the end may be after midnight). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ExtraShow(LocalDate date,
                            @JsonProperty("start_time") LocalTime startTime,
                            @JsonProperty("end_time") LocalTime endTime) {
    }
}
