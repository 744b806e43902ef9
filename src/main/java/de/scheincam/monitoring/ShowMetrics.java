package de.scheincam.monitoring;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import de.scheincam.archive.RecordingArchive;
import de.scheincam.clips.ExportAdmission;
import de.scheincam.clips.ExportState;
import de.scheincam.library.DiskSpace;
import de.scheincam.library.Recording;
import de.scheincam.library.RecordingHours;
import de.scheincam.library.RecordingLibrary;
import de.scheincam.obs.Recorder;
import de.scheincam.watchdog.Verdict;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * ScheinCam's own Prometheus gauges, read at each scrape from the beans that know the answer:
 * OBS connected and recording, whether the schedule wants a recording now, seconds recorded tonight, the
 * watchdog's verdict, exports waiting and running, free disk and the hours of recording it holds, the
 * library's size, and with an archive its backlog and failures. (Export durations are a timer in
 * routes/clips.camel.yaml.) The alert rules in deploy/prometheus/ are written against these names.
 */
public class ShowMetrics implements MeterBinder {

    /** A show night runs from noon to noon, so a show crossing midnight stays "tonight". */
    private static final LocalTime NIGHT_STARTS = LocalTime.NOON;

    private final Recorder recorder;
    private final Supplier<Verdict> watchdogVerdict;
    private final RecordingLibrary library;
    private final ExportAdmission exports;
    private final DiskSpace disk;
    private final RecordingHours hours;
    private final BooleanSupplier recordingDue;
    private final Optional<RecordingArchive> archive;
    private final Clock clock;
    private final ZoneId zone;

    public ShowMetrics(Recorder recorder, Supplier<Verdict> watchdogVerdict, BooleanSupplier recordingDue, RecordingLibrary library,
                       ExportAdmission exports, DiskSpace disk, RecordingHours hours, Optional<RecordingArchive> archive,
                       Clock clock, ZoneId zone) {
        this.recorder = recorder;
        this.watchdogVerdict = watchdogVerdict;
        this.recordingDue = recordingDue;
        this.library = library;
        this.exports = exports;
        this.disk = disk;
        this.hours = hours;
        this.archive = archive;
        this.clock = clock;
        this.zone = zone;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("scheincam.obs.connected", this, m -> recorder.state().connected() ? 1 : 0)
                .description("1 while the websocket session to OBS is up").register(registry);
        Gauge.builder("scheincam.recording", this, m -> recorder.isRecording() ? 1 : 0)
                .description("1 while OBS records").register(registry);
        Gauge.builder("scheincam.schedule.recording.due", this, m -> recordingDue.getAsBoolean() ? 1 : 0)
                .description("1 while the schedule wants OBS recording (a window open, not stopped by hand)").register(registry);
        Gauge.builder("scheincam.recorded.tonight", this, ShowMetrics::secondsRecordedTonight).baseUnit("seconds")
                .description("Seconds recorded since noon (venue time), the recording in progress included").register(registry);
        // each of the watchdog's verdicts is a gauge that is 1 while it holds
        for (Verdict.State state : Verdict.State.values()) {
            Gauge.builder("scheincam.watchdog.state", this, m -> watchdogVerdict.get().state() == state ? 1 : 0)
                    .tag("state", state.text())
                    .description("1 for the watchdog's current verdict on the show").register(registry);
        }
        for (ExportState state : List.of(ExportState.QUEUED, ExportState.RUNNING)) {
            Gauge.builder("scheincam.exports", this, m -> exports.unfinishedByState().getOrDefault(state, 0)).tag("state", state.id())
                    .description("Exports waiting for an ffmpeg slot (queued) and being cut (running)").register(registry);
        }
        Gauge.builder("scheincam.disk.free", this, m -> disk.freeBytes()).baseUnit("bytes")
                .description("Free space on the disk holding the recordings").register(registry);
        Gauge.builder("scheincam.disk.min.free", this, m -> disk.minFreeBytes()).baseUnit("bytes")
                .description("Free space below which exports are refused").register(registry);
        // no base unit: Micrometer would name it scheincam_recording_hours_left_hours
        Gauge.builder("scheincam.recording.hours.left", this, m -> hours.hoursLeft().orElse(Double.NaN))
                .description("Hours of recording the free disk holds at the current bitrate (NaN until a recording shows it)")
                .register(registry);
        Gauge.builder("scheincam.recordings", this, m -> library.list().size())
                .description("Recordings in the library").register(registry);
        Gauge.builder("scheincam.recordings.size", this, m -> library.list().stream().mapToLong(Recording::size).sum())
                .baseUnit("bytes").description("Bytes of all recordings in the library").register(registry);
        archive.ifPresent(a -> {
            Gauge.builder("scheincam.archive.backlog", a, x -> x.due().size())
                    .description("Finished recordings not yet archived").register(registry);
            Gauge.builder("scheincam.archive.failures", a, RecordingArchive::failuresInARow)
                    .description("Archive uploads that failed in a row (0 after one succeeds)").register(registry);
        });
    }

    double secondsRecordedTonight() {
        LocalDateTime now = LocalDateTime.now(clock.withZone(zone));
        LocalDateTime nightStart = now.toLocalTime().isBefore(NIGHT_STARTS)
                ? now.toLocalDate().minusDays(1).atTime(NIGHT_STARTS) : now.toLocalDate().atTime(NIGHT_STARTS);
        double seconds = 0;
        for (Recording r : library.list()) {
            if (r.startTime() == null || r.startTime().isBefore(nightStart)) {
                continue;
            }
            if (r.inProgress()) {
                seconds += Math.max(0, Duration.between(r.startTime(), now).toMillis() / 1000.0);
            } else if (r.duration() != null) {
                // a finished file counts once ffprobe has read its length
                seconds += r.duration();
            }
        }
        return seconds;
    }

}
