package de.scheincam.clips;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import de.scheincam.ffmpeg.InProcessProbe;
import de.scheincam.ffmpeg.MediaInfo;
import de.scheincam.library.Recording;
import de.scheincam.library.RecordingLibrary;
import de.scheincam.remux.Cut;
import de.scheincam.remux.NotRecordedYet;
import de.scheincam.remux.UnsupportedSource;

/**
 * Writes a planned clip into its {@code .part.mp4}: a remux or a smart cut in-process (the smart cut's
 * head, which ffmpeg has encoded, spliced before the copied rest); what ffmpeg wrote is already there.
 * While the media bytes are copied, libavformat reads the clip's index as ffprobe would
 * ({@link ExportVerifier} takes its answer).
 */
public class ExportWriter {

    private final ExportJobs exports;
    private final ExportPlanner planner;
    private final RecordingLibrary library;
    private final InProcessProbe probe;
    private final ExecutorService checker = new ThreadPoolExecutor(0, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
        Thread t = new Thread(r, "export-check");
        t.setDaemon(true);
        return t;
    });

    /**
     * A clip in its {@code .part.mp4}: {@code check} is libavformat reading one written in-process (null for
     * ffmpeg's, or when the index was never written). {@code redo}: instead, the full re-encode to run when
     * a smart cut's head did not match the recording (the parts would not play as one stream).
     */
    public record Written(ExportPlan plan, Future<MediaInfo> check, ExportPlan.Ffmpeg redo) {

        /** ffmpeg wrote the clip: the ffprobe program checks it. */
        public boolean byFfmpeg() {
            return plan instanceof ExportPlan.Ffmpeg;
        }
    }

    public ExportWriter(ExportJobs exports, ExportPlanner planner, RecordingLibrary library, InProcessProbe probe) {
        this.exports = exports;
        this.planner = planner;
        this.library = library;
        this.probe = probe;
    }

    public Written write(ExportPlan plan) throws IOException {
        if (plan instanceof ExportPlan.Ffmpeg) {
            return new Written(plan, null, null); // its program wrote the clip
        }
        ExportJob job = plan.job();
        Path part = exports.files().part(job.jobId());
        Path head = exports.files().head(job.jobId());
        AtomicReference<Future<MediaInfo>> check = new AtomicReference<>();
        try {
            if (plan instanceof ExportPlan.Joined joined) {
                String how = joined.join().write(part, joined.head() == null ? null : head,
                        p -> check.set(checker.submit(() -> probe.probe(p))));
                if (how != null) {
                    exports.cutBy(job.jobId(), ExportMethod.SMART_CUT, joined.join().first().headFrames()
                            + " frames re-encoded up to the next keyframe, " + how + "; the rest of the "
                            + joined.join().parts() + " recordings copied as one stream.");
                }
            } else if (plan instanceof ExportPlan.SmartCut smart) {
                Cut cut = smart.cut();
                String how = cut.write(part, head, p -> check.set(checker.submit(() -> probe.probe(p))));
                exports.cutBy(job.jobId(), ExportMethod.SMART_CUT, cut.headFrames() + " frames re-encoded up to the next keyframe, "
                        + how + "; the rest copied.");
            } else {
                ((ExportPlan.Remux) plan).cut().write(part, p -> check.set(checker.submit(() -> probe.probe(p))));
            }
            return new Written(plan, check.get(), null);
        } catch (UnsupportedSource e) {
            cancel(check.get());
            Files.deleteIfExists(part);
            if (plan instanceof ExportPlan.Joined) {
                return new Written(plan, null, planner.reencodeJoined(job, "The recordings re-encoded into one: they cannot be one stream copy ("
                        + e.getMessage() + ")."));
            }
            return new Written(plan, null, planner.reencode(job, "Re-encoded in full: the recording cannot be smart-cut ("
                    + e.getMessage() + ")."));
        } catch (NotRecordedYet e) {
            cancel(check.get());
            Recording recording = library.find(job.filename());
            throw exports.refusals().of(job, recording, library.fileOf(recording), e);
        } catch (IOException | RuntimeException e) {
            cancel(check.get());
            throw e;
        } finally {
            Files.deleteIfExists(head);
        }
    }

    private static void cancel(Future<MediaInfo> check) {
        if (check != null) {
            check.cancel(false);
        }
    }
}
