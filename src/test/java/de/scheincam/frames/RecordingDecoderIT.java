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
        new DecoderPool(1, 0, 1, 1000, java.time.Duration.ofSeconds(5)).available(); // loads the libraries, quiets their log
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

    @Test
    void aFileThatIsNotAVideoFailsCleanly() throws Exception {
        Path text = Files.writeString(Files.createTempFile(Path.of("target"), "not-a-video", ".mkv"), "hello");
        assertThatThrownBy(() -> RecordingDecoder.open(text, 1, java.time.Duration.ofSeconds(30))).isInstanceOf(DecodeFailed.class);
        Files.delete(text);
    }

    private static byte[] pixels(BufferedImage image) {
        return ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    }
}
