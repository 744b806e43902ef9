package de.scheincam.clips;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of exports in {@code videos/exports}: a finished clip {@code <id>.mp4} with its job's JSON
 * beside it; while it is cut, names that a run killed half-way leaves for the next start to remove
 * (a {@code .part.mp4}, ffmpeg's {@code .progress}, a {@code .tmp}).
 */
final class ExportFiles {

    private static final Logger LOG = LoggerFactory.getLogger(ExportFiles.class);
    static final String PART = ".part.mp4";
    private static final String PROGRESS = ".progress";

    private final Path dir;

    ExportFiles(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    Path clip(String jobId) {
        return dir.resolve(jobId + ".mp4");
    }

    Path json(String jobId) {
        return dir.resolve(jobId + ".json");
    }

    Path jsonTmp(String jobId) {
        return dir.resolve(jobId + ".json.tmp");
    }

    /** The clip while it is written: it appears under its own name only once verified. */
    Path part(String jobId) {
        return dir.resolve(jobId + PART);
    }

    /** A smart cut's re-encoded head; ends in .part.mp4 so an interrupted one is cleaned at start. */
    Path head(String jobId) {
        return dir.resolve(jobId + ".head" + PART);
    }

    /** Where ffmpeg writes its -progress (out_time_us), which the job's progress is read from. */
    Path progress(String jobId) {
        return dir.resolve(jobId + PROGRESS);
    }

    /** Left by a run that was killed while cutting. */
    static boolean interrupted(String name) {
        return name.endsWith(PART) || name.endsWith(PROGRESS) || name.endsWith(".tmp");
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Cannot delete {}: {}", file, e.getMessage());
        }
    }
}
