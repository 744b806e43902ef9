package de.scheincam.clips;

import java.time.LocalDateTime;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An export job as the API answers it (schema ExportStatus in openapi.yaml, also pushed to the web UI
 * over /events): the fields of the original API ({@code success}, {@code filepath},
 * {@code download_url}) and the job's ({@code show} only for a show's clip, whose {@code filename} is its first recording). What only a done or a failed job has is left out otherwise;
 * {@code start_time} and {@code end_time} are always there.
 */
@JsonPropertyOrder({"success", "job_id", "state", "progress", "mode", "method", "note", "filename", "show", "start_time", "end_time",
        "duration", "status_url", "filepath", "download_url", "download_name", "result_duration", "audio_tracks", "error"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExportStatus(
        boolean success,
        @JsonProperty("job_id") String jobId,
        ExportState state,
        double progress,
        ExportMode mode,
        ExportMethod method,
        String note,
        String filename,
        String show,
        @JsonProperty("start_time") @JsonInclude(JsonInclude.Include.ALWAYS) LocalDateTime startTime,
        @JsonProperty("end_time") @JsonInclude(JsonInclude.Include.ALWAYS) LocalDateTime endTime,
        double duration,
        @JsonProperty("status_url") String statusUrl,
        String filepath,
        @JsonProperty("download_url") String downloadUrl,
        @JsonProperty("download_name") String downloadName,
        @JsonProperty("result_duration") Double resultDuration,
        @JsonProperty("audio_tracks") Integer audioTracks,
        String error) {

    /** The job's answer; {@code progress}: the share done (see {@link ExportJobs#status}). */
    static ExportStatus of(ExportJob job, double progress) {
        boolean done = job.state() == ExportState.DONE;
        String url = "/api/exports/" + job.jobId();
        return new ExportStatus(job.state() != ExportState.FAILED, job.jobId(), job.state(), progress, job.mode(), job.method(),
                job.note(), job.filename(), job.show(), job.startTime(), job.endTime(), job.duration(), url,
                done ? "exports/" + job.jobId() + ".mp4" : null, done ? url + "/download" : null,
                done ? job.downloadName() : null, done ? job.resultDuration() : null, done ? job.audioTracks() : null, job.error());
    }
}
