package de.scheincam;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.scheincam.testing.Browser;
import de.scheincam.testing.Media;
import de.scheincam.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Smart cut (mode {@code exact}) on recordings shaped as real OBS writes them, checked with tools we did
 * not write (ffmpeg 5.1 from Debian and the bundled 7.1, trace_headers, headless Chromium).
 *
 * <p>OBS's x264 writes {@code fixed_frame_rate_flag=1} in its SPS (ffmpeg's libx264 only with
 * {@code force-cfr=1}), CBR with filler data and no HRD, 3 B-frames: the sources here are made so, and
 * the head must match them byte for byte. A recording from another encoder (here libopenh264, standing in
 * for NVENC/QSV: no x264 settings text, other SPS fields) must still be smart-cut, its head carrying its
 * own parameter sets.
 */
class SmartCutIT {

    private static final String OBS_MKV = "25-01-24_19-50-00";
    private static final String OBS_MP4 = "25-01-24_20-00-00";
    private static final String OTHER_ENCODER = "25-01-24_20-10-00";
    private static final String[] OBS_X264 = {"-b:v", "600k", "-maxrate", "600k", "-bufsize", "600k",
            "-x264-params", "force-cfr=1:bframes=3:nal-hrd=none:filler=1",
            "-vf", "setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709"};

    static TestApp app;

    @BeforeAll
    static void boot() throws IOException {
        Path home = TestApp.newHome();
        Files.copy(Media.numbered("obs-x264.mkv", 20, OBS_X264), home.resolve("videos/" + OBS_MKV + ".mkv"));
        String[] mp4 = java.util.Arrays.copyOf(OBS_X264, OBS_X264.length + 2);
        mp4[OBS_X264.length] = "-movflags";
        mp4[OBS_X264.length + 1] = "+faststart";
        Files.copy(Media.numbered("obs-x264.mp4", 20, mp4), home.resolve("videos/" + OBS_MP4 + ".mp4"));
        Files.copy(Media.numbered("openh264.mkv", 20, "-c:v", "libopenh264", "-b:v", "500k"),
                home.resolve("videos/" + OTHER_ENCODER + ".mkv"));
        try (var files = Files.list(home.resolve("videos"))) {
            for (Path f : files.toList()) {
                Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(3600)));
            }
        }
        app = TestApp.start(home, Map.of("scheincam.library.settle-seconds", "60"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String name : List.of(OBS_MKV, OBS_MP4, OTHER_ENCODER)) {
                assertThat(json(app.get("/api/videos/" + name)).path("duration").isNumber()).as(name).isTrue();
            }
        });
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void obsX264RecordingsAreSmartCutWithTheirOwnParameterSets() {
        for (String name : List.of(OBS_MKV, OBS_MP4)) {
            Path source = source(name);
            assertThat(count(sps(source), "fixed_frame_rate_flag\\s+1 = 1")).as("the source is shaped as OBS writes it").isEqualTo(1L);
            JsonNode job = export(name, 5.5, 13, "exact");
            assertThat(job.path("method").asText()).as(name).isEqualTo("smart-cut");
            assertThat(job.path("note").asText()).as(name).contains("re-encoded up to the next keyframe")
                    .contains("SPS/PPS identical to the recording's");
            Path clip = clip(job);
            // one SPS and one PPS in the clip, the recording's own, byte for byte
            assertThat(parameterSets(clip)).as(name).isEqualTo(parameterSets(source));
            assertThat(count(sps(clip), "seq_parameter_set_id")).as("SPS/PPS naming an SPS in %s", name).isEqualTo(2L);
            assertClean(clip, 7.5, name);
            assertThat(Media.firstFrameLuma(clip)).as(name).isCloseTo(luma(165), within(8.0));
            assertCopiedFramesAreTheSource(source, clip, 5.5, name);
        }
    }

    @Test
    void aRecordingFromAnotherEncoderIsSmartCutWithTheHeadsSetsBesideTheRecordings() throws Exception {
        Path source = source(OTHER_ENCODER);
        JsonNode job = export(OTHER_ENCODER, 4.5, 12, "exact");
        assertThat(job.path("method").asText()).isEqualTo("smart-cut");
        assertThat(job.path("note").asText()).contains("own SPS/PPS").contains("carried beside the recording's");
        Path clip = clip(job);
        String headers = sps(clip);
        assertThat(count(headers, "nal_unit_type\\s+00111 = 7"))
                .as("the recording's SPS and the head's, in the avcC and in-band").isGreaterThanOrEqualTo(2);
        assertClean(clip, 7.5, OTHER_ENCODER);
        assertThat(Media.firstFrameLuma(clip)).isCloseTo(luma(135), within(8.0));
        assertCopiedFramesAreTheSource(source, clip, 4.5, OTHER_ENCODER);
        Path page = clip.resolveSibling("play.html");
        Files.writeString(page, "<video id=v muted src='" + clip.getFileName() + "'></video>");
        try (Browser b = new Browser(800, app.home.resolve("downloads"))) {
            b.driver.get(page.toUri().toString());
            b.until(d -> Boolean.TRUE.equals(d.executeScript("return document.getElementById('v').readyState >= 1")),
                    Duration.ofSeconds(20));
            b.driver.executeScript("const v = document.getElementById('v'); v.playbackRate = 4; v.play();");
            b.until(d -> Boolean.TRUE.equals(d.executeScript("return document.getElementById('v').ended")),
                    Duration.ofSeconds(30));
            Object duration = b.driver.executeScript("return document.getElementById('v').duration");
            Object error = b.driver.executeScript("const e = document.getElementById('v').error; return e ? e.code : 0");
            Object frames = b.driver.executeScript("return document.getElementById('v').getVideoPlaybackQuality().totalVideoFrames");
            assertThat(((Number) duration).doubleValue()).isCloseTo(7.5, within(0.05));
            assertThat(((Number) error).intValue()).as("media error").isZero();
            assertThat(((Number) frames).intValue()).as("frames Chromium showed or dropped").isGreaterThan(200);
        }
    }

    // --- helpers -------------------------------------------------------------------------------------

    private static Path source(String name) {
        return app.videos.resolve(json(app.get("/api/videos/" + name)).path("filename").asText());
    }

    private static double luma(int frame) {
        return (frame % 8) * 28 + 16;
    }

    /** What Debian's ffmpeg 5.1 trace_headers reads of the stream's parameter sets (extradata and first frame). */
    private static String sps(Path file) {
        return Media.run(List.of("/usr/bin/ffmpeg", "-hide_banner", "-i", file.toString(), "-map", "0:v:0", "-c", "copy",
                "-bsf:v", "trace_headers", "-frames:v", "1", "-f", "null", "-"));
    }

    /** The SPS and PPS fields, in order, as trace_headers prints them for the extradata. */
    private static List<String> parameterSets(Path file) {
        String all = sps(file);
        int end = all.indexOf("Picture Parameter Set");
        int stop = all.indexOf("rbsp_stop_one_bit", end);
        return all.substring(all.indexOf("Sequence Parameter Set"), stop).lines()
                .map(l -> l.replaceFirst("^\\[trace_headers @ 0x[0-9a-f]+\\] ", "")).toList();
    }

    private static long count(String text, String regex) {
        return java.util.regex.Pattern.compile(regex).matcher(text).results().count();
    }

    /** No message from either ffmpeg with -xerror; lasts as asked; picture and sound start together. */
    private static void assertClean(Path clip, double seconds, String name) {
        assertThat(Media.run(List.of("/usr/bin/ffmpeg", "-v", "error", "-xerror", "-i", clip.toString(), "-f", "null", "-")))
                .as("ffmpeg 5.1 decoding %s", name).isEmpty();
        assertThat(Media.run(List.of(Media.FFMPEG.ffmpeg(), "-v", "error", "-xerror", "-i", clip.toString(), "-f", "null", "-")))
                .as("ffmpeg 7.1 decoding %s", name).isEmpty();
        assertThat(Media.duration(clip)).as(name).isCloseTo(seconds, within(0.05));
        JsonNode streams = Media.probe(clip).path("streams");
        assertThat(Math.abs(streams.get(0).path("start_time").asDouble() - streams.get(1).path("start_time").asDouble()))
                .as("start difference in %s", name).isLessThanOrEqualTo(0.04);
    }

    /**
     * Every frame from the first copied keyframe on decodes to exactly the source's frame (framemd5): the
     * splice changed nothing in the copied part, and the head's frames did not leak into it.
     */
    private static void assertCopiedFramesAreTheSource(Path source, Path clip, double from, String name) {
        List<String> sourceFrames = md5s(source);
        List<String> clipFrames = md5s(clip);
        List<Double> keys = keyframes(source);
        double next = keys.stream().filter(k -> k > from + 0.001).findFirst().orElseThrow();
        int headFrames = (int) Math.round((next - from) * 30);
        int sourceFirst = (int) Math.round(next * 30);
        List<String> copied = clipFrames.subList(headFrames, clipFrames.size());
        assertThat(copied).as("copied frames of %s", name).isNotEmpty()
                .isEqualTo(sourceFrames.subList(sourceFirst, sourceFirst + copied.size()));
    }

    private static List<String> md5s(Path file) {
        return Media.run(List.of(Media.FFMPEG.ffmpeg(), "-v", "error", "-i", file.toString(), "-map", "0:v:0", "-f", "framemd5", "-"))
                .lines().filter(l -> !l.startsWith("#")).map(l -> l.substring(l.lastIndexOf(',') + 1).trim()).toList();
    }

    private static List<Double> keyframes(Path file) {
        return Media.run(List.of(Media.FFMPEG.ffprobe(), "-v", "error", "-select_streams", "v:0", "-show_entries",
                "packet=pts_time,flags", "-of", "csv=p=0", file.toString())).lines()
                .filter(l -> l.contains("K")).map(l -> Double.parseDouble(l.split(",")[0])).sorted().toList();
    }

    private static JsonNode export(String name, double from, double to, String mode) {
        String start = json(app.get("/api/videos/" + name)).path("start_time").asText().substring(11, 16);
        String request = String.format(java.util.Locale.ROOT,
                "{\"filename\":\"%s\",\"start_time\":\"%s:%06.3f\",\"end_time\":\"%s:%06.3f\",\"mode\":\"%s\"}",
                name, start, from, start, to, mode);
        HttpResponse<String> r = app.post("/api/videos/export", request);
        assertThat(r.statusCode()).as(r.body()).isIn(200, 202);
        String id = json(r).path("job_id").asText();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(json(app.get("/api/exports/" + id)).path("state").asText()).isEqualTo("done"));
        return json(app.get("/api/exports/" + id));
    }

    private static Path clip(JsonNode job) {
        return app.videos.resolve("exports/" + job.path("job_id").asText() + ".mp4");
    }
}
