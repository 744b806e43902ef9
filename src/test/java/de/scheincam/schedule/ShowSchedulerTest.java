package de.scheincam.schedule;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import de.scheincam.core.Refusal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShowSchedulerTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private final AtomicBoolean recording = new AtomicBoolean();
    private final AtomicBoolean ready = new AtomicBoolean(true);
    private final Map<String, Double> gaps = new java.util.HashMap<>();
    private final MovableClock clock = new MovableClock(at("2025-01-22T19:00:00"));
    @TempDir
    Path dir;

    private static Instant at(String local) {
        return LocalDateTime.parse(local).atZone(BERLIN).toInstant();
    }

    private ShowScheduler scheduler() {
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        WeeklySchedule weekly = new WeeklySchedule(LocalTime.parse("19:50"), LocalTime.parse("22:10"),
                ScheduleSettings.weekdays("2,3,4,5,6"), BERLIN, ScheduleExceptions.NONE);
        return new ShowScheduler(weekly, true, clock, recording::get, ready::get, dir.resolve("exceptions.json"), json,
                2, java.time.Duration.ofSeconds(2), (file, gap) -> gaps.put(file, gap));
    }

    /** What the schedule-reconcile route does with a decision. */
    private String tick(ShowScheduler s) {
        String decision = s.decide();
        if (ShowScheduler.START.equals(decision)) {
            recording.set(true);
            s.started("file-" + clock.instant().getEpochSecond());
        } else if (ShowScheduler.STOP.equals(decision)) {
            recording.set(false);
            s.stopped();
        }
        return decision;
    }

    @Test
    void startsInsideTheWindowAndStopsAtItsEnd() {
        ShowScheduler s = scheduler();
        assertThat(tick(s)).isEqualTo("none");
        clock.set(at("2025-01-22T19:50:00"));
        assertThat(tick(s)).isEqualTo("start");
        assertThat(tick(s)).isEqualTo("none");
        clock.set(at("2025-01-22T22:10:00"));
        assertThat(tick(s)).isEqualTo("stop");
        assertThat(recording).isFalse();
    }

    @Test
    void aCrashMidShowIsRecoveredAndNothingHappensWhileObsIsAway() {
        ShowScheduler s = scheduler();
        clock.set(at("2025-01-22T20:30:00"));
        ready.set(false);
        assertThat(tick(s)).as("OBS not connected yet").isEqualTo("none");
        ready.set(true);
        assertThat(tick(s)).isEqualTo("start");
        recording.set(false); // OBS crashed
        assertThat(tick(s)).isEqualTo("start");
    }

    @Test
    void aResumedShowNotesTheGapInItsNewRecording() {
        ShowScheduler s = scheduler();
        clock.set(at("2025-01-22T19:50:00"));
        assertThat(tick(s)).isEqualTo("start");
        assertThat(gaps).as("a start on time is no gap").isEmpty();
        clock.set(at("2025-01-22T20:30:00"));
        assertThat(tick(s)).as("seen recording at 20:30").isEqualTo("none");
        recording.set(false); // then OBS crashed
        ready.set(false);
        assertThat(tick(s)).isEqualTo("none");
        clock.set(at("2025-01-22T20:31:30"));
        ready.set(true);
        assertThat(tick(s)).isEqualTo("start");
        assertThat(gaps).containsEntry("file-" + at("2025-01-22T20:31:30").getEpochSecond(), 90.0);
    }

    @Test
    void aRecordingFoundRunningInsideTheWindowIsTheShowsAndEndsWithIt() {
        ShowScheduler s = scheduler();
        clock.set(at("2025-01-22T20:30:00"));
        recording.set(true); // after an app restart, or started by hand
        assertThat(tick(s)).as("no second start").isEqualTo("none");
        clock.set(at("2025-01-22T22:10:01"));
        assertThat(tick(s)).isEqualTo("stop");
    }

    @Test
    void aManualStopInsideTheWindowHoldsUntilTheNextWindow() {
        ShowScheduler s = scheduler();
        clock.set(at("2025-01-22T20:00:00"));
        assertThat(tick(s)).isEqualTo("start");
        recording.set(false);
        s.stoppedManually();
        clock.set(at("2025-01-22T21:00:00"));
        assertThat(tick(s)).isEqualTo("none");
        clock.set(at("2025-01-23T19:50:00"));
        assertThat(tick(s)).as("next window").isEqualTo("start");
    }

    @Test
    void aManualRecordingOutsideWindowsIsNeverStopped() {
        ShowScheduler s = scheduler();
        clock.set(at("2025-01-21T15:00:00"));
        recording.set(true);
        assertThat(tick(s)).isEqualTo("none");
        clock.set(at("2025-01-21T23:00:00"));
        assertThat(tick(s)).isEqualTo("none");
        assertThat(recording).isTrue();
    }

    @Test
    void concurrentWakeUpsDoNotStartTwice() {
        ShowScheduler s = scheduler();
        clock.set(at("2025-01-22T20:00:00"));
        assertThat(s.decide()).isEqualTo("start");
        assertThat(s.decide()).as("the start is still in flight").isEqualTo("none");
        assertThat(s.failed(new IllegalStateException("OBS refused"))).isFalse();
        assertThat(s.decide()).as("not before the retry delay").isEqualTo("none");
        clock.set(at("2025-01-22T20:00:02"));
        assertThat(s.decide()).as("a failed start is tried again").isEqualTo("start");
    }

    @Test
    void aStartThatFailsEveryRetryIsReportedOnce() {
        ShowScheduler s = scheduler(); // 2 retries
        clock.set(at("2025-01-22T20:00:00"));
        List<Boolean> givenUp = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            assertThat(s.decide()).isEqualTo("start");
            givenUp.add(s.failed(new IllegalStateException("OBS refused")));
            clock.set(clock.instant().plusSeconds(2));
        }
        assertThat(givenUp).containsExactly(false, false, true, false, false);
    }

    @Test
    void nextSpeaksTheOriginalsLanguage() {
        ShowScheduler s = scheduler();
        clock.set(at("2025-01-22T18:00:00")); // Wednesday
        NextRecording next = s.next();
        assertThat(next.formattedMessage()).isEqualTo("Die Aufnahme startet automatisch heute um 19:50 Uhr");
        assertThat(next.dayDescription()).isEqualTo("heute");
        assertThat(next.weekday()).isEqualTo(2);
        assertThat(next.hoursUntil()).isEqualTo(1L);
        assertThat(next.minutesUntil()).isEqualTo(110L);
        assertThat(next.windows()).hasSize(10);
        clock.set(at("2025-01-19T23:00:00")); // Sunday night after the show
        assertThat(s.next().formattedMessage()).isEqualTo("Die Aufnahme startet automatisch am Mittwoch um 19:50 Uhr");
        clock.set(at("2025-01-21T23:00:00")); // Tuesday
        assertThat(s.next().dayDescription()).isEqualTo("morgen");
    }

    @Test
    void exceptionsAreValidatedPersistedAndInEffectAtOnce() throws Exception {
        ShowScheduler s = scheduler();
        clock.set(at("2025-01-22T20:00:00"));
        assertThatThrownBy(() -> s.setExceptions(new ScheduleExceptions(List.of(LocalDate.parse("2025-01-22"),
                LocalDate.parse("2025-01-22")), List.of()))).isInstanceOf(Refusal.class).hasMessageContaining("closed_dates");
        assertThat(dir.resolve("exceptions.json")).doesNotExist();
        s.setExceptions(new ScheduleExceptions(List.of(LocalDate.parse("2025-01-22")), List.of()));
        assertThat(tick(s)).as("closed tonight").isEqualTo("none");
        assertThat(Files.readString(dir.resolve("exceptions.json"))).contains("2025-01-22");
        assertThat(scheduler().exceptions().closedDates()).as("kept across restarts").containsExactly(LocalDate.parse("2025-01-22"));
    }

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void set(Instant t) {
            now = t;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return Clock.fixed(now, zone);
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
