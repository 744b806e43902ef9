package de.scheincam;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.scheincam.testing.Media;
import de.scheincam.testing.Pictures;
import de.scheincam.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;
import static org.awaitility.Awaitility.await;

/**
 * Frames and filmstrips of recordings OBS is still writing: a growing mkv and a growing fragmented MP4
 * are readable up to about a second ago; a growing plain MP4 is refused with a 409 that says why.
 * "Growing" files are the first three quarters of a finished 40-second recording, named as if OBS had
 * started them 20 seconds ago, so the wall clock (not the data) is the limit.
 */
class LiveFramesIT {

    private static final DateTimeFormatter OBS_NAME = DateTimeFormatter.ofPattern("yy-MM-dd_HH-mm-ss");
    private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss");
    static TestApp app;
    static LocalDateTime mkvStart;
    static LocalDateTime fragmentedStart;
    static LocalDateTime plainStart;

    @BeforeAll
    static void boot() throws IOException {
        // a file counts as being written until its size stands still this long: all the test
        app = TestApp.start(Map.of("scheincam.library.settle-seconds", "3600"));
        LocalDateTime now = LocalDateTime.now(ZoneId.of("Europe/Berlin")).withNano(0);
        mkvStart = now.minusSeconds(20);
        fragmentedStart = now.minusSeconds(21);
        plainStart = now.minusSeconds(22);
        growing(Media.cached("a.mkv", 40), mkvStart, "mkv");
        growing(fragmented(), fragmentedStart, "mp4");
        growing(Media.cached("a.mp4", 40), plainStart, "mp4");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            for (LocalDateTime start : List.of(mkvStart, fragmentedStart, plainStart)) {
                assertThat(json(app.get("/api/videos/" + OBS_NAME.format(start))).path("in_progress").asBoolean()).isTrue();
            }
        });
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void frameFromAGrowingMkvShowsTheRightSecond() {
        assertFrame(mkvStart, 12);
        assertFrame(mkvStart, 3);
    }

    @Test
    void frameFromAGrowingFragmentedMp4ShowsTheRightSecond() {
        assertFrame(fragmentedStart, 14);
    }

    @Test
    void aMomentNotRecordedYetIsRefused() {
        HttpResponse<String> r = frame(mkvStart, 35);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(json(r).path("detail").asText()).contains("outside the recording");
    }

    @Test
    void aGrowingPlainMp4IsAConflictThatSaysWhy() {
        HttpResponse<String> r = frame(plainStart, 5);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
        assertThat(json(r).path("detail").asText()).contains("still being recorded", "plain MP4", "mkv or fragmented MP4");
        HttpResponse<String> strip = app.get("/api/videos/" + OBS_NAME.format(plainStart) + "/filmstrip?every=5");
        assertThat(strip.statusCode()).as(strip.body()).isEqualTo(409);
    }

    @Test
    void filmstripOfAGrowingMkvCoversWhatExistsAndIsNotKept() throws IOException {
        String name = OBS_NAME.format(mkvStart);
        HttpResponse<String> r = app.get("/api/videos/" + name + "/filmstrip?every=5");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode strip = json(r);
        // 20 s and more since the start, less the live margin: at least three tiles, never past the data (30 s)
        // (at 5 s a tile: 4 tiles at least; a loaded machine may reach the file's end, 40 s, before this runs)
        assertThat(strip.path("count").asInt()).isBetween(4, 9);
        assertThat(strip.path("times").get(1).asText()).isEqualTo(HMS.format(mkvStart.plusSeconds(5)));
        HttpResponse<byte[]> sprite = app.getBytes(strip.path("sprite_url").asText());
        assertThat(sprite.statusCode()).isEqualTo(200);
        assertThat(sprite.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(Pictures.centreLuma(Pictures.jpeg(sprite.body()), 2 * 160, 0, 160, 90))
                .isCloseTo(Pictures.expectedLuma(10), offset(10.0));
        Path kept = app.videos.resolve(".filmstrip/" + name + "-5.json");
        assertThat(kept).doesNotExist();
    }

    private static void assertFrame(LocalDateTime start, int second) {
        HttpResponse<String> r = frame(start, second);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.path("timestamp").asText()).isEqualTo(HMS.format(start.plusSeconds(second)));
        assertThat(Pictures.centreLuma(Pictures.dataUrl(body.path("image").asText())))
                .as("second %d", second).isCloseTo(Pictures.expectedLuma(second), offset(8.0));
    }

    private static HttpResponse<String> frame(LocalDateTime start, int second) {
        return app.post("/api/videos/frame", "{\"filename\":\"" + OBS_NAME.format(start) + "\",\"timestamp\":\""
                + HMS.format(start.plusSeconds(second)) + "\"}");
    }

    /** The first three quarters of a finished recording, written into the library as OBS would. */
    private static void growing(Path finished, LocalDateTime start, String container) throws IOException {
        long keep = Files.size(finished) * 3 / 4;
        Path target = app.videos.resolve(OBS_NAME.format(start) + "." + container);
        try (InputStream in = Files.newInputStream(finished); OutputStream out = Files.newOutputStream(target)) {
            out.write(in.readNBytes((int) keep));
        }
    }

    /** A 40-second recording as OBS's fragmented MP4 writes it: a fragment per keyframe, index up front. */
    private static synchronized Path fragmented() {
        Path file = Path.of("target", "media", "40s-fragmented.mp4").toAbsolutePath();
        if (!Files.exists(file)) {
            Path tmp = file.resolveSibling("tmp-" + file.getFileName());
            Media.run(List.of(Media.FFMPEG.ffmpeg(), "-hide_banner", "-v", "error", "-y",
                    "-i", Media.cached("a.mkv", 40).toString(), "-c", "copy",
                    "-movflags", "frag_keyframe+empty_moov+default_base_moof", tmp.toString()));
            try {
                Files.move(tmp, file);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return file;
    }
}
