package de.scheincam.remux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import de.scheincam.testing.Media;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Parts of a show joined into one stream-copied clip, from generated recordings with the same encoder
 * settings (each frame's brightness tells its second, (second mod 10) × 25): every frame of both
 * stretches in order and nothing of the time between them, in one decodable MP4 that lasts their sum.
 * Parts that cannot share one track (another picture size) or a later part starting between
 * keyframes are refused by the joiner, for ffmpeg to do.
 */
public class JoinClipIT {

    static final double FRAME = 1 / 30.0;
    /**
     * A part ending mid-GOP before another ends where no later-shown frame was decoded before its end:
     * up to the B-frames' count (2) of frames late; the last part, and parts ending at their file's end, to the frame.
     */
    static final double EXTRA = 3 * FRAME;

    @Test
    void twoMatroskaPartsJoinFrameForFrame() throws IOException {
        Path a = Media.cached("join-a.mkv", 20);
        Path b = Media.cached("join-b.mkv", 20);
        // the end of the first part (to its last frame), then the start of the next
        Path clip = join(List.of(new Stretch(a, 12.4, 20), new Stretch(b, 0, 5)));
        assertJoined(clip, List.of(new Stretch(a, 12.4, 20), new Stretch(b, 0, 5)));
    }

    @Test
    void mp4AndMatroskaPartsWithTheSameSettingsJoinAndAPartEndingMidGopHidesItsReferenceFrames() throws IOException {
        Path a = Media.cached("join-c.mp4", 20);
        Path b = Media.cached("join-d.mkv", 20);
        // 11.5 s lies mid-GOP: frames after it are in the clip only as references for B-frames before it
        List<Stretch> parts = List.of(new Stretch(a, 3.5, 11.5), new Stretch(b, 0, 4), new Stretch(a, 16, 19));
        assertThat(joined(parts).get(0).to()).as("the first part ends a B-frame run later").isGreaterThan(11.5 + FRAME / 2);
        assertJoined(join(parts), parts);
    }

    @Test
    void partsWithAnotherPictureSizeOrALaterStartBetweenKeyframesAreLeftToFfmpeg() throws IOException {
        Path a = Media.cached("join-a.mkv", 20);
        Path other = Media.busy("join-other.mkv", 12);
        ClipCutter cutter = new ClipCutter(32);
        ClipCutter.Piece first = new ClipCutter.Piece(a, 15, 20);
        assertThatThrownBy(() -> cutter.join(List.of(first, new ClipCutter.Piece(other, 0, 3)), false))
                .isInstanceOf(UnsupportedSource.class).hasMessageContaining("640×360, not 320×180");
        assertThatThrownBy(() -> cutter.join(List.of(first, new ClipCutter.Piece(a, 2.5, 4)), false))
                .isInstanceOf(UnsupportedSource.class).hasMessageContaining("starts at 2.500 s, between keyframes");
    }

    @Test
    void noPiecesOverlappingOrInvertedPiecesAreRefusedBeforeAnythingIsRead() {
        Path a = Media.cached("join-a.mkv", 20);
        Path b = Media.cached("join-b.mkv", 20);
        ClipCutter cutter = new ClipCutter(32);
        assertThatThrownBy(() -> cutter.join(List.of(), false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nothing to join");
        assertThatThrownBy(() -> cutter.join(List.of(new ClipCutter.Piece(a, 5, 12), new ClipCutter.Piece(b, 0, 3),
                new ClipCutter.Piece(a, 11, 15)), false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pieces 1 and 3 overlap in join-a.mkv".replace("join-a.mkv", a.getFileName().toString()));
        assertThatThrownBy(() -> cutter.join(List.of(new ClipCutter.Piece(a, 5, 5)), false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("piece 1 runs from 5.0 to 5.0 s");
        assertThat(cutter.heldFrames()).as("no recording was read").isZero();
    }

    record Stretch(Path file, double from, double to) {
    }

    private static Path join(List<Stretch> parts) throws IOException {
        // (the frames are checked against the stretches as joined, see joined)
        ClipCutter cutter = new ClipCutter(32);
        Join join = cutter.join(parts.stream().map(s -> new ClipCutter.Piece(s.file(), s.from(), s.to())).toList(), false);
        join.requirePictures();
        Path clip = Files.createTempFile(Path.of("target"), "join-", ".mp4");
        join.write(clip, p -> { });
        assertThat(join.seconds()).isCloseTo(sum(joined(parts)), within(FRAME * parts.size()));
        return clip;
    }

    /** Decodes cleanly, lasts the parts' sum (±1 frame a part), and shows their frames in order as a 30 fps player does. */
    private static void assertJoined(Path clip, List<Stretch> requested) throws IOException {
        List<Stretch> parts = joined(requested);
        assertThat(sum(parts)).as("what the parts add up to").isCloseTo(sum(requested), within(EXTRA * requested.size()));
        double sum = sum(parts);
        assertThat(Media.run(List.of(Media.FFMPEG.ffmpeg(), "-v", "error", "-xerror", "-i", clip.toString(),
                "-map", "0", "-f", "null", "-"))).as("decodes cleanly").isEmpty();
        JsonNode streams = Media.probe(clip).path("streams");
        assertThat(streams.findValuesAsText("codec_type")).containsExactly("video", "audio");
        for (JsonNode st : streams) {
            assertThat(st.path("duration").asDouble()).as("length of stream " + st.path("index"))
                    .isCloseTo(sum, within(FRAME * parts.size()));
        }
        int[] luma = frameLumas(clip);
        List<Double> expected = new ArrayList<>();
        for (Stretch s : parts) {
            for (long f = Math.round(s.from() * 30); f < Math.round(s.to() * 30); f++) {
                // the coded luma (limited range) as ffmpeg's gray output shows it (full range)
                expected.add(Math.max(0, ((Math.floor(f / 30.0) % 10) * 25 - 16) * 255 / 219));
            }
        }
        assertThat(luma.length).as("frames").isCloseTo(expected.size(), within(parts.size()));
        int wrong = 0;
        StringBuilder where = new StringBuilder();
        for (int i = 0; i < Math.min(luma.length, expected.size()); i++) {
            if (Math.abs(luma[i] - expected.get(i)) > 8) {
                wrong++;
                where.append(i).append(':').append(luma[i]).append("≠").append(expected.get(i)).append(' ');
            }
        }
        assertThat(wrong).as("frames showing another second than their part's: " + where).isZero();
    }

    /** The stretches as joined: a part before another ends where nothing later-shown was decoded before it. */
    private static List<Stretch> joined(List<Stretch> parts) throws IOException {
        ClipCutter cutter = new ClipCutter(32);
        List<Stretch> out = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            Stretch s = parts.get(i);
            out.add(i == parts.size() - 1 ? s
                    : new Stretch(s.file(), s.from(), ClipCutter.joinEnd(cutter.index(s.file(), s.from(), s.to()).video(), s.to())));
        }
        return out;
    }

    private static double sum(List<Stretch> parts) {
        return parts.stream().mapToDouble(s -> s.to() - s.from()).sum();
    }

    /** The mean luma of the centre of each frame, at 30 fps as a player shows it. */
    public static int[] frameLumas(Path clip) {
        try {
            Process p = new ProcessBuilder(Media.FFMPEG.ffmpeg(), "-v", "error", "-i", clip.toString(), "-map", "0:v:0",
                    "-vf", "crop=160:90:80:45,scale=1:1:flags=area", "-fps_mode", "cfr", "-r", "30",
                    "-f", "rawvideo", "-pix_fmt", "gray", "-").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] raw = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("ffmpeg could not decode " + clip);
            }
            int[] out = new int[raw.length];
            for (int i = 0; i < raw.length; i++) {
                out[i] = raw[i] & 0xFF;
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
