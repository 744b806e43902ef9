package de.scheincam;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import de.scheincam.remux.ClipCutter;
import de.scheincam.remux.Join;
import de.scheincam.testing.ClipCheck;
import de.scheincam.testing.Media;
import de.scheincam.testing.ObsCorpus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Two real OBS recordings made with the same settings (the corpus's Simple output, x264 CBR), joined
 * as a show's parts are across a gap: the end of the first from a time mid-GOP to its last frame, the
 * start of the second. They must join as one stream copy (no ffmpeg), last the two stretches' sum, decode
 * without an error, and show at both sides of the join the sources' own frames. One of them is the
 * recording of an OBS that was killed (no duration in its header), as after a crash.
 */
class ObsJoinIT {

    private static final double FRAME = 1 / ObsCorpus.FPS;

    @ParameterizedTest
    @CsvSource({"mkv-cbr, 12.0, mkv-crashed, 6.0", "mp4-frag, 10.5, mov-cbr, 5.0", "mkv-crashed, 9.1, mkv-cbr, 4.0"})
    void twoRecordingsWithTheSameObsSettingsJoinAsOneStreamCopy(String first, double from, String second, double to) throws IOException {
        ObsCorpus corpus = ObsCorpus.get();
        ObsCorpus.Source a = corpus.source(first);
        ObsCorpus.Source b = corpus.source(second);
        ClipCutter cutter = new ClipCutter(32);
        // throws UnsupportedSource where the parts would need ffmpeg
        Join join = cutter.join(List.of(new ClipCutter.Piece(a.path(), from, a.end()), new ClipCutter.Piece(b.path(), 0, to)), false);
        join.requirePictures();
        Path clip = Files.createTempFile(Path.of("target"), "obs-join-", ".mp4");
        join.write(clip, p -> { });
        String what = first + " " + from + "–end + " + second + " 0–" + to;

        double shownFrom = a.frameAt(from);
        double firstPart = a.end() - shownFrom;
        double sum = firstPart + to;
        assertThat(Media.run(List.of(ObsCorpus.FFMPEG, "-v", "error", "-xerror", "-i", clip.toString(), "-map", "0",
                "-f", "null", "-"))).as(what + ": decodes without an error").isEmpty();
        JsonNode probe = ObsCorpus.probe(clip);
        assertThat(probe.path("format").path("duration").asDouble()).as(what + ": ffprobe's duration").isCloseTo(sum, within(2 * FRAME));
        for (JsonNode st : probe.path("streams")) {
            assertThat(st.path("duration").asDouble()).as(what + ": stream " + st.path("codec_type").asText())
                    .isCloseTo(sum, within(2 * FRAME));
        }
        // both sides of the join: the first part's last frame, then the second part's first
        assertFrame(clip, a.lastFrame() - shownFrom, a, a.lastFrame(), what + ": before the join");
        assertFrame(clip, firstPart, b, 0.0, what + ": after the join");
        assertFrame(clip, 0, a, shownFrom, what + ": the first frame");
        Files.delete(clip);
    }

    /** The clip's frame at {@code at} is the source's at {@code t}, not its neighbour's. */
    private static void assertFrame(Path clip, double at, ObsCorpus.Source source, double t, String what) throws IOException {
        Path png = Files.createTempFile(Path.of("target"), "obs-join-frame-", ".png");
        try {
            Media.run(List.of(ObsCorpus.FFMPEG, "-nostdin", "-v", "error", "-y", "-ss", String.format(Locale.ROOT, "%.4f", Math.max(0, at - 0.0005)),
                    "-i", clip.toString(), "-frames:v", "1", png.toString()));
            double right = ClipCheck.ssim(png, ClipCheck.reference(source, t));
            double before = t > 0 ? ClipCheck.ssim(png, ClipCheck.reference(source, source.frameAt(t - 1e-3))) : 0;
            double after = t < source.lastFrame() ? ClipCheck.ssim(png, ClipCheck.reference(source, source.frameAt(t + FRAME + 1e-3))) : 0;
            System.out.printf(Locale.ROOT, "JOIN %s: SSIM %.4f (neighbours %.4f, %.4f)%n", what, right, before, after);
            assertThat(right).as(what + ": SSIM with the source's frame").isGreaterThan(0.99);
            assertThat(right).as(what + ": closer than the frame before").isGreaterThan(before);
            assertThat(right).as(what + ": closer than the frame after").isGreaterThan(after);
        } finally {
            Files.deleteIfExists(png);
        }
    }
}
