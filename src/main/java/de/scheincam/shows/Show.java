package de.scheincam.shows;

import java.time.LocalDateTime;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One show: an evening's recordings ({@code parts}) joined in wall-clock time, with the {@code gaps}
 * between them. {@code GET /api/shows/{id}} (Show), and what {@code videos/shows/<id>.json} keeps.
 * Times are the venue's wall-clock times; {@code endTime} is empty while a part is being recorded.
 * {@code recordedSeconds}: what the parts hold together (the gaps not counted).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Show(String id, String title, LocalDateTime startTime, LocalDateTime endTime, double recordedSeconds,
                   boolean inProgress, List<Part> parts, List<Gap> gaps, List<Act> acts) {

    /** One recording of the show. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Part(String filename, LocalDateTime startTime, LocalDateTime endTime) {
    }

    /**
     * Nothing recorded from {@code startTime} (the part before ended) to {@code endTime} (the next began);
     * {@code seconds} measured from the parts' own lengths; {@code reason} when known (a
     * de.scheincam.library.Recording gap reason: obs-lost, app-restarted, stopped-by-hand), else null.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Gap(LocalDateTime startTime, LocalDateTime endTime, double seconds, String reason) {
    }

    /** A performer's act in the show; {@code source}: planned, marked or suggested. None yet. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Act(String name, LocalDateTime startTime, LocalDateTime endTime, String source) {
    }

    /** The same show, its recorded seconds left aside: what decides whether its file must be written again. */
    Show structure() {
        return new Show(id, title, startTime, endTime, 0, inProgress, parts, gaps, acts);
    }
}
