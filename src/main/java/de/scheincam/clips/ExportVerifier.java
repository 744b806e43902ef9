package de.scheincam.clips;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import de.scheincam.ffmpeg.FfmpegBinaries;
import de.scheincam.ffmpeg.InProcessProbe;
import de.scheincam.ffmpeg.MediaInfo;
import de.scheincam.ffmpeg.ProgramCall;

/**
 * Whether a written clip is whole: an exit code of 0 alone does not prove it. What ffmpeg wrote is read
 * by the ffprobe program; what ScheinCam wrote itself by ffprobe's library, in-process (begun when its
 * index was written; the writer itself has made sure every byte the index points to is there). The clip
 * must have a picture and last as long as asked.
 */
public class ExportVerifier {

    /** A clip's true length may differ from the request by up to a frame or two at each end. */
    private static final double DURATION_TOLERANCE = 0.5;

    private final ExportJobs exports;
    private final FfmpegBinaries binaries;
    private final InProcessProbe probe;

    /** A clip that passed: what it holds. */
    public record Verified(ExportJob job, MediaInfo info) {
    }

    public ExportVerifier(ExportJobs exports, FfmpegBinaries binaries, InProcessProbe probe) {
        this.exports = exports;
        this.binaries = binaries;
        this.probe = probe;
    }

    /** The ffprobe run for a clip ffmpeg wrote (its JSON goes to {@code probes.parse}). */
    public ProgramCall ffprobe(ExportWriter.Written clip) {
        return new ProgramCall(binaries.ffprobe(), List.of("-v", "error", "-print_format", "json",
                "-show_format", "-show_streams", exports.files().part(clip.plan().job().jobId()).toString()), 60_000);
    }

    /** What libavformat read of a clip written in-process. */
    public MediaInfo probed(ExportWriter.Written clip) throws InterruptedException {
        Future<MediaInfo> check = clip.check();
        if (check == null) {
            return probe.probe(exports.files().part(clip.plan().job().jobId()));
        }
        try {
            return check.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    public Verified verify(ExportWriter.Written clip, MediaInfo info) {
        ExportJob job = clip.plan().job();
        if (info.duration() == null || !info.hasVideo() || Math.abs(info.duration() - job.duration()) > DURATION_TOLERANCE) {
            throw new IllegalStateException("export " + job.jobId() + " produced " + info.duration() + " s with streams "
                    + info.codecs() + ", expected " + job.duration() + " s of video");
        }
        return new Verified(job, info);
    }
}
