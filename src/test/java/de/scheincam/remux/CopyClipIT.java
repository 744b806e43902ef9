package de.scheincam.remux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import de.scheincam.testing.Media;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Stream-copied clips as players and services see them, with and without the MP4 edit lists (Firefox
 * and many upload pipelines ignore them; {@code ffmpeg -ignore_editlist 1} shows what they see), cut from
 * generated recordings with an OBS-like GOP and two sound tracks with different tones: every track is
 * kept, picture and sound start together either way, and nothing plays past the end.
 */
class CopyClipIT {

    static final double FRAME = 1 / 30.0;

    @ParameterizedTest
    @ValueSource(strings = {"a.mkv", "a.mp4", "frag.mp4"})
    void everySoundTrackStartsWithThePictureWithAndWithoutEditListsAndNothingPlaysPastTheEnd(String name) throws IOException {
        Path recording = name.startsWith("frag")
                ? Media.twoSounds(name, 40, "-movflags", "frag_keyframe+empty_moov+delay_moov")
                : Media.twoSounds(name, 40);
        ClipCutter cutter = new ClipCutter(32);
        // mid-GOP, on a keyframe, one second, the recording's last frames, many GOPs; one second in the API's
        // milliseconds, ending 0.7 ms into a frame (its reference frames past the end must stay outside the edit)
        double[][] stretches = {{12.4, 22.4}, {10, 13}, {17.3, 18.3}, {33.55, 39.9}, {1.1, 38.7}, {17.334, 18.334}};
        for (double[] s : stretches) {
            String what = name + " " + s[0] + "–" + s[1];
            RecordingIndex index = cutter.index(recording, s[0], s[1]);
            Cut cut = cutter.copy(index, s[0], s[1]);
            assertThat(cut.soundTracks()).as(what).isEqualTo(2);
            Path clip = Files.createTempFile(Path.of("target"), "copy-", ".mp4");
            cut.write(clip, p -> { });
            double length = s[1] - s[0];
            double keyframe = keyframeBefore(index, s[0]);
            double lead = cut.startSeconds() - keyframe;

            assertThat(Media.run(List.of(Media.FFMPEG.ffmpeg(), "-v", "error", "-xerror", "-i", clip.toString(),
                    "-map", "0", "-f", "null", "-"))).as(what + ": decodes cleanly").isEmpty();
            JsonNode streams = Media.probe(clip).path("streams");
            assertThat(streams.findValuesAsText("codec_type")).as(what).containsExactly("video", "audio", "audio");
            assertThat(streams.get(1).path("disposition").path("default").asInt()).as(what + ": first sound plays").isEqualTo(1);
            assertThat(streams.get(2).path("disposition").path("default").asInt()).as(what + ": second one is offered").isZero();

            // edit lists honoured: every stream from the requested time, for the requested length
            for (JsonNode st : streams) {
                assertThat(st.path("start_time").asDouble()).as(what + " start " + st.path("index")).isCloseTo(0, within(0.001));
                assertThat(st.path("duration").asDouble()).as(what + " length " + st.path("index")).isCloseTo(length, within(FRAME));
            }
            assertThat(Media.firstFrameLuma(clip)).as(what + ": first frame is the requested one")
                    .isCloseTo(luma(s[0]), within(6.0));
            assertThat(mediainfoSeconds(clip)).as(what + ": mediainfo's length").isCloseTo(length, within(FRAME));

            // edit lists ignored: the run-up from the keyframe shows, picture and every sound start together
            // and end together, and no picture is shown after the requested end
            List<double[]> ignored = ignoringEditLists(clip);
            for (int k = 1; k <= 2; k++) {
                assertThat(Math.abs(ignored.get(k)[0] - ignored.get(0)[0])).as(what + ": sound %d starts with the picture", k)
                        .isLessThan(0.040);
                assertThat(ignored.get(k)[1]).as(what + ": sound %d's length", k).isCloseTo(lead + length, within(0.040));
            }
            assertThat(ignored.get(0)[1]).as(what + ": the picture's length, nothing past the end").isCloseTo(lead + length, within(FRAME));
            assertThat(firstFrameLumaIgnoringEditLists(clip)).as(what + ": first frame then is the keyframe")
                    .isCloseTo(luma(keyframe), within(6.0));

            // each track keeps its own tone
            assertThat(tone(clip, 0)).as(what + ": first sound track").isCloseTo(440, within(15.0));
            assertThat(tone(clip, 1)).as(what + ": second sound track").isCloseTo(1000, within(15.0));
            Files.delete(clip);
        }
    }

    private static double keyframeBefore(RecordingIndex index, double seconds) {
        double key = 0;
        for (Sample x : index.video().samples()) {
            double t = x.pts() / (double) index.video().timescale();
            if (x.key() && t <= seconds + 0.0005) {
                key = Math.max(key, t);
            }
        }
        return key;
    }

    /** The luma the numbered recording codes into the frame shown at {@code seconds}. */
    private static double luma(double seconds) {
        long frame = Math.round(seconds * 30);
        return (frame % 8) * 28 + 16;
    }

    /** {start, duration} of each stream as ffprobe reads them with -ignore_editlist 1. */
    private static List<double[]> ignoringEditLists(Path clip) {
        String csv = Media.run(List.of(Media.FFMPEG.ffprobe(), "-v", "error", "-ignore_editlist", "1",
                "-show_entries", "stream=start_time,duration", "-of", "csv=p=0", clip.toString()));
        List<double[]> out = new ArrayList<>();
        for (String line : csv.strip().split("\n")) {
            String[] f = line.strip().split(",");
            out.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1])});
        }
        return out;
    }

    private static double mediainfoSeconds(Path clip) {
        return Double.parseDouble(Media.run(List.of("mediainfo", "--Inform=General;%Duration%", clip.toString())).strip()) / 1000;
    }

    private static double firstFrameLumaIgnoringEditLists(Path clip) throws IOException {
        Path raw = Files.createTempFile(Path.of("target"), "frame-", ".yuv");
        Media.run(List.of(Media.FFMPEG.ffmpeg(), "-v", "error", "-y", "-ignore_editlist", "1", "-i", clip.toString(),
                "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "yuv420p", raw.toString()));
        byte[] y = Files.readAllBytes(raw);
        Files.delete(raw);
        double sum = 0;
        int n = 0;
        for (int row = 45; row < 135; row++) {
            for (int x = 80; x < 240; x++) {
                sum += y[row * 320 + x] & 0xFF;
                n++;
            }
        }
        return sum / n;
    }

    /** The frequency of sound track {@code k} over the clip's second half-second, from its zero crossings. */
    private static double tone(Path clip, int k) throws IOException {
        Path raw = Files.createTempFile(Path.of("target"), "tone-", ".pcm");
        Media.run(List.of(Media.FFMPEG.ffmpeg(), "-v", "error", "-y", "-i", clip.toString(), "-map", "0:a:" + k,
                "-ss", "0.25", "-t", "0.5", "-ac", "1", "-ar", "48000", "-f", "s16le", raw.toString()));
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN);
        Files.delete(raw);
        int samples = b.remaining() / 2;
        int crossings = 0;
        short previous = b.getShort();
        while (b.remaining() >= 2) {
            short x = b.getShort();
            if (previous < 0 && x >= 0) {
                crossings++;
            }
            previous = x;
        }
        return crossings / (samples / 48000.0);
    }
}
