package de.scheincam.library;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;

import de.scheincam.core.Refusal;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShowClockTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private final ShowClock clock = new ShowClock(BERLIN, Clock.fixed(Instant.parse("2025-01-24T19:30:00Z"), BERLIN));

    private static Recording recording(String start, Double duration, boolean inProgress, String container) {
        return new Recording("x." + container, "x", LocalDateTime.parse(start), null, duration, 1, container,
                false, inProgress, null, null, null, null, false);
    }

    @Test
    void parsesTimesOfDayInTheAcceptedForms() {
        assertThat(ShowClock.parse("t", "20:31:05")).isEqualTo(LocalTime.of(20, 31, 5));
        assertThat(ShowClock.parse("t", "20:31")).isEqualTo(LocalTime.of(20, 31));
        assertThat(ShowClock.parse("t", "9:05:00.25")).isEqualTo(LocalTime.of(9, 5, 0, 250_000_000));
        for (String bad : new String[] {"24:00:00", "20:60:00", "20:31:61", "abc", "", "-1:00", "20:31:05.1234"}) {
            assertThatThrownBy(() -> ShowClock.parse("start_time", bad))
                    .isInstanceOf(Refusal.class).hasMessageContaining("start_time")
                    .extracting(e -> ((Refusal) e).kind()).isEqualTo(Refusal.Kind.INVALID);
        }
    }

    @Test
    void aTimeBeforeTheStartMeansTheNextDay() {
        Recording show = recording("2025-01-24T22:00:00", 10800.0, false, "mkv");
        assertThat(clock.wallClock(show, LocalTime.of(23, 30))).isEqualTo(LocalDateTime.parse("2025-01-24T23:30:00"));
        assertThat(clock.wallClock(show, LocalTime.of(0, 15))).isEqualTo(LocalDateTime.parse("2025-01-25T00:15:00"));
        assertThat(clock.offset(show, LocalDateTime.parse("2025-01-25T00:15:00"))).isEqualTo(Duration.ofMinutes(135));
    }

    @Test
    void offsetsCountRealTimeAcrossTheAutumnDstChange() {
        // 26 Oct 2025: 03:00 CEST becomes 02:00 CET, the night is an hour longer
        Recording show = recording("2025-10-26T01:00:00", 4 * 3600.0, false, "mkv");
        assertThat(clock.offset(show, LocalDateTime.parse("2025-10-26T04:00:00"))).isEqualTo(Duration.ofHours(4));
        assertThat(clock.wallClockAt(show, Duration.ofHours(4))).isEqualTo(LocalDateTime.parse("2025-10-26T04:00:00"));
    }

    @Test
    void offsetsCountRealTimeAcrossTheSpringDstChange() {
        // 30 Mar 2025: 02:00 CET becomes 03:00 CEST, the night is an hour shorter
        Recording show = recording("2025-03-30T01:00:00", 3 * 3600.0, false, "mkv");
        assertThat(clock.offset(show, LocalDateTime.parse("2025-03-30T04:00:00"))).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void aGrowingMkvIsReadableUpToAMomentAgoAndAGrowingMp4NotYet() {
        // fixed clock: 20:30 in Berlin, the show started 20:00
        assertThat(clock.readableLength(recording("2025-01-24T20:00:00", null, true, "mkv")))
                .isEqualTo(Duration.ofMinutes(30).minusSeconds(2));
        assertThatThrownBy(() -> clock.readableLength(recording("2025-01-24T20:00:00", null, true, "mp4")))
                .isInstanceOf(Refusal.class).hasMessageContaining("still being recorded");
        assertThat(clock.readableLength(recording("2025-01-24T20:00:00", 61.5, false, "mp4"))).isEqualTo(Duration.ofMillis(61_500));
    }
}
