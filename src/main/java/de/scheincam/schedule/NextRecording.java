package de.scheincam.schedule;

import java.time.LocalDateTime;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * {@code GET /api/schedule/next}: the original's fields, then the current window, the next 14 days and
 * the weekly windows. With no show ahead, the fields describing the next one (day_description …
 * weekday) are left out, next_recording_time is null.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record NextRecording(boolean inWindow, Window currentWindow, LocalDateTime nextRecordingTime,
                            @JsonInclude(JsonInclude.Include.NON_NULL) String dayDescription,
                            @JsonInclude(JsonInclude.Include.NON_NULL) String timeStr,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Long daysUntil,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Long hoursUntil,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Long minutesUntil,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Integer weekday,
                            String formattedMessage, List<Window> windows, boolean enabled, List<WeekDay> week) {

    /** A show window as the API shows it (ShowWindow): venue wall-clock times, 0 = Monday. */
    public record Window(LocalDateTime start, LocalDateTime end, int weekday, boolean extra, ShowWindow.Source source,
                         String title) {

        static Window of(ShowWindow w) {
            return new Window(w.start().toLocalDateTime(), w.end().toLocalDateTime(),
                    w.start().getDayOfWeek().getValue() - 1, w.extra(), w.source(), w.title());
        }
    }
}
