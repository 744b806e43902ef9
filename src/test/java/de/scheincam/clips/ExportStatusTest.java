package de.scheincam.clips;

import java.time.Instant;
import java.time.LocalDateTime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import de.scheincam.core.Refusal;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An export job on the wire, byte for byte as the original map-built answer had it (field order,
 * fields a job does not have yet left out, start and end always there), and the job's JSON beside its
 * clip, which a restart reads back, in the spelling of earlier versions.
 */
class ExportStatusTest {

    /** As ScheinCamConfiguration builds the one ObjectMapper (its strictness is for reading only). */
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private static final String ID = "0123456789abcdef";
    private static final LocalDateTime START = LocalDateTime.of(2025, 1, 24, 20, 31);
    private static final Instant CREATED = Instant.parse("2025-01-24T20:40:00Z");

    private static ExportJob queued() {
        return new ExportJob(ID, ExportState.QUEUED, ExportMode.EXACT, "25-01-24_19-50-00.mkv", START, START.plusSeconds(5),
                2460.0, 5.0, "Scheinbar_2025-01-24_20-31.mp4", null, null, CREATED, null, null, null, null, null, null, null);
    }

    @Test
    void aQueuedJobHasNeitherMethodNorResult() throws Exception {
        assertThat(json.writeValueAsString(ExportStatus.of(queued(), 0))).isEqualTo("{\"success\":true,\"job_id\":\"0123456789abcdef\","
                + "\"state\":\"queued\",\"progress\":0.0,\"mode\":\"exact\",\"filename\":\"25-01-24_19-50-00.mkv\","
                + "\"start_time\":\"2025-01-24T20:31:00\",\"end_time\":\"2025-01-24T20:31:05\",\"duration\":5.0,"
                + "\"status_url\":\"/api/exports/0123456789abcdef\"}");
    }

    @Test
    void aDoneJobNamesItsClipAndHowItWasCut() throws Exception {
        ExportJob done = queued().running().cutBy(ExportMethod.SMART_CUT, "12 frames re-encoded up to the next keyframe.")
                .done(5.005, 2, CREATED.plusSeconds(2));
        assertThat(json.writeValueAsString(ExportStatus.of(done, 1.0))).isEqualTo("{\"success\":true,\"job_id\":\"0123456789abcdef\","
                + "\"state\":\"done\",\"progress\":1.0,\"mode\":\"exact\",\"method\":\"smart-cut\","
                + "\"note\":\"12 frames re-encoded up to the next keyframe.\",\"filename\":\"25-01-24_19-50-00.mkv\","
                + "\"start_time\":\"2025-01-24T20:31:00\",\"end_time\":\"2025-01-24T20:31:05\",\"duration\":5.0,"
                + "\"status_url\":\"/api/exports/0123456789abcdef\",\"filepath\":\"exports/0123456789abcdef.mp4\","
                + "\"download_url\":\"/api/exports/0123456789abcdef/download\",\"download_name\":\"Scheinbar_2025-01-24_20-31.mp4\","
                + "\"result_duration\":5.005,\"audio_tracks\":2}");
    }

    @Test
    void aFailedJobSaysWhyAndIsNoSuccess() throws Exception {
        ExportJob failed = queued().running().cutBy(ExportMethod.REENCODE, null)
                .failed("The export failed; the log has details.", CREATED.plusSeconds(9), null);
        assertThat(json.writeValueAsString(ExportStatus.of(failed, 0))).isEqualTo("{\"success\":false,\"job_id\":\"0123456789abcdef\","
                + "\"state\":\"failed\",\"progress\":0.0,\"mode\":\"exact\",\"method\":\"reencode\","
                + "\"filename\":\"25-01-24_19-50-00.mkv\",\"start_time\":\"2025-01-24T20:31:00\",\"end_time\":\"2025-01-24T20:31:05\","
                + "\"duration\":5.0,\"status_url\":\"/api/exports/0123456789abcdef\","
                + "\"error\":\"The export failed; the log has details.\"}");
    }

    @Test
    void aJobRefusedBeforeItsRangeWasReadStillShowsItsTimesAsNull() throws Exception {
        ExportJob job = new ExportJob(ID, ExportState.FAILED, ExportMode.COPY, "x.mkv", null, null, 0, 0, "n.mp4", null, "No.",
                CREATED, CREATED, null, null, null, Refusal.Kind.DAMAGED, null, null);
        assertThat(json.writeValueAsString(ExportStatus.of(job, 0))).contains("\"start_time\":null,\"end_time\":null");
    }

    @Test
    void theJobBesideItsClipReadsBackAsEarlierVersionsWroteIt() throws Exception {
        String written = "{\"job_id\":\"0123456789abcdef\",\"state\":\"done\",\"mode\":\"copy\",\"filename\":\"25-01-24_19-50-00.mkv\","
                + "\"start_time\":\"2025-01-24T20:31:00\",\"end_time\":\"2025-01-24T20:31:05\",\"offset\":2460.0,\"duration\":5.0,"
                + "\"download_name\":\"Scheinbar_2025-01-24_20-31.mp4\",\"result_duration\":5.0,\"error\":null,"
                + "\"created_at\":\"2025-01-24T20:40:00Z\",\"finished_at\":\"2025-01-24T20:40:01Z\",\"method\":\"ffmpeg-copy\","
                + "\"note\":null,\"audio_tracks\":1,\"refused_as\":null}";
        ExportJob job = json.readValue(written, ExportJob.class);
        assertThat(job.state()).isEqualTo(ExportState.DONE);
        assertThat(job.mode()).isEqualTo(ExportMode.COPY);
        assertThat(job.method()).isEqualTo(ExportMethod.FFMPEG_COPY);
        assertThat(json.writeValueAsString(job)).isEqualTo(written);
    }
}
