package de.scheincam;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
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
 * Frame-accurate exports ("smart cut"), the in-process stream copy, and exports from recordings still
 * being written — with the real ffmpeg on generated OBS-like recordings (x264 with B-frames, GOP 90,
 * AAC) in Matroska, MP4 and fragmented MP4, whose frames show their own number (see Media#numbered).
 */
class ExactExportIT {

    private static final String MKV = "25-01-24_19-50-00";
    private static final String MP4 = "25-01-24_20-00-00";
    private static final String FRAGMENTED = "25-01-24_20-10-00";
    private static final String NOT_X264 = "25-01-24_20-20-00";
    private static final String CRAFTED = "25-01-24_20-30-00";
    private static final double FPS = 30;

    static TestApp app;
    static Path dumped;

    @BeforeAll
    static void boot() throws IOException {
        Path home = TestApp.newHome();
        Files.copy(Media.numbered("a.mkv", 20), home.resolve("videos/" + MKV + ".mkv"));
        Files.copy(Media.numbered("a.mp4", 20, "-movflags", "+faststart"), home.resolve("videos/" + MP4 + ".mp4"));
        Files.copy(Media.numbered("frag.mp4", 20, "-movflags", "+frag_keyframe+empty_moov+default_base_moof"),
                home.resolve("videos/" + FRAGMENTED + ".mp4"));
        // no x264 settings text in the stream, as from a hardware encoder: smart-cut with the head's own SPS/PPS
        Files.copy(Media.numbered("nosei.mkv", 20, "-bsf:v", "filter_units=remove_types=6"),
                home.resolve("videos/" + NOT_X264 + ".mkv"));
        // x264's options text (in the first frame's SEI) rewritten as an attacker would, to add a libx264 parameter
        dumped = home.resolve("dumped.yuv");
        byte[] media = Files.readAllBytes(Media.numbered("a.mp4", 20, "-movflags", "+faststart"));
        int options = Media.indexOf(media, "options: ".getBytes(StandardCharsets.ISO_8859_1));
        if (options < 0) {
            throw new IllegalStateException("no x264 options text in the generated recording");
        }
        int at = options + 9;
        int end = at;
        while (media[end] != 0) {
            end++;
        }
        byte[] crafted = String.format("ref=1:dump-yuv=%-" + (end - at - 15) + "s", dumped).getBytes(StandardCharsets.ISO_8859_1);
        assertThat(crafted.length).as("the crafted text fits the SEI").isEqualTo(end - at);
        System.arraycopy(crafted, 0, media, at, crafted.length);
        Files.write(home.resolve("videos/" + CRAFTED + ".mp4"), media);
        // finished long ago (probed at once); files that change later stay "in progress" for the settle time
        try (var files = Files.list(home.resolve("videos"))) {
            for (Path f : files.toList()) {
                Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(3600)));
            }
        }
        app = TestApp.start(home, Map.of("scheincam.library.settle-seconds", "60"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String name : List.of(MKV, MP4, FRAGMENTED, NOT_X264, CRAFTED)) {
                assertThat(json(app.get("/api/videos/" + name)).path("duration").isNumber()).as(name).isTrue();
            }
        });
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void exactStartsOnTheRequestedFrameInEveryContainer() {
        for (String name : List.of(MKV, MP4, FRAGMENTED)) {
            JsonNode job = export(name, "05.5", "09", "exact");
            assertThat(job.path("method").asText()).as(name).isEqualTo("smart-cut");
            assertThat(job.path("note").asText()).as(name).contains("re-encoded up to the next keyframe");
            Path clip = clip(job);
            assertThat(Media.firstFrameLuma(clip)).as("first frame of %s", name)
                    .isCloseTo(luma(frameAt(name, 5.5)), within(8.0));
            assertClean(clip, 3.5, name);
        }
    }

    @Test
    void exactOnAKeyframeCopiesOnly() {
        JsonNode job = export(MKV, "06", "08", "exact");
        assertThat(job.path("method").asText()).isEqualTo("remux");
        assertThat(Media.firstFrameLuma(clip(job))).isCloseTo(luma(180), within(8.0));
        assertClean(clip(job), 2.0, MKV);
    }

    @Test
    void theDefaultIsFrameExact() {
        JsonNode job = export(MKV, "05.5", "09", null);
        assertThat(job.path("mode").asText()).isEqualTo("exact");
        assertThat(job.path("method").asText()).isEqualTo("smart-cut");
        assertThat(Media.firstFrameLuma(clip(job))).isCloseTo(luma(frameAt(MKV, 5.5)), within(8.0));
    }

    @Test
    void copyShowsTheRequestedFrameThroughTheEditList() {
        for (String name : List.of(MKV, MP4, FRAGMENTED)) {
            JsonNode job = export(name, "04.1", "11.2", "copy");
            assertThat(job.path("mode").asText()).isEqualTo("copy");
            assertThat(job.path("method").asText()).isEqualTo("remux");
            Path clip = clip(job);
            // 4.1 s lies inside frame 123 (4.100 s): the frame shown at that moment comes first
            assertThat(Media.firstFrameLuma(clip)).as(name).isCloseTo(luma(frameAt(name, 4.1)), within(8.0));
            assertClean(clip, 7.1, name);
            byte[] head = head(clip, 4096);
            assertThat(Media.boxOffset(head, "moov")).as("index before the media data").isLessThan(Media.boxOffset(head, "mdat"));
        }
    }

    @Test
    void aClipEndingJustInsideAFrameHoldsNoFrameOfItsEnd() {
        // 5.867 s lies 0.33 ms into frame 176 (5.8667 s): that frame is the one shown after the clip, so the
        // file holds frames 165-175 only (all re-encoded: the next keyframe is at 6 s); a player ignoring the
        // edit list (Firefox) would show a 12th. MP4's time units are finer than Matroska's milliseconds,
        // which store that frame at 5.867 s itself.
        for (String name : List.of(MP4, FRAGMENTED)) {
            JsonNode job = export(name, "05.5", "05.867", "exact");
            assertThat(job.path("method").asText()).as(name).isEqualTo("smart-cut");
            Path clip = clip(job);
            String packets = Media.run(List.of(Media.FFMPEG.ffprobe(), "-v", "error", "-ignore_editlist", "1",
                    "-select_streams", "v:0", "-count_packets", "-show_entries", "stream=nb_read_packets", "-of", "csv=p=0",
                    clip.toString())).trim();
            assertThat(packets).as("pictures in the clip of %s", name).isEqualTo("11");
            assertClean(clip, 11 / FPS, name);
        }
    }

    @Test
    void recordingsWithoutX264SettingsAreSmartCutWithTheHeadsOwnParameterSets() {
        JsonNode job = export(NOT_X264, "05.5", "08", "exact");
        assertThat(job.path("method").asText()).isEqualTo("smart-cut");
        assertThat(job.path("note").asText()).contains("own SPS/PPS").contains("carried beside the recording's");
        Path clip = clip(job);
        assertThat(Media.firstFrameLuma(clip)).isCloseTo(luma(165), within(8.0));
        assertClean(clip, 2.5, NOT_X264);
    }

    @Test
    void aCraftedX264OptionsTextWritesNothingOutsideVideos() throws IOException {
        List<Path> before = filesOutsideVideos();
        JsonNode job = export(CRAFTED, "05.5", "07", "exact");
        assertThat(job.path("method").asText()).isEqualTo("reencode");
        assertThat(job.path("note").asText()).contains("cannot be smart-cut").contains("x264 option ref");
        assertThat(dumped).as("libx264's dump-yuv from the recording's text").doesNotExist();
        assertThat(filesOutsideVideos()).isEqualTo(before);
        assertThat(Media.duration(clip(job))).isCloseTo(1.5, within(0.1));
    }

    private static List<Path> filesOutsideVideos() throws IOException {
        try (var files = Files.walk(app.home)) {
            return files.filter(f -> !f.startsWith(app.videos) && Files.isRegularFile(f)
                    && !f.getFileName().toString().endsWith(".log")).sorted().toList();
        }
    }

    @Test
    void exportsFromAMatroskaRecordingStillBeingWritten() throws Exception {
        String name = "25-01-24_21-00-00";
        Path file = app.videos.resolve(name + ".mkv");
        Process live = new ProcessBuilder(Media.FFMPEG.ffmpeg(), "-hide_banner", "-v", "error", "-y", "-re",
                "-f", "lavfi", "-i", "color=c=black:s=320x180:r=30:d=120,geq=lum='mod(N\\,8)*28+16':cb=128:cr=128",
                "-re", "-f", "lavfi", "-i", "sine=f=440:d=120",
                "-c:v", "libx264", "-preset", "veryfast", "-g", "60", "-bf", "2", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-flush_packets", "1", "-f", "matroska", file.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(json(app.get("/api/videos/" + name)).path("in_progress").asBoolean()).isTrue());
            // a stretch not yet written is refused before anything runs
            HttpResponse<String> tooLate = app.post("/api/videos/export",
                    "{\"filename\":\"" + name + "\",\"start_time\":\"21:00:01\",\"end_time\":\"21:00:50\"}");
            assertThat(tooLate.statusCode()).as(tooLate.body()).isEqualTo(422);
            assertThat(json(tooLate).path("detail").asText()).contains("outside the recording");
            String request = "{\"filename\":\"" + name + "\",\"start_time\":\"21:00:02.5\",\"end_time\":\"21:00:06\",\"mode\":\"exact\"}";
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500)).until(() ->
                    app.post("/api/videos/export", "{\"filename\":\"" + name
                            + "\",\"start_time\":\"21:00:06\",\"end_time\":\"21:00:07\"}").statusCode() == 200);
            HttpResponse<String> r = app.post("/api/videos/export", request);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode job = json(r);
            assertThat(json(app.get("/api/videos/" + name)).path("in_progress").asBoolean()).as("still recording").isTrue();
            assertThat(job.path("method").asText()).isEqualTo("smart-cut");
            Path clip = clip(job);
            assertThat(Media.firstFrameLuma(clip)).isCloseTo(luma(75), within(8.0));
            assertClean(clip, 3.5, name);
        } finally {
            live.destroy();
            live.waitFor();
        }
    }

    @Test
    void aFragmentedMp4StillBeingWrittenIsCutUpToItsLastCompleteFragment() throws IOException {
        String name = "25-01-24_21-20-00";
        Path source = Media.numbered("frag.mp4", 20, "-movflags", "+frag_keyframe+empty_moov+default_base_moof");
        byte[] all = Files.readAllBytes(source);
        // as OBS leaves it mid-show: cut inside a fragment at about 60 %
        Files.write(app.videos.resolve(name + ".mp4"), java.util.Arrays.copyOf(all, all.length * 6 / 10));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(json(app.get("/api/videos/" + name)).path("in_progress").asBoolean()).isTrue());
        HttpResponse<String> tooLate = app.post("/api/videos/export",
                "{\"filename\":\"" + name + "\",\"start_time\":\"21:20:05\",\"end_time\":\"21:20:19\"}");
        assertThat(tooLate.statusCode()).as(tooLate.body()).isEqualTo(422);
        HttpResponse<String> r = app.post("/api/videos/export",
                "{\"filename\":\"" + name + "\",\"start_time\":\"21:20:01.5\",\"end_time\":\"21:20:05\",\"mode\":\"exact\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Path clip = clip(json(r));
        assertThat(Media.firstFrameLuma(clip)).isCloseTo(luma(frameAt(FRAGMENTED, 1.5)), within(8.0));
        assertClean(clip, 3.5, name);
    }

    @Test
    void aPlainMp4StillBeingWrittenAnswers409AndStartsNothing() throws IOException {
        String name = "25-01-24_21-10-00";
        Path whole = Media.numbered("moov-last.mp4", 20);
        byte[] all = Files.readAllBytes(whole);
        // OBS writes the index (moov) only when it stops: mid-show the file ends inside the media data
        Files.write(app.videos.resolve(name + ".mp4"), java.util.Arrays.copyOf(all, all.length / 2));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(json(app.get("/api/videos/" + name)).path("in_progress").asBoolean()).isTrue());
        int runs = app.programRuns();
        for (String mode : List.of("copy", "exact")) {
            HttpResponse<String> r = app.post("/api/videos/export",
                    "{\"filename\":\"" + name + "\",\"start_time\":\"21:10:00\",\"end_time\":\"21:10:01\",\"mode\":\"" + mode + "\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
            assertThat(json(r).path("detail").asText()).contains("still being recorded as a plain MP4");
        }
        assertThat(app.programRuns()).isEqualTo(runs);
    }

    // --- helpers -------------------------------------------------------------------------------------

    /** The frame a player shows at {@code seconds} in that recording (its picture track may start late). */
    private static int frameAt(String name, double seconds) {
        Path file = app.videos.resolve(json(app.get("/api/videos/" + name)).path("filename").asText());
        double videoStart = 0;
        for (JsonNode s : Media.probe(file).path("streams")) {
            if ("video".equals(s.path("codec_type").asText())) {
                videoStart = s.path("start_time").asDouble();
            }
        }
        return (int) Math.floor((seconds - videoStart) * FPS + 0.001); // start_time has 6 decimals
    }

    private static double luma(int frame) {
        return (frame % 8) * 28 + 16;
    }

    /** Decodes without a message, lasts as asked, and picture and sound start and end together (≤ 40 ms). */
    private static void assertClean(Path clip, double seconds, String name) {
        assertThat(Media.decodeErrors(clip)).as("decode errors in the clip of %s", name).isEmpty();
        assertThat(Media.duration(clip)).as(name).isCloseTo(seconds, within(0.05));
        List<double[]> streams = new ArrayList<>();
        for (JsonNode s : Media.probe(clip).path("streams")) {
            streams.add(new double[] {s.path("start_time").asDouble(), s.path("duration").asDouble()});
        }
        assertThat(streams).as("picture and sound").hasSize(2);
        assertThat(Math.abs(streams.get(0)[0] - streams.get(1)[0])).as("start difference").isLessThanOrEqualTo(0.04);
        assertThat(Math.abs(streams.get(0)[0] + streams.get(0)[1] - streams.get(1)[0] - streams.get(1)[1]))
                .as("end difference").isLessThanOrEqualTo(0.04);
    }

    private static String body(String name, String fromSeconds, String toSeconds, String mode) {
        return "{\"filename\":\"" + name + "\",\"start_time\":\"19:50:" + pad(fromSeconds) + "\",\"end_time\":\"19:50:"
                + pad(toSeconds) + "\"" + (mode == null ? "" : ",\"mode\":\"" + mode + "\"") + "}";
    }

    /** Export at offsets into the recording, whatever its start time; waits until it is done. */
    private static JsonNode export(String name, String fromSeconds, String toSeconds, String mode) {
        String start = json(app.get("/api/videos/" + name)).path("start_time").asText().substring(11, 16);
        String request = body(name, fromSeconds, toSeconds, mode).replace("19:50:", start + ":");
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

    private static String pad(String seconds) {
        return seconds.indexOf('.') == 1 || seconds.length() == 1 ? "0" + seconds : seconds;
    }

    private static byte[] head(Path file, int n) {
        try (var in = Files.newInputStream(file)) {
            return in.readNBytes(n);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
