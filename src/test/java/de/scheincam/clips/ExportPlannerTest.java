package de.scheincam.clips;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.OptionalDouble;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import de.scheincam.core.Refusal;
import de.scheincam.ffmpeg.MediaInfo;
import de.scheincam.library.DiskSpace;
import de.scheincam.library.MetadataStore;
import de.scheincam.library.RecordingLibrary;
import de.scheincam.library.ShowClock;
import de.scheincam.remux.ClipCutter;
import de.scheincam.testing.Media;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which plan a request gets for which recording: remux, smart cut or ffmpeg, with the method and note
 * the job then shows, and the room each reserves above the disk's floor. Nothing is cut here: the plan
 * is what the route would carry out.
 */
class ExportPlannerTest {

    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    private static final String NAME = "25-01-24_19-50-00";

    @TempDir
    Path videos;

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private ExportJobs exports;
    private ExportPlanner planner;
    private StretchCheck stretches;

    /** The library holding {@code media} as tonight's recording (10 s, keyframes 2 s apart), exports kept above {@code minFreeMb}. */
    private void library(Path media, long minFreeMb) throws IOException {
        String ext = media.toString().substring(media.toString().lastIndexOf('.'));
        Path file = videos.resolve(NAME + ext);
        Files.copy(media, file);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(3600)));
        RecordingLibrary library = new RecordingLibrary(videos, ZONE, Duration.ofSeconds(5), Clock.systemUTC(), new MetadataStore(videos, json));
        library.readFilesWith(f -> OptionalDouble.empty(), path -> { }, Duration.ofSeconds(1));
        assertThat(library.dueForProbe()).containsExactly(file.toString()); // settled: an hour old
        library.applyProbe(file.toString(), new MediaInfo(10.0, 320, 180, 30.0, List.of("video:h264", "audio:aac")));
        ClipCutter cutter = new ClipCutter(32);
        ShowClock showClock = new ShowClock(ZONE, Clock.systemUTC());
        exports = new ExportJobs(videos.resolve("exports"), new DiskReserve(new DiskSpace(videos, minFreeMb)),
                new ClipRefusals(library, showClock, cutter), "Scheinbar", Clock.systemUTC(), json);
        planner = new ExportPlanner(exports, library, Media.FFMPEG, cutter);
        stretches = new StretchCheck(library, showClock, cutter, Duration.ofMinutes(30),
                new ShowTimes(ShowParts.NONE, library, showClock));
    }

    private ExportJob queued(String mode, String from, String to) {
        return exports.queue(stretches.check(new ClipRequest(NAME, from, to, mode)));
    }

    private ExportPlan plan(String mode, String from, String to) throws IOException {
        return planner.plan(queued(mode, from, to));
    }

    private ExportJob jobOf(ExportPlan plan) {
        return exports.find(plan.job().jobId()).orElseThrow();
    }

    @Test
    void copyIsARemuxInProcessWithoutAProgram() throws IOException {
        library(Media.cached("planner.mkv", 10), 0);
        ExportPlan plan = plan("copy", "19:50:00.500", "19:50:03");
        assertThat(plan).isInstanceOf(ExportPlan.Remux.class);
        assertThat(plan.program()).isNull();
        assertThat(jobOf(plan).state()).isEqualTo(ExportState.RUNNING);
        assertThat(jobOf(plan).method()).isEqualTo(ExportMethod.REMUX);
        assertThat(jobOf(plan).note()).isNull();
    }

    @Test
    void exactFromAKeyframeIsARemuxThatSaysNothingNeededReencoding() throws IOException {
        library(Media.cached("planner.mkv", 10), 0);
        ExportPlan plan = plan("exact", "19:50:00", "19:50:03");
        assertThat(plan).isInstanceOf(ExportPlan.Remux.class);
        assertThat(jobOf(plan).method()).isEqualTo(ExportMethod.REMUX);
        assertThat(jobOf(plan).note()).isEqualTo("The clip starts on a keyframe: nothing needed re-encoding.");
    }

    @Test
    void exactBetweenKeyframesIsASmartCutWhoseProgramEncodesTheHead() throws IOException {
        library(Media.cached("planner.mkv", 10), 0);
        ExportPlan plan = plan("exact", "19:50:00.500", "19:50:03");
        assertThat(plan).isInstanceOf(ExportPlan.SmartCut.class);
        assertThat(plan.program().executable()).isEqualTo(Media.FFMPEG.ffmpeg());
        assertThat(plan.program().args()).contains(videos.resolve("exports").resolve(plan.job().jobId() + ".head.part.mp4").toString());
        assertThat(jobOf(plan).method()).isEqualTo(ExportMethod.SMART_CUT);
        assertThat(jobOf(plan).note()).endsWith("frames re-encoded up to the next keyframe, the rest copied.");
    }

    @Test
    void reencodeIsFfmpegWritingTheWholeClipWithItsProgress() throws IOException {
        library(Media.cached("planner.mkv", 10), 0);
        ExportPlan plan = plan("reencode", "19:50:00.500", "19:50:03");
        assertThat(plan).isInstanceOf(ExportPlan.Ffmpeg.class);
        assertThat(((ExportPlan.Ffmpeg) plan).method()).isEqualTo(ExportMethod.REENCODE);
        Path exportsDir = videos.resolve("exports");
        assertThat(String.join(" ", plan.program().args())).contains("-c:v libx264")
                .contains("-progress " + exportsDir.resolve(plan.job().jobId() + ".progress"))
                .doesNotContain("-fs"); // no floor kept: no cap
        assertThat(plan.program().args()).last().isEqualTo(exportsDir.resolve(plan.job().jobId() + ".part.mp4").toString());
        assertThat(jobOf(plan).method()).isEqualTo(ExportMethod.REENCODE);
        assertThat(jobOf(plan).note()).isNull();
    }

    @Test
    void aRecordingTheRemuxerCannotReadIsCopiedOrEncodedByFfmpeg() throws IOException {
        library(Media.numbered("planner.ts", 10), 0);
        ExportPlan copy = plan("copy", "19:50:01", "19:50:03");
        assertThat(copy).isInstanceOf(ExportPlan.Ffmpeg.class);
        assertThat(((ExportPlan.Ffmpeg) copy).method()).isEqualTo(ExportMethod.FFMPEG_COPY);
        assertThat(String.join(" ", copy.program().args())).contains("-c copy");
        assertThat(jobOf(copy).note()).isEqualTo("Copied by ffmpeg: neither Matroska nor MP4.");

        ExportPlan exact = plan("exact", "19:50:01", "19:50:03");
        assertThat(((ExportPlan.Ffmpeg) exact).method()).isEqualTo(ExportMethod.REENCODE);
        assertThat(jobOf(exact).note()).isEqualTo("Re-encoded in full: the recording cannot be smart-cut (neither Matroska nor MP4).");
    }

    @Test
    void anFfmpegRunIsCappedToTheRoomLeftAboveTheFloor() throws IOException {
        long free = new DiskSpace(videos, 0).freeBytes();
        library(Media.cached("planner.mkv", 10), free / (1024 * 1024) - 64); // about 64 MB above the floor
        ExportPlan plan = plan("reencode", "19:50:00", "19:50:05");
        List<String> args = plan.program().args();
        int fs = args.indexOf("-fs");
        assertThat(fs).as("ffmpeg gets -fs").isPositive();
        assertThat(Long.parseLong(args.get(fs + 1))).isBetween(1L, 80L << 20);
    }

    @Test
    void aClipThatWouldTakeTheDiskBelowItsFloorFailsAsDiskFullWithNothingWritten() throws IOException {
        library(Media.cached("planner.mkv", 10), 1L << 30); // a floor of a petabyte: no room at all
        ExportJob job = queued("copy", "19:50:00", "19:50:03");
        assertThatThrownBy(() -> planner.plan(job)).isInstanceOf(DiskReserve.ReserveReached.class);
        ExportJob failed = exports.fail(job.jobId(), new DiskReserve.ReserveReached("no room"));
        assertThat(failed.state()).isEqualTo(ExportState.FAILED);
        assertThat(failed.refusedAs()).isEqualTo(Refusal.Kind.DISK_FULL);
        assertThat(exports.refusal(failed).kind()).isEqualTo(Refusal.Kind.DISK_FULL);
        assertThat(exports.refusal(failed).detail()).startsWith(ExportJobs.RESERVE).endsWith("Pick a shorter stretch, or tell the venue's operator.");
        try (var left = Files.list(videos.resolve("exports"))) {
            assertThat(left).isEmpty();
        }
    }
}
