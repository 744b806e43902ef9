package de.scheincam;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.scheincam.testing.Media;
import de.scheincam.testing.Pictures;
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

/**
 * Issue 12, items 1 and 2: a Matroska recording cut off the way a killed OBS leaves it (no Duration, no
 * Cues, the last cluster half on disk) and a whole one, both listed but not probed yet (the settle timer
 * is an hour: only a request can have probed them). Each is probed by the request that needs it, and
 * the cut-off one is listed, framed, filmstripped and exported up to its last frame like any other.
 * ffprobe, not our code, says where its frames end.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UnfinishedRecordingsIT {

    private static final String CRASHED = "25-01-24_19-50-00";
    private static final String WHOLE = "25-01-24_21-00-00";
    private static final double FRAME = 1 / 30.0;
    static TestApp app;
    /** The last picture frame's timestamp in the cut-off file, as ffprobe reads it. */
    static double lastFrame;

    @BeforeAll
    static void boot() throws Exception {
        Path home = TestApp.newHome();
        Path crashed = home.resolve("videos/" + CRASHED + ".mkv");
        cutOffMatroska(crashed, 30);
        Files.copy(Media.cached("a.mkv", 20), home.resolve("videos/" + WHOLE + ".mkv"));
        JsonNode probe = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Media.run(List.of(Media.FFMPEG.ffprobe(),
                "-v", "quiet", "-print_format", "json", "-show_format", crashed.toString())));
        assertThat(probe.path("format").path("duration").isMissingNode())
                .as("the header has no length, as after an OBS crash: " + probe.path("format")).isTrue();
        lastFrame = lastVideoPts(crashed);
        assertThat(lastFrame).as("the cut-off file holds most of its 30 s").isBetween(15.0, 29.0);
        app = TestApp.start(home, Map.of("scheincam.library.settle-seconds", "3600"));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    @Order(1)
    void aRecordingNotProbedYetIsProbedByTheExportThatNeedsIt() {
        JsonNode before = json(app.get("/api/videos/" + CRASHED));
        assertThat(before.path("duration").isNull()).as("not probed yet: " + before).isTrue();
        assertThat(before.path("in_progress").asBoolean()).isFalse();

        // the last 4 whole seconds before the last frame, stream copied
        int end = (int) Math.floor(lastFrame);
        HttpResponse<String> r = app.post("/api/videos/export", "{\"filename\":\"" + CRASHED + "\",\"start_time\":\""
                + at(end - 4) + "\",\"end_time\":\"" + at(end) + "\",\"mode\":\"copy\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Path clip = app.videos.resolve(json(r).path("filepath").asText());
        assertThat(Media.decodeErrors(clip)).isEmpty();
        assertThat(Media.duration(clip)).isCloseTo(4.0, Offset.offset(0.1));

        JsonNode after = json(app.get("/api/videos/" + CRASHED));
        assertThat(after.path("ended_abnormally").asBoolean()).as(after.toString()).isTrue();
        assertThat(after.path("duration").asDouble()).as("length = last frame + one frame")
                .isCloseTo(lastFrame + FRAME, Offset.offset(FRAME + 0.002));
        assertThat(after.path("end_time").asText()).isEqualTo(
                "2025-01-24T19:50:" + String.format(Locale.ROOT, "%02d", (int) Math.floor(lastFrame + FRAME)));
        assertThat(after.path("width").asInt()).isEqualTo(320);
        assertThat(json(app.get("/api/videos")).toString()).contains("\"ended_abnormally\":true");
    }

    @Test
    @Order(2)
    void aWholeRecordingNotProbedYetIsProbedByTheFrameThatNeedsItAndEndedNormally() {
        assertThat(json(app.get("/api/videos/" + WHOLE)).path("duration").isNull()).isTrue();
        HttpResponse<String> r = app.post("/api/videos/frame", "{\"filename\":\"" + WHOLE + "\",\"timestamp\":\"21:00:13\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        BufferedImage frame = Pictures.dataUrl(json(r).path("image").asText());
        assertThat(Pictures.centreLuma(frame)).isCloseTo(Pictures.expectedLuma(13), Offset.offset(8.0));
        JsonNode after = json(app.get("/api/videos/" + WHOLE));
        assertThat(after.path("duration").asDouble()).isCloseTo(Media.duration(Media.cached("a.mkv", 20)), Offset.offset(0.01));
        assertThat(after.path("ended_abnormally").asBoolean()).isFalse();
    }

    @Test
    @Order(3)
    void framesUpToTheLastOneDecodeWithoutCues() {
        for (double t : new double[] {lastFrame - 0.5, lastFrame - FRAME / 2}) {
            HttpResponse<String> r = app.post("/api/videos/frame", "{\"filename\":\"" + CRASHED + "\",\"timestamp\":\""
                    + at(t) + "\"}");
            assertThat(r.statusCode()).as(at(t) + ": " + r.body()).isEqualTo(200);
            BufferedImage frame = Pictures.dataUrl(json(r).path("image").asText());
            assertThat(Pictures.centreLuma(frame)).as("luma at %s", at(t))
                    .isCloseTo(Pictures.expectedLuma((int) Math.floor(t)), Offset.offset(8.0));
        }
        HttpResponse<String> past = app.post("/api/videos/frame", "{\"filename\":\"" + CRASHED + "\",\"timestamp\":\""
                + at(lastFrame + 1) + "\"}");
        assertThat(past.statusCode()).as(past.body()).isEqualTo(422);
        assertThat(json(past).path("detail").asText()).contains("outside the recording");
    }

    @Test
    @Order(4)
    void filmstripCoversTheWholeCutOffRecording() {
        HttpResponse<String> r = app.get("/api/videos/" + CRASHED + "/filmstrip?every=5");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).path("count").asInt()).isEqualTo((int) Math.ceil((lastFrame + FRAME) / 5));
    }

    @Test
    @Order(5)
    void exactExportEndsOnTheLastFrame() {
        double from = lastFrame - 3.5;
        double to = lastFrame + FRAME;
        HttpResponse<String> r = app.post("/api/videos/export", "{\"filename\":\"" + CRASHED + "\",\"start_time\":\""
                + at(from) + "\",\"end_time\":\"" + at(to) + "\",\"mode\":\"exact\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Path clip = app.videos.resolve(json(r).path("filepath").asText());
        assertThat(Media.decodeErrors(clip)).isEmpty();
        double wanted = Math.round(to * 1000) / 1000.0 - Math.round(from * 1000) / 1000.0;
        assertThat(Media.duration(clip)).isCloseTo(wanted, Offset.offset(FRAME + 0.01));
        assertThat(Media.firstFrameLuma(clip)).isCloseTo((Math.floor(from) % 10) * 25, Offset.offset(6.0));
    }

    /** 19:50:00 + seconds, as HH:MM:SS.mmm. */
    private static String at(double seconds) {
        long ms = Math.round(seconds * 1000);
        return String.format(Locale.ROOT, "19:50:%02d.%03d", ms / 1000, ms % 1000);
    }

    /**
     * A Matroska file as a killed muxer leaves it: written to a pipe (so no Duration, Cues or sizes are
     * filled in afterwards) and cut off in the middle of its last cluster.
     */
    private static void cutOffMatroska(Path out, int seconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Media.FFMPEG.ffmpeg(), "-hide_banner", "-v", "error",
                "-f", "lavfi", "-i", "color=c=black:s=320x180:r=30:d=" + seconds + ",geq=lum='mod(floor(T)\\,10)*25':cb=128:cr=128",
                "-f", "lavfi", "-i", "sine=f=440:d=" + seconds,
                "-c:v", "libx264", "-preset", "veryfast", "-g", "60", "-bf", "2", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-shortest", "-f", "matroska", "pipe:1")
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertThat(p.waitFor()).isZero();
        try (RandomAccessFile f = new RandomAccessFile(out.toFile(), "rw")) {
            f.setLength(f.length() * 4 / 5 + 777);
        }
    }

    private static double lastVideoPts(Path file) {
        String out = Media.run(List.of(Media.FFMPEG.ffprobe(), "-v", "quiet", "-select_streams", "v:0",
                "-show_entries", "packet=pts_time", "-of", "csv=p=0", file.toString()));
        return out.lines().filter(l -> !l.isBlank()).mapToDouble(l -> Double.parseDouble(l.trim().replace(",", "")))
                .max().orElseThrow();
    }
}
