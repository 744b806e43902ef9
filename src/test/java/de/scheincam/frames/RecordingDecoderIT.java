package de.scheincam.frames;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import de.scheincam.testing.Media;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The in-process decoder's shortcuts against an exact decode, on a busy moving picture (testsrc2,
 * x264 as OBS uses it: 2 B-frames with pyramid, long GOP): skipping B-frames far before the target
 * must not change the frame at all; skipping deblocking on the way may change it only slightly.
 */
class RecordingDecoderIT {

    static Path busy;

    @BeforeAll
    static void generate() throws Exception {
        busy = Path.of("target", "media", "30s-testsrc2-gop150.mkv").toAbsolutePath();
        if (!Files.exists(busy)) {
            Files.createDirectories(busy.getParent());
            Path tmp = busy.resolveSibling("tmp-" + busy.getFileName());
            Media.run(List.of(Media.FFMPEG.ffmpeg(), "-hide_banner", "-v", "error", "-y",
                    "-f", "lavfi", "-i", "testsrc2=s=640x360:r=30:d=30",
                    "-c:v", "libx264", "-preset", "veryfast", "-b:v", "1500k",
                    "-x264-params", "keyint=150:min-keyint=150:bframes=2", "-pix_fmt", "yuv420p", tmp.toString()));
            Files.move(tmp, busy);
        }
        new DecoderPool(1, 0, 1, 1000, java.time.Duration.ofSeconds(5), true).available(); // loads the libraries, quiets their log
    }

    @Test
    void skippingBFramesLongBeforeTheTargetGivesTheSameFrame() {
        try (RecordingDecoder exact = RecordingDecoder.open(busy, 2, java.time.Duration.ofSeconds(30)); RecordingDecoder fast = RecordingDecoder.open(busy, 2, java.time.Duration.ofSeconds(30))) {
            assertThat(fast.bFramesSkippable()).as("x264's P-frames never refer to B-frames").isEqualTo(Boolean.TRUE);
            fast.skipBidirectional(true);
            for (int millis : new int[] {4_933, 9_966, 12_345, 19_000, 24_967, 27_500}) {
                BufferedImage a = exact.frameAt(Duration.ofMillis(millis), 640, 360).image();
                BufferedImage b = fast.frameAt(Duration.ofMillis(millis), 640, 360).image();
                assertThat(pixels(b)).as("frame at %d ms", millis).isEqualTo(pixels(a));
            }
        }
    }

    @Test
    void theFrameIsTheOneAtTheRequestedTime() {
        try (RecordingDecoder decoder = RecordingDecoder.open(busy, 2, java.time.Duration.ofSeconds(30))) {
            for (int millis : new int[] {0, 1_000, 4_950, 17_533, 29_900}) {
                DecodedFrame frame = decoder.frameAt(Duration.ofMillis(millis), 640, 360);
                assertThat(frame.at().toMillis()).as("at %d ms", millis).isBetween((long) millis - 1, millis + 34L);
            }
        }
    }

    @Test
    void aTimePastTheEndSaysHowFarTheFileReaches() {
        try (RecordingDecoder decoder = RecordingDecoder.open(busy, 2, java.time.Duration.ofSeconds(30))) {
            assertThatThrownBy(() -> decoder.frameAt(Duration.ofSeconds(45), 640, 360))
                    .isInstanceOf(DecodeFailed.class)
                    .satisfies(e -> assertThat(((DecodeFailed) e).reachedUpTo().toMillis()).isBetween(29_000L, 30_000L));
            // and the decoder is still usable afterwards
            assertThat(decoder.frameAt(Duration.ofSeconds(3), 640, 360).at().toMillis()).isBetween(2_999L, 3_034L);
        }
    }

    /**
     * Scrubbing: forward one second at a time (across keyframes every 5 s), a frame at once after the
     * last one, then backward. The decoder that walks on from its last frame shows, every time, the frame
     * a decoder seeking to the keyframe shows (same timestamp, the picture within the shortcut's
     * tolerance: it may differ only by deblocking on the way, PSNR ≥ 40 dB), and it does walk where it
     * should: within a GOP forward, never backward.
     */
    @Test
    void scrubbingWalksForwardAndShowsTheFramesASeekShows() {
        try (RecordingDecoder walking = RecordingDecoder.open(busy, 2, Duration.ofSeconds(30));
             RecordingDecoder seeking = RecordingDecoder.open(busy, 2, Duration.ofSeconds(30))) {
            walking.walkForward(true);
            List<Integer> times = new java.util.ArrayList<>();
            for (int millis = 500; millis < 29_000; millis += 1_000) {
                times.add(millis);
            }
            times.add(28_533); // the very next frame after 28.5 s
            for (int millis = 27_700; millis > 0; millis -= 1_300) {
                times.add(millis);
            }
            int walks = 0;
            Integer last = null;
            for (int millis : times) {
                Duration at = Duration.ofMillis(millis);
                boolean walks0 = walking.walksTo(at);
                if (last != null && millis < last) {
                    assertThat(walks0).as("backward to %d ms", millis).isFalse();
                }
                if (last != null && millis > last && millis / 5_000 == last / 5_000) {
                    assertThat(walks0).as("forward within a GOP to %d ms", millis).isTrue();
                }
                walks += walks0 ? 1 : 0;
                DecodedFrame a = walking.frameAt(at, 640, 360);
                DecodedFrame b = seeking.frameAt(at, 640, 360);
                assertThat(a.at()).as("frame at %d ms", millis).isEqualTo(b.at());
                assertThat(psnr(a.image(), b.image())).as("picture at %d ms", millis).isGreaterThanOrEqualTo(40.0);
                last = millis;
            }
            assertThat(walks).as("frames reached by walking").isGreaterThanOrEqualTo(20);
        }
    }

    @Test
    void withoutWalkingEveryFrameSeeks() {
        try (RecordingDecoder decoder = RecordingDecoder.open(busy, 2, Duration.ofSeconds(30))) {
            decoder.walkForward(false);
            decoder.frameAt(Duration.ofMillis(1_000), 640, 360);
            assertThat(decoder.walksTo(Duration.ofMillis(2_000))).isFalse();
        }
    }

    @Test
    void aFileThatIsNotAVideoFailsCleanly() throws Exception {
        Path text = Files.writeString(Files.createTempFile(Path.of("target"), "not-a-video", ".mkv"), "hello");
        assertThatThrownBy(() -> RecordingDecoder.open(text, 1, java.time.Duration.ofSeconds(30))).isInstanceOf(DecodeFailed.class);
        Files.delete(text);
    }

    private static double psnr(BufferedImage a, BufferedImage b) {
        byte[] x = pixels(a);
        byte[] y = pixels(b);
        assertThat(y).hasSameSizeAs(x);
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            int d = (x[i] & 0xff) - (y[i] & 0xff);
            sum += d * d;
        }
        return sum == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 * x.length / sum);
    }

    private static byte[] pixels(BufferedImage image) {
        return ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    }
}
