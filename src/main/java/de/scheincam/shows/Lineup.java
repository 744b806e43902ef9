package de.scheincam.shows;

import java.time.LocalDateTime;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * {@code PUT /api/shows/{id}/acts}: tonight's lineup, in order; times optional (wall-clock, the venue's
 * time zone), so a lineup can be set before the show and its markers moved afterwards.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = false)
public record Lineup(List<Entry> acts) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Entry(String name, LocalDateTime startTime, LocalDateTime endTime) {
    }
}
