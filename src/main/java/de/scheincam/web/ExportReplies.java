package de.scheincam.web;

import java.time.Duration;
import java.util.Locale;

import de.scheincam.clips.ExportJob;
import de.scheincam.clips.ExportJobs;
import de.scheincam.clips.ExportState;
import de.scheincam.clips.ExportStatus;

/**
 * The HTTP answer to {@code POST /api/videos/export} once the job is queued. The original API answered
 * with the finished file, and short clips still do: 200 after up to {@code waitMillis}; longer work
 * answers 202 with the job and its address in {@code Location}. A client sending
 * {@code Prefer: respond-async} (RFC 7240; the web UI does, to show progress) gets the 202 at once. A
 * job that failed is answered with its refusal (a damaged recording 422, no room on the disk 507, …;
 * {@link Problems#statusOf}).
 */
public class ExportReplies {

    private final ExportJobs exports;

    /** Status, body and {@code Location} for routes/clips.camel.yaml's export-video. */
    public record Reply(int status, ExportStatus body, String location) {
    }

    public ExportReplies(ExportJobs exports) {
        this.exports = exports;
    }

    public Reply reply(String jobId, long waitMillis, String prefer) {
        ExportJob job = exports.await(jobId, Duration.ofMillis(respondAsync(prefer) ? 0 : waitMillis));
        if (job.state() == ExportState.FAILED) {
            throw exports.refusal(job);
        }
        return new Reply(job.finished() ? 200 : 202, exports.statusOf(job), "/api/exports/" + jobId);
    }

    static boolean respondAsync(String prefer) {
        return prefer != null && prefer.toLowerCase(Locale.ROOT).contains("respond-async");
    }
}
