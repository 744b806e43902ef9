package de.scheincam.clips;

import java.time.Instant;
import java.time.LocalDateTime;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import de.scheincam.core.Refusal;

/**
 * An export: which stretch of which recording, how it is asked to be cut ({@code mode}), how it was
 * actually cut ({@code method}: remux, smart-cut, ffmpeg-copy or reencode, with a {@code note} when a
 * fallback was needed), and where it stands ({@code refusedAs}: the kind of refusal a failed job answers
 * with when the recording cannot give the clip, rather than the export failing); once done, how many sound tracks the clip has (every one
 * of the recording's). Immutable; {@link ExportJobs} replaces it as the job moves on.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ExportJob(
        String jobId,
        String state,
        String mode,
        String filename,
        LocalDateTime startTime,
        LocalDateTime endTime,
        double offset,
        double duration,
        String downloadName,
        Double resultDuration,
        String error,
        Instant createdAt,
        Instant finishedAt,
        String method,
        String note,
        Integer audioTracks,
        Refusal.Kind refusedAs) {

    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String DONE = "done";
    public static final String FAILED = "failed";

    ExportJob withState(String newState) {
        return new ExportJob(jobId, newState, mode, filename, startTime, endTime, offset, duration, downloadName,
                resultDuration, error, createdAt, finishedAt, method, note, audioTracks, refusedAs);
    }

    ExportJob cutBy(String newMethod, String newNote) {
        return new ExportJob(jobId, state, mode, filename, startTime, endTime, offset, duration, downloadName,
                resultDuration, error, createdAt, finishedAt, newMethod, newNote, audioTracks, refusedAs);
    }

    /** Done: {@code probed} seconds and {@code sounds} sound tracks, as the finished clip was read. */
    ExportJob done(double probed, int sounds, Instant at) {
        return new ExportJob(jobId, DONE, mode, filename, startTime, endTime, offset, duration, downloadName,
                probed, null, createdAt, at, method, note, sounds, null);
    }

    ExportJob failed(String why, Instant at) {
        return failed(why, at, null);
    }

    /** Failed as refused ({@code refusedAs}) when the request cannot be met (the recording is damaged or ends earlier), null otherwise. */
    ExportJob failed(String why, Instant at, Refusal.Kind refusedAs) {
        return new ExportJob(jobId, FAILED, mode, filename, startTime, endTime, offset, duration, downloadName,
                null, why, createdAt, at, method, note, audioTracks, refusedAs);
    }

    public boolean finished() {
        return DONE.equals(state) || FAILED.equals(state);
    }
}
