package de.scheincam.clips;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import de.scheincam.ffmpeg.FfmpegBinaries;
import de.scheincam.ffmpeg.ProgramCall;
import de.scheincam.library.Recording;
import de.scheincam.library.RecordingLibrary;
import de.scheincam.remux.ClipCutter;
import de.scheincam.remux.Cut;
import de.scheincam.remux.DamagedSource;
import de.scheincam.remux.NotRecordedYet;
import de.scheincam.remux.RecordingIndex;
import de.scheincam.remux.UnsupportedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a job's clip is made, once it has its slot: in-process where the recording allows ({@code copy}:
 * a remux; {@code exact}: a remux when the clip starts on a keyframe, else a smart cut), by ffmpeg
 * otherwise ({@code reencode}, and the fallbacks for recordings the remuxer cannot read or splice).
 * Each plan reserves the room its clip will take above the disk's floor; an ffmpeg run is held to it by
 * {@code -fs}. A recording that cannot give the clip (damaged there, or ending before it) is refused
 * here, before ffmpeg would scan the damage until its deadline.
 */
public class ExportPlanner {

    private static final Logger LOG = LoggerFactory.getLogger(ExportPlanner.class);

    private final ExportJobs exports;
    private final RecordingLibrary library;
    private final FfmpegBinaries binaries;
    private final ClipCutter cutter;

    public ExportPlanner(ExportJobs exports, RecordingLibrary library, FfmpegBinaries binaries, ClipCutter cutter) {
        this.exports = exports;
        this.library = library;
        this.binaries = binaries;
        this.cutter = cutter;
    }

    /** Marks the queued job running and plans its clip. */
    public ExportPlan plan(ExportJob queued) throws IOException {
        ExportJob job = exports.start(queued.jobId());
        Recording recording = library.find(job.filename());
        Path source = library.fileOf(recording);
        if (job.mode() == ExportMode.REENCODE) {
            requireReadable(job, recording, source);
            return ffmpeg(job, ExportMethod.REENCODE, null);
        }
        Cut cut;
        try {
            RecordingIndex index = cutter.index(source, job.offset(), job.end());
            cut = job.mode() == ExportMode.EXACT ? cutter.exact(index, job.offset(), job.end()) : cutter.copy(index, job.offset(), job.end());
            cut.requirePictures();
        } catch (NotRecordedYet e) {
            throw exports.refusals().of(job, recording, source, e);
        } catch (UnsupportedSource e) {
            if (e instanceof DamagedSource && !recording.inProgress()) {
                // ffmpeg would only scan the damage (20 GB of zeros: until its deadline) and write nothing useful
                throw exports.refusals().of(job, recording, source, e);
            }
            return job.mode() == ExportMode.EXACT
                    ? reencode(job, "Re-encoded in full: the recording cannot be smart-cut (" + e.getMessage() + ").")
                    : ffmpeg(job, ExportMethod.FFMPEG_COPY, "Copied by ffmpeg: " + e.getMessage() + ".");
        }
        exports.reserve().reserve(job.jobId(), cut.bytes());
        if (!cut.needsHead()) {
            ExportJob remux = exports.cutBy(job.jobId(), ExportMethod.REMUX,
                    job.mode() == ExportMode.EXACT ? "The clip starts on a keyframe: nothing needed re-encoding." : null);
            return new ExportPlan.Remux(remux, cut);
        }
        try {
            List<String> args = cut.headArgs(exports.files().head(job.jobId()), cutter.firstFrame(source));
            ExportJob smart = exports.cutBy(job.jobId(), ExportMethod.SMART_CUT,
                    cut.headFrames() + " frames re-encoded up to the next keyframe, the rest copied.");
            return new ExportPlan.SmartCut(smart, cut, new ProgramCall(binaries.ffmpeg(), args, Math.max(120_000, cut.headFrames() * 1000L)));
        } catch (UnsupportedSource e) {
            return reencode(job, "Re-encoded in full: the recording cannot be smart-cut (" + e.getMessage() + ").");
        }
    }

    /** The whole stretch encoded by ffmpeg: what {@code exact} falls back to where the recording cannot be spliced. */
    ExportPlan.Ffmpeg reencode(ExportJob job, String why) {
        return ffmpeg(job, ExportMethod.REENCODE, why);
    }

    /**
     * Before a full re-encode, a damaged finished recording (or one ending before the stretch) is refused
     * at once; where the remuxer cannot read the recording at all, ffmpeg is simply tried.
     */
    private void requireReadable(ExportJob job, Recording recording, Path source) {
        try {
            cutter.copy(cutter.index(source, job.offset(), job.end()), job.offset(), job.end()).requirePictures();
        } catch (DamagedSource e) {
            if (!recording.inProgress()) {
                throw exports.refusals().of(job, recording, source, e);
            }
        } catch (NotRecordedYet e) {
            throw exports.refusals().of(job, recording, source, e);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Export {}: no damage check before the re-encode: {}", job.jobId(), e.toString());
        }
    }

    private ExportPlan.Ffmpeg ffmpeg(ExportJob planned, ExportMethod method, String note) {
        ExportJob job = exports.cutBy(planned.jobId(), method, note);
        Recording recording = library.find(job.filename());
        Path file = library.fileOf(recording);
        List<String> args = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-v", "error", "-y",
                "-progress", exports.files().progress(job.jobId()).toString()));
        long estimate; // bits per second of the clip, 0 when unknown
        if (method == ExportMethod.REENCODE) {
            // from the frame shown at the requested time, which only the recording's index knows
            ExportMode.Start start = null;
            long bits = 0;
            try {
                RecordingIndex index = cutter.index(file, job.offset(), job.end());
                start = ExportMode.Start.shownAt(index.video(), job.offset());
                bits = Cut.videoBitsPerSecond(index);
            } catch (IOException | RuntimeException e) {
                LOG.debug("Re-encode of {} without its index (from the requested time, bit rate from the size): {}",
                        recording.filename(), e.toString());
            }
            args.addAll(ExportMode.REENCODE.ffmpegArgs(file.toString(), start == null ? ExportMode.Start.requested(job.offset()) : start,
                    job.end(), bits > 0 ? bits : bitsPerSecondOfFile(recording)));
            estimate = (bits > 0 ? bits : bitsPerSecondOfFile(recording)) + 160_000;
        } else {
            args.addAll(ExportMode.COPY.ffmpegArgs(file.toString(), job.offset(), job.duration(), 0));
            estimate = bitsPerSecondOfFile(recording);
        }
        if (estimate > 0) {
            // ffmpeg writes nothing past its share of the room above the floor (its -fs), and the job then fails as RESERVE
            long limit = exports.reserve().reserve(job.jobId(), (long) (estimate / 8.0 * job.duration()) + (256L << 10));
            if (limit < Long.MAX_VALUE) {
                exports.reserve().limitTo(job.jobId(), limit);
                args.addAll(List.of("-fs", String.valueOf(limit)));
            }
        }
        args.add(exports.files().part(job.jobId()).toString());
        long timeout = Math.max(120_000, (long) (job.duration() * 1000 * 4));
        return new ExportPlan.Ffmpeg(job, method, new ProgramCall(binaries.ffmpeg(), args, timeout));
    }

    /** Where the remuxer cannot read the recording: the whole file's bytes per second (picture and sound, so rather more); 0 when unknown. */
    private static long bitsPerSecondOfFile(Recording recording) {
        Double seconds = recording.duration();
        return seconds != null && seconds > 0 ? Math.round(recording.size() * 8 / seconds) : 0;
    }
}
