package de.scheincam.library;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.OptionalDouble;

/**
 * How many hours of recording the disk still holds at the rate OBS writes: its free bytes (OBS records
 * until the disk is full; the exports' floor does not stop it) over the bytes per hour of the recording in
 * progress, or, between shows, of the newest finished one. Unknown (empty) until a recording of at least a minute
 * shows the rate: a guess from the settings would be wrong for every venue whose OBS differs from it.
 */
public final class RecordingHours {

    /** Shorter stretches say more about the container's header than about the bitrate. */
    private static final Duration LONG_ENOUGH = Duration.ofMinutes(1);

    private final RecordingLibrary library;
    private final DiskSpace disk;
    private final Clock clock;
    private final ZoneId zone;

    public RecordingHours(RecordingLibrary library, DiskSpace disk, Clock clock, ZoneId zone) {
        this.library = library;
        this.disk = disk;
        this.clock = clock;
        this.zone = zone;
    }

    public OptionalDouble hoursLeft() {
        return hoursLeft(disk.freeBytes(), bytesPerHour(library.list(), LocalDateTime.now(clock.withZone(zone))));
    }

    static OptionalDouble hoursLeft(long freeBytes, OptionalDouble bytesPerHour) {
        if (bytesPerHour.isEmpty() || bytesPerHour.getAsDouble() <= 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(Math.max(0, freeBytes) / bytesPerHour.getAsDouble());
    }

    /** The rate of the newest recording long enough to tell it; the one in progress counts up to now. */
    static OptionalDouble bytesPerHour(List<Recording> newestFirst, LocalDateTime now) {
        for (Recording r : newestFirst) {
            double seconds;
            if (r.inProgress()) {
                seconds = r.startTime() == null ? 0 : Duration.between(r.startTime(), now).toMillis() / 1000.0;
            } else {
                seconds = r.duration() == null ? 0 : r.duration();
            }
            if (seconds >= LONG_ENOUGH.toSeconds() && r.size() > 0) {
                return OptionalDouble.of(r.size() / seconds * 3600);
            }
        }
        return OptionalDouble.empty();
    }
}
