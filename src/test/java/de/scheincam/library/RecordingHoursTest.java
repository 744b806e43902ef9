package de.scheincam.library;

import java.time.LocalDateTime;
import java.util.List;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RecordingHoursTest {

    private static final LocalDateTime NOW = LocalDateTime.of(2026, 12, 4, 21, 0);
    private static final long MB = 1024 * 1024;

    private static Recording finished(LocalDateTime start, double seconds, long size) {
        return new Recording("f.mkv", "f", start, start.plusSeconds((long) seconds), seconds, size, "mkv", false, false,
                640, 360, 30.0, null, false);
    }

    private static Recording growing(LocalDateTime start, long size) {
        return new Recording("g.mkv", "g", start, null, null, size, "mkv", false, true, null, null, null, null, false);
    }

    @Test
    void theRecordingInProgressSetsTheRateUpToNow() {
        // 30 minutes in, 900 MB written: 1800 MB an hour, whatever last week's file said
        List<Recording> newestFirst = List.of(growing(NOW.minusMinutes(30), 900 * MB),
                finished(NOW.minusDays(7), 3600, 100 * MB));
        assertThat(RecordingHours.bytesPerHour(newestFirst, NOW).getAsDouble()).isCloseTo(1800.0 * MB, within(1.0));
    }

    @Test
    void betweenShowsTheNewestFinishedRecordingLongEnoughCounts() {
        List<Recording> newestFirst = List.of(finished(NOW.minusHours(1), 20, 50 * MB), // a 20 s test: too short
                finished(NOW.minusDays(1), 7200, 4000 * MB), finished(NOW.minusDays(2), 3600, 100 * MB));
        assertThat(RecordingHours.bytesPerHour(newestFirst, NOW).getAsDouble()).isCloseTo(2000.0 * MB, within(1.0));
    }

    @Test
    void aRecordingJustStartedDoesNotTellTheRate() {
        List<Recording> newestFirst = List.of(growing(NOW.minusSeconds(10), 30 * MB));
        assertThat(RecordingHours.bytesPerHour(newestFirst, NOW)).isEmpty();
        assertThat(RecordingHours.bytesPerHour(List.of(), NOW)).isEmpty();
    }

    @Test
    void hoursLeftAreTheFreeBytesOverTheRate() {
        assertThat(RecordingHours.hoursLeft(5000 * MB, OptionalDouble.of(2000.0 * MB)).getAsDouble())
                .isCloseTo(2.5, within(1e-9));
        assertThat(RecordingHours.hoursLeft(0, OptionalDouble.of(2000.0 * MB)).getAsDouble()).isZero();
        assertThat(RecordingHours.hoursLeft(500 * MB, OptionalDouble.empty())).isEmpty();
    }
}
