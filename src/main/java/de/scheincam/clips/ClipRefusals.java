package de.scheincam.clips;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;

import de.scheincam.core.Refusal;
import de.scheincam.ffmpeg.ProgramFailed;
import de.scheincam.library.Recording;
import de.scheincam.library.RecordingLibrary;
import de.scheincam.library.ShowClock;
import de.scheincam.remux.ClipCutter;
import de.scheincam.remux.DamagedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Why a recording cannot give a clip, as the client reads it. Exports are checked against the
 * recording's length when asked for; this is what only cutting finds out (a header that claims more
 * than the file holds, zeros where pictures should be).
 */
public class ClipRefusals {

    private static final Logger LOG = LoggerFactory.getLogger(ClipRefusals.class);
    /**
     * Refusals that, met while cutting, say the recording cannot give the clip as asked (the job fails
     * answering them); any other (busy, OBS, the disk) is the export failing.
     */
    private static final EnumSet<Refusal.Kind> CANNOT_GIVE_THE_CLIP = EnumSet.of(Refusal.Kind.NOT_FOUND,
            Refusal.Kind.CONFLICT, Refusal.Kind.INVALID, Refusal.Kind.MALFORMED, Refusal.Kind.DAMAGED, Refusal.Kind.TOO_MANY);

    private final RecordingLibrary library;
    private final ShowClock showClock;
    private final ClipCutter cutter;

    public ClipRefusals(RecordingLibrary library, ShowClock showClock, ClipCutter cutter) {
        this.library = library;
        this.showClock = showClock;
        this.cutter = cutter;
    }

    /**
     * Damaged for a finished recording that is damaged at the stretch or ends before it (saying what was
     * recorded), a conflict for one still being recorded that has not reached it yet.
     */
    Refusal of(ExportJob job, Recording recording, Path source, RuntimeException e) {
        String stretch = ShowClock.hms(job.startTime()) + "–" + ShowClock.hms(job.endTime());
        if (e instanceof DamagedSource) {
            return Refusal.damaged("Recording " + recording.filename() + " is damaged at " + stretch + " and cannot be cut there: "
                    + e.getMessage() + " (zeros or garbage where its pictures should be).");
        }
        String recorded = recordedSpan(recording, source);
        if (recording.inProgress()) {
            return Refusal.conflict("Recording " + recording.filename() + " is still being recorded and does not reach "
                    + stretch + " yet" + (recorded == null ? "" : " (it runs " + recorded + " so far)") + ".");
        }
        return Refusal.damaged("Recording " + recording.filename() + " ends before " + stretch + ": "
                + (recorded == null ? "the file holds less than its header says (" + e.getMessage() + ")."
                : "only " + recorded + " was recorded (the file is cut off; its header claims more)."));
    }

    /**
     * The refusal a failure means, or null for a real failure: a refusal thrown while cutting (see
     * {@link #of}), or ffmpeg unable to read the recording at the stretch (a smart cut's head decoding
     * zeros between keyframes: "Invalid data found when processing input", "Error splitting the input into
     * NAL units"; the recording is ffmpeg's only input). ffprobe failing on the written clip (its message
     * names the .part.mp4) stays a failure: that is ours.
     */
    Refusal meantBy(ExportJob job, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof Refusal r && CANNOT_GIVE_THE_CLIP.contains(r.kind())) {
                return r;
            }
            String m = t.getMessage();
            if (t instanceof ProgramFailed && m != null && !m.contains(ExportFiles.PART)
                    && (m.contains("Invalid data found when processing input") || m.contains("Error splitting the input into NAL units"))) {
                Recording recording = library.find(job.filename());
                return Refusal.damaged("Recording " + recording.filename() + " is damaged at " + ShowClock.hms(job.startTime())
                        + "–" + ShowClock.hms(job.endTime()) + " and cannot be cut there: ffmpeg cannot read it (Invalid data found).");
            }
        }
        return null;
    }

    /** "19:50:00–19:51:00": the stretch the file really holds, or null when it cannot be read. */
    private String recordedSpan(Recording recording, Path source) {
        try {
            double seconds = cutter.recordedSeconds(source);
            return showClock.span(recording, Duration.ofMillis((long) Math.floor(seconds * 1000)));
        } catch (IOException | RuntimeException e) {
            LOG.debug("Recorded length of {} not known: {}", recording.filename(), e.toString());
            return null;
        }
    }
}
