package de.scheincam;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.scheincam.obs.ObsClient;
import de.scheincam.remux.ClipCutter;
import de.scheincam.testing.Media;
import de.scheincam.testing.RealObs;
import de.scheincam.testing.TestApp;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 12 items 1, 6 and 7 against real OBS Studio 29: a muxer OBS cannot open (fragmented_mp4) is a
 * failed start, not a recording; a growing Matroska recording can be cut to within a couple of seconds
 * of live; the recording OBS leaves when it is killed (no Duration: ffprobe says N/A) is measured from
 * its frames and framed and exported up to its last frame. Prints FIGURE lines.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RecordingRealIT {

    private static final String PASSWORD = "real-obs-recording-7";
    private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT);
    /**
     * How far behind live a growing mkv may be cut, on average (seconds). OBS's own 5 s clusters leave
     * 4-10 s; with 1 s clusters what remains is mostly OBS's encoder and interleaving delay, which on a
     * loaded 2-core machine is 2-3 s by itself.
     */
    private static final double LIVE_LAG_LIMIT = 4.5;
    static RealObs obs;
    static ObsClient observer;
    static TestApp app;
    static String file;

    @BeforeAll
    static void startObsAndApp() {
        obs = RealObs.launch(PASSWORD);
        observer = obs.observe(e -> { });
        app = TestApp.start(TestApp.newHome(), Map.of(
                "scheincam.obs.port", String.valueOf(obs.port),
                "scheincam.obs.password", PASSWORD,
                "scheincam.obs.reconnect-initial-millis", "250",
                "scheincam.obs.reconnect-max-millis", "1000",
                "scheincam.recording.mkv-cluster-millis", System.getProperty("it.mkv-cluster-millis", "1000")));
        await().atMost(Duration.ofSeconds(15)).until(() -> json(app.get("/api/recordings/status")).path("connected").asBoolean());
    }

    @AfterAll
    static void stopAll() {
        if (app != null) {
            app.close();
        }
        if (observer != null) {
            observer.close();
        }
        if (obs != null) {
            obs.close();
        }
    }

    private static void recFormat(String format) {
        for (String key : List.of("RecFormat", "RecFormat2")) {
            observer.request("SetProfileParameter", Map.of("parameterCategory", "SimpleOutput", "parameterName", key,
                    "parameterValue", format));
        }
    }

    @Test
    @Order(1)
    void aMuxerObsCannotOpenIsAFailedStart() throws Exception {
        recFormat("fragmented_mp4");
        try {
            long t0 = System.nanoTime();
            HttpResponse<String> r = app.post("/api/recordings/start", "", TestApp.admin());
            System.out.println("FIGURE start with RecFormat=fragmented_mp4: " + r.statusCode() + " after "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms: " + r.body());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
            assertThat(json(r).path("detail").asText()).contains("nothing is being recorded");
            // ScheinCam sent StopRecord; OBS takes a moment to wind the output down
            await().atMost(Duration.ofSeconds(10)).until(() -> !observer.request("GetRecordStatus").path("outputActive").asBoolean());
            JsonNode status = json(app.get("/api/recordings/status"));
            assertThat(status.path("recording").asBoolean()).as(status.toString()).isFalse();
            assertThat(status.path("alerts").toString()).contains("recording-not-written");
            assertThat(json(app.get("/api/videos")).path("total").asInt()).isZero();
            String log = Files.readString(obs.home.resolve("obs.log"));
            System.out.println("FIGURE OBS log says muxer missing: " + log.contains("Couldn't find an appropriate muxer"));
        } finally {
            recFormat("mkv");
        }
    }

    @Test
    @Order(2)
    void aGrowingMatroskaRecordingCanBeCutToWithinSecondsOfLive() throws Exception {
        // measured from before the request: the answer comes only once the start is confirmed, so the lag
        // below counts OBS's own start-up too (an upper bound)
        long startedAt = System.nanoTime();
        HttpResponse<String> started = app.post("/api/recordings/start", "", TestApp.admin());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        file = json(started).path("filename").asText();
        Path path = app.videos.resolve(file);
        boolean measuringBefore = "0".equals(System.getProperty("it.mkv-cluster-millis")); // OBS's own clusters, for the figure
        if (!measuringBefore) {
            assertThat(observer.request("GetProfileParameter", Map.of("parameterCategory", "SimpleOutput",
                    "parameterName", "MuxerCustom")).path("parameterValue").asText()).contains("cluster_time_limit=1000");
        }
        ClipCutter cutter = new ClipCutter(8);
        await().pollDelay(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(11)).until(() -> true);
        double worst = 0;
        double sum = 0;
        int n = 0;
        for (int i = 0; i < 12; i++) {
            double elapsed = (System.nanoTime() - startedAt) / 1e9;
            double reach = cutter.readableSeconds(path);
            double lag = elapsed - reach;
            worst = Math.max(worst, lag);
            sum += lag;
            n++;
            long due = System.nanoTime() + 500_000_000L;
            await().pollInterval(Duration.ofMillis(50)).atMost(Duration.ofSeconds(10)).until(() -> System.nanoTime() >= due);
        }
        System.out.printf(Locale.ROOT, "FIGURE live edge of a growing OBS mkv (cluster option %s): mean %.2f s, worst %.2f s behind live%n",
                System.getProperty("it.mkv-cluster-millis", "1000"), sum / n, worst);
        assertThat(sum / n).as("mean seconds behind live").isLessThan(LIVE_LAG_LIMIT);

        // the API cuts it up to there too: the 4 s ending a quarter second before the last frame on disk
        LocalDateTime begin = LocalDateTime.parse(json(app.get("/api/videos/" + file.replace(".mkv", ""))).path("start_time").asText());
        double reach = cutter.readableSeconds(path);
        LocalDateTime end = begin.plusNanos((long) ((reach - 0.25) * 1e9));
        HttpResponse<String> r = app.post("/api/videos/export", "{\"filename\":\"" + file + "\",\"start_time\":\""
                + HMS.format(end.minusSeconds(4)) + "\",\"end_time\":\"" + HMS.format(end) + "\",\"mode\":\"copy\"}");
        assertThat(r.statusCode()).as(r.body()).isIn(200, 202);
        String job = json(r).path("job_id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> json(app.get("/api/exports/" + job)).path("state").asText().equals("done"));
        Path clip = app.videos.resolve(json(app.get("/api/exports/" + job)).path("filepath").asText());
        assertThat(Media.decodeErrors(clip)).isEmpty();
        assertThat(Media.duration(clip)).isCloseTo(4.0, Offset.offset(0.1));
    }

    @Test
    @Order(3)
    void theRecordingObsLeavesWhenKilledIsMeasuredFromItsFrames() throws Exception {
        assertThat(file).isNotNull();
        obs.killWithMuxer(); // OBS alone killed leaves obs-ffmpeg-mux, which finishes the file
        Path path = app.videos.resolve(file);
        JsonNode format = new ObjectMapper().readTree(Media.run(List.of(Media.FFMPEG.ffprobe(), "-v", "quiet",
                "-print_format", "json", "-show_format", path.toString()))).path("format");
        assertThat(format.path("duration").isMissingNode()).as("ffprobe finds no length: " + format).isTrue();
        String packets = Media.run(List.of(Media.FFMPEG.ffprobe(), "-v", "quiet", "-select_streams", "v:0",
                "-show_entries", "packet=pts_time", "-of", "csv=p=0", path.toString()));
        double last = packets.lines().filter(l -> !l.isBlank()).mapToDouble(l -> Double.parseDouble(l.replace(",", "").trim()))
                .max().orElseThrow();
        String name = file.replace(".mkv", "");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode info = json(app.get("/api/videos/" + name));
            assertThat(info.path("in_progress").asBoolean()).as(info.toString()).isFalse();
            assertThat(info.path("ended_abnormally").asBoolean()).isTrue();
            assertThat(info.path("duration").asDouble()).isCloseTo(last + 1 / 30.0, Offset.offset(0.1));
        });
        JsonNode info = json(app.get("/api/videos/" + name));
        System.out.println("FIGURE OBS killed: last frame on disk at " + last + " s, listed duration " + info.path("duration")
                + " s, end " + info.path("end_time").asText());
        LocalDateTime begin = LocalDateTime.parse(info.path("start_time").asText());
        String nearEnd = HMS.format(begin.plusNanos((long) ((last - 0.3) * 1e9)));
        HttpResponse<String> frame = app.post("/api/videos/frame", "{\"filename\":\"" + name + "\",\"timestamp\":\"" + nearEnd + "\"}");
        assertThat(frame.statusCode()).as(frame.body()).isEqualTo(200);
        HttpResponse<String> r = app.post("/api/videos/export", "{\"filename\":\"" + name + "\",\"start_time\":\""
                + HMS.format(begin.plusNanos((long) ((last - 3.2) * 1e9))) + "\",\"end_time\":\""
                + HMS.format(begin.plusNanos((long) ((last - 0.2) * 1e9))) + "\",\"mode\":\"exact\"}");
        assertThat(r.statusCode()).as(r.body()).isIn(200, 202);
        String job = json(r).path("job_id").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> json(app.get("/api/exports/" + job)).path("state").asText().matches("done|failed"));
        JsonNode done = json(app.get("/api/exports/" + job));
        assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("done");
        Path clip = app.videos.resolve(done.path("filepath").asText());
        assertThat(Media.decodeErrors(clip)).isEmpty();
        assertThat(Media.duration(clip)).isCloseTo(3.0, Offset.offset(0.1));
        System.out.println("FIGURE exact clip from the killed mkv: method " + done.path("method").asText());
    }
}
