package de.scheincam.clips;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import de.scheincam.library.DiskSpace;

/**
 * Keeps the floor ({@code scheincam.export.min-free-mb}) while clips are written, not only when they
 * are admitted: tonight's recording shares the disk. Each running job reserves what it will write; what
 * is free above the floor, less what the other running jobs hold, must cover it. An ffmpeg run is held
 * to its share by {@code -fs} (its {@link #limitTo limit}).
 */
public class DiskReserve {

    private final DiskSpace disk;
    private final Map<String, Long> reserved = new ConcurrentHashMap<>();
    private final Map<String, Long> fileLimits = new ConcurrentHashMap<>();

    public DiskReserve(DiskSpace disk) {
        this.disk = disk;
    }

    /** The disk guarded, or null. */
    DiskSpace disk() {
        return disk;
    }

    /**
     * Reserves {@code bytes} for the job (replacing its earlier reservation; half again as much where there
     * is room, as an encode's size is an estimate) and returns the most it may write without taking the
     * disk below the floor while the others keep to theirs: the room left for it (a busy stretch of a
     * recording may need more than its average bit rate says), or Long.MAX_VALUE when no floor is kept.
     * Throws ReserveReached when that room is less than {@code bytes}.
     */
    synchronized long reserve(String jobId, long bytes) {
        if (disk == null || disk.minFreeBytes() <= 0) {
            return Long.MAX_VALUE;
        }
        long others = 0;
        for (Map.Entry<String, Long> r : reserved.entrySet()) {
            if (!r.getKey().equals(jobId)) {
                others += r.getValue();
            }
        }
        long room = disk.freeBytes() - disk.minFreeBytes() - others;
        if (bytes > room) {
            reserved.remove(jobId);
            throw new ReserveReached(String.format(Locale.ROOT, "export %s needs about %s, %s are left above the floor",
                    jobId, DiskSpace.megabytes(bytes), DiskSpace.megabytes(Math.max(0, room))));
        }
        reserved.put(jobId, Math.min(room, bytes + bytes / 2));
        return room;
    }

    /** The -fs limit the job's ffmpeg run got. */
    void limitTo(String jobId, long bytes) {
        fileLimits.put(jobId, bytes);
    }

    /** ffmpeg stopped writing {@code part} at its -fs limit: the clip needed more room than was left above the floor. */
    boolean stoppedAtItsLimit(String jobId, Path part) {
        Long limit = fileLimits.get(jobId);
        try {
            return limit != null && Files.exists(part) && Files.size(part) >= limit - (256L << 10);
        } catch (IOException e) {
            return false;
        }
    }

    /** The job is finished: what it held is free for the others. */
    void release(String jobId) {
        reserved.remove(jobId);
        fileLimits.remove(jobId);
    }

    /** A clip that would take the disk below its floor. */
    static final class ReserveReached extends IllegalStateException {
        ReserveReached(String message) {
            super(message);
        }
    }
}
