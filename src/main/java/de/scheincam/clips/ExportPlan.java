package de.scheincam.clips;

import de.scheincam.ffmpeg.ProgramCall;
import de.scheincam.remux.Cut;
import de.scheincam.remux.Join;

/**
 * How one export's clip is made, decided by {@link ExportPlanner} once the job has its slot; the body of
 * routes/clips.camel.yaml's export-run from there on. {@link #program()} is what direct:run-program must
 * run before {@link ExportWriter} has the clip, or null.
 */
public sealed interface ExportPlan permits ExportPlan.Remux, ExportPlan.SmartCut, ExportPlan.Joined, ExportPlan.Ffmpeg {

    ExportJob job();

    ProgramCall program();

    /** Stream copy in-process: no program. */
    record Remux(ExportJob job, Cut cut) implements ExportPlan {
        @Override
        public ProgramCall program() {
            return null;
        }
    }

    /** ffmpeg re-encodes the frames up to the next keyframe ({@code head}); the rest is copied in-process. */
    record SmartCut(ExportJob job, Cut cut, ProgramCall head) implements ExportPlan {
        @Override
        public ProgramCall program() {
            return head;
        }
    }

    /**
     * A show's clip across recordings, stream-copied in-process as one ({@link Join}); {@code head}: for a
     * frame-exact clip starting between keyframes, ffmpeg re-encodes the first part's frames up to its next
     * keyframe first (null otherwise).
     */
    record Joined(ExportJob job, Join join, ProgramCall head) implements ExportPlan {
        @Override
        public ProgramCall program() {
            return head;
        }
    }

    /** ffmpeg writes the whole clip ({@code method}: a stream copy, or an encode), held to its -fs share of the disk. */
    record Ffmpeg(ExportJob job, ExportMethod method, ProgramCall ffmpeg) implements ExportPlan {
        @Override
        public ProgramCall program() {
            return ffmpeg;
        }
    }
}
