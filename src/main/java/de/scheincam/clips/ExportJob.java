package de.scheincam.clips;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import de.scheincam.core.Refusal;

/**
 * An export: which stretch of which recording, how it is asked to be cut ({@code mode}), how it was
 * actually cut ({@code method}, with a {@code note} when a fallback was needed), and where it stands
 * ({@code refusedAs}: the kind of refusal a failed job answers with when the recording cannot give the
 * clip or the disk has no room for it, rather than the export failing); once done, how many sound tracks
 * the clip has (every one of the recording's). Immutable; {@link ExportJobs} replaces it as the job moves
 * on, and keeps a done one as JSON beside its clip ({@code show} and {@code pieces} only for a show's clip, so a
 * recording's job reads and writes as before) (the API's answer is {@link ExportStatus}).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ExportJob(
        String jobId,
        ExportState state,
        ExportMode mode,
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
        ExportMethod method,
        String note,
        Integer audioTracks,
        Refusal.Kind refusedAs,
        @JsonInclude(JsonInclude.Include.NON_NULL) String show,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<Piece> pieces) {

    /**
     * One recording's stretch of a show's export ({@code from}, {@code to}: seconds of the file): a clip
     * across a gap joins them in order; null {@code pieces} for a recording's export. {@code gapBefore}:
     * the time before it that the clip leaves out, as the note names it ("20:14:05–20:16:40 was not
     * recorded (OBS lost)"), or null.
     */
    public record Piece(String filename, double from, double to, String gapBefore) {
    }

    /** True when the clip joins several recordings' stretches. */
    boolean joined() {
        return pieces != null && pieces.size() > 1;
    }

    /** What a show's clip leaves out, for its note ("…; left out."), or null. */
    String gapNote() {
        if (pieces == null || pieces.stream().allMatch(p -> p.gapBefore() == null)) {
            return null;
        }
        return String.join(" ", pieces.stream().filter(p -> p.gapBefore() != null).map(p -> p.gapBefore() + "; left out.").toList());
    }

    /** {@code note} after what the clip leaves out. */
    String withGaps(String note) {
        String gaps = gapNote();
        return gaps == null ? note : note == null ? gaps : gaps + " " + note;
    }

    ExportJob running() {
        return new ExportJob(jobId, ExportState.RUNNING, mode, filename, startTime, endTime, offset, duration, downloadName,
                resultDuration, error, createdAt, finishedAt, method, note, audioTracks, refusedAs, show, pieces);
    }

    ExportJob cutBy(ExportMethod newMethod, String newNote) {
        return new ExportJob(jobId, state, mode, filename, startTime, endTime, offset, duration, downloadName,
                resultDuration, error, createdAt, finishedAt, newMethod, newNote, audioTracks, refusedAs, show, pieces);
    }

    /** Done: {@code probed} seconds and {@code sounds} sound tracks, as the finished clip was read. */
    ExportJob done(double probed, int sounds, Instant at) {
        return new ExportJob(jobId, ExportState.DONE, mode, filename, startTime, endTime, offset, duration, downloadName,
                probed, null, createdAt, at, method, note, sounds, null, show, pieces);
    }

    /**
     * Failed; {@code refusedAs} the kind of refusal the request is answered with (the recording is damaged
     * or ends earlier, the disk has no room), or null when the export itself failed.
     */
    ExportJob failed(String why, Instant at, Refusal.Kind refusedAs) {
        return new ExportJob(jobId, ExportState.FAILED, mode, filename, startTime, endTime, offset, duration, downloadName,
                null, why, createdAt, at, method, note, audioTracks, refusedAs, show, pieces);
    }

    /** Seconds of the recording where the clip ends. */
    double end() {
        return offset + duration;
    }

    public boolean finished() {
        return state.finished();
    }
}
