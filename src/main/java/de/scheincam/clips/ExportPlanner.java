package de.scheincam.clips;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import de.scheincam.core.Refusal;
import de.scheincam.ffmpeg.FfmpegBinaries;
import de.scheincam.ffmpeg.ProgramCall;
import de.scheincam.library.Recording;
import de.scheincam.library.RecordingLibrary;
import de.scheincam.remux.ClipCutter;
import de.scheincam.remux.Cut;
import de.scheincam.remux.DamagedSource;
import de.scheincam.remux.Join;
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
        if (job.joined()) {
            return planJoined(job);
        }
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

    /**
     * A show's clip across recordings: one stream copy in-process where the parts share their codec
     * parameters (a frame-exact clip's first part a smart cut), else ffmpeg encodes the parts into one.
     */
    private ExportPlan planJoined(ExportJob job) throws IOException {
        int n = job.pieces().size();
        if (job.mode() == ExportMode.REENCODE) {
            return reencodeJoined(job, null);
        }
        List<ClipCutter.Piece> pieces = new ArrayList<>();
        for (ExportJob.Piece p : job.pieces()) {
            pieces.add(new ClipCutter.Piece(library.fileOf(library.find(p.filename())), p.from(), p.to()));
        }
        Join join;
        try {
            join = cutter.join(pieces, job.mode() == ExportMode.EXACT);
            join.requirePictures();
        } catch (NotRecordedYet | DamagedSource e) {
            Recording recording = library.find(job.filename());
            throw exports.refusals().of(job, recording, library.fileOf(recording), e);
        } catch (UnsupportedSource e) {
            return reencodeJoined(job, "The " + n + " recordings re-encoded into one: they cannot be one stream copy ("
                    + e.getMessage() + ").");
        } catch (IllegalArgumentException e) {
            // pieces that overlap or run backwards: ShowTimes makes none, a job from elsewhere might
            throw Refusal.invalid("The show's recordings cannot be joined: " + e.getMessage() + ".");
        }
        exports.reserve().reserve(job.jobId(), join.bytes());
        if (!join.needsHead()) {
            return new ExportPlan.Joined(exports.cutBy(job.jobId(), ExportMethod.REMUX,
                    "The " + n + " recordings copied as one stream (same codec parameters)."), join, null);
        }
        Cut first = join.first();
        try {
            List<String> args = first.headArgs(exports.files().head(job.jobId()), cutter.firstFrame(pieces.get(0).file()));
            ExportJob smart = exports.cutBy(job.jobId(), ExportMethod.SMART_CUT, first.headFrames()
                    + " frames re-encoded up to the next keyframe, the rest of the " + n + " recordings copied as one stream.");
            return new ExportPlan.Joined(smart, join, new ProgramCall(binaries.ffmpeg(), args, Math.max(120_000, first.headFrames() * 1000L)));
        } catch (UnsupportedSource e) {
            return reencodeJoined(job, "The " + n + " recordings re-encoded into one: the first cannot be smart-cut (" + e.getMessage() + ").");
        }
    }

    /**
     * ffmpeg encodes every part's stretch (exact: its input seek decodes from the keyframe before) and
     * joins them with its concat filter, each picture scaled into the first one's size and rate, the first
     * sound track of each resampled to one format; held to its -fs share of the disk like any encode.
     */
    ExportPlan.Ffmpeg reencodeJoined(ExportJob planned, String why) {
        ExportJob job = exports.cutBy(planned.jobId(), ExportMethod.REENCODE, why);
        List<ExportJob.Piece> pieces = job.pieces();
        Recording first = library.find(pieces.get(0).filename());
        int width = first.width() != null ? first.width() : 1280;
        int height = first.height() != null ? first.height() : 720;
        String fps = first.fps() != null && first.fps() > 0 ? String.format(java.util.Locale.ROOT, "%.3f", first.fps()) : "30";
        boolean sound = true;
        long bits = 0;
        List<String> args = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-v", "error", "-y",
                "-progress", exports.files().progress(job.jobId()).toString()));
        for (ExportJob.Piece p : pieces) {
            Path file = library.fileOf(library.find(p.filename()));
            try {
                RecordingIndex index = cutter.index(file, p.from(), p.to());
                sound &= index.audio() != null;
                bits = Math.max(bits, Cut.videoBitsPerSecond(index));
            } catch (IOException | RuntimeException e) {
                LOG.debug("Joined re-encode: {} without its index ({})", p.filename(), e.toString());
            }
            // input options: each part's own stretch
            args.addAll(List.of("-ss", FrameGrabber.seconds(java.time.Duration.ofMillis(Math.round(p.from() * 1000))),
                    "-t", FrameGrabber.seconds(java.time.Duration.ofMillis(Math.round((p.to() - p.from()) * 1000))), "-i", file.toString()));
        }
        StringBuilder graph = new StringBuilder();
        StringBuilder inputs = new StringBuilder();
        for (int i = 0; i < pieces.size(); i++) {
            graph.append(String.format(java.util.Locale.ROOT,
                    "[%d:v:0]scale=%d:%d:force_original_aspect_ratio=decrease,pad=%d:%d:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=%s,format=yuv420p[v%d];",
                    i, width, height, width, height, fps, i));
            inputs.append("[v").append(i).append(']');
            if (sound) {
                graph.append(String.format(java.util.Locale.ROOT,
                        "[%d:a:0]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo[a%d];", i, i));
                inputs.append("[a").append(i).append(']');
            }
        }
        graph.append(inputs).append("concat=n=").append(pieces.size()).append(":v=1:a=").append(sound ? 1 : 0).append("[v]")
                .append(sound ? "[a]" : "");
        args.addAll(List.of("-filter_complex", graph.toString(), "-map", "[v]"));
        if (sound) {
            args.addAll(List.of("-map", "[a]", "-c:a", "aac", "-b:a", "160k"));
        }
        args.addAll(List.of("-c:v", "libx264", "-preset", "veryfast"));
        if (bits > 0) {
            long k = Math.max(100, bits / 1000);
            args.addAll(List.of("-b:v", k + "k", "-maxrate", k + "k", "-bufsize", 2 * k + "k"));
        } else {
            args.addAll(List.of("-crf", "18"));
        }
        args.addAll(List.of("-pix_fmt", "yuv420p", "-movflags", "+negative_cts_offsets",
                "-moov_size", String.valueOf(ExportMode.moovReserve(job.duration())), "-f", "mp4"));
        long estimate = (bits > 0 ? bits : 8_000_000) + 160_000;
        long limit = exports.reserve().reserve(job.jobId(), (long) (estimate / 8.0 * job.duration()) + (256L << 10));
        if (limit < Long.MAX_VALUE) {
            exports.reserve().limitTo(job.jobId(), limit);
            args.addAll(List.of("-fs", String.valueOf(limit)));
        }
        args.add(exports.files().part(job.jobId()).toString());
        long timeout = Math.max(120_000, (long) (job.duration() * 1000 * 4));
        return new ExportPlan.Ffmpeg(job, ExportMethod.REENCODE, new ProgramCall(binaries.ffmpeg(), args, timeout));
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
