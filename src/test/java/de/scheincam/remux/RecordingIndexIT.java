package de.scheincam.remux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import de.scheincam.testing.Media;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Where the frames of a recording lie, as exports read it: straight from the file (Matroska cluster
 * headers, MP4 sample tables) or from the index made once per recording, and what a clip cut from it
 * looks like on disk. Checked against ffprobe on recordings made by the bundled ffmpeg.
 */
class RecordingIndexIT {

    static Path recording;
    /** ffprobe's packets: {stream, pts (ms), size, keyframe (1/0), position of the block}. */
    static List<long[]> packets;

    @BeforeAll
    static void probe() {
        recording = Media.cached("a.mkv", 120);
        packets = new ArrayList<>();
        String csv = Media.run(List.of(Media.FFMPEG.ffprobe(), "-v", "error", "-show_entries",
                "packet=stream_index,pts,size,flags,pos", "-of", "csv=p=0", recording.toString()));
        for (String line : csv.strip().split("\n")) {
            String[] f = line.strip().split(","); // ffprobe's order: stream, pts, size, pos, flags
            packets.add(new long[] {Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]),
                    f[4].startsWith("K") ? 1 : 0, Long.parseLong(f[3])});
        }
    }

    @Test
    void everyFrameIsWhereFfprobeSaysWithItsTimeSizeAndKeyframeFlag() throws IOException {
        RecordingIndex all = new ClipCutter(0).index(recording, 0, Double.POSITIVE_INFINITY);
        for (int stream = 0; stream < 2; stream++) {
            List<Sample> samples = (stream == 0 ? all.video() : all.audio()).samples();
            List<long[]> expected = new ArrayList<>();
            for (long[] p : packets) {
                if (p[0] == stream) {
                    expected.add(p);
                }
            }
            assertThat(samples).as("stream " + stream).hasSize(expected.size());
            // ffprobe shows sound earlier by the AAC encoder's delay (Matroska's CodecDelay); blocks carry their own time
            long delay = samples.get(0).pts() - expected.get(0)[1];
            assertThat(delay).isBetween(0L, stream == 0 ? 0L : 50L);
            for (int i = 0; i < samples.size(); i++) {
                Sample s = samples.get(i);
                long[] p = expected.get(i);
                assertThat(new long[] {s.pts() - delay, s.size(), s.key() ? 1 : 0}).as("stream %d frame %d", stream, i)
                        .containsExactly(p[1], p[2], p[3]);
                // ffprobe's position is the block's track number; the frame follows it (1 byte), the time (2) and flags (1)
                assertThat(s.offset() - p[4]).as("stream %d frame %d position", stream, i).isEqualTo(4L);
            }
        }
        // and each picture's bytes are H.264 as MP4 stores it: NAL units whose lengths add up to the frame
        byte[] file = Files.readAllBytes(recording);
        for (Sample s : all.video().samples()) {
            int p = (int) s.offset();
            int end = p + s.size();
            while (p < end) {
                p += 4 + ((file[p] & 0xFF) << 24 | (file[p + 1] & 0xFF) << 16 | (file[p + 2] & 0xFF) << 8 | (file[p + 3] & 0xFF));
            }
            assertThat(p).as("NAL units of the frame at %d", s.offset()).isEqualTo(end);
        }
    }

    @Test
    void theIndexMadeOnceGivesWhatTheFileGives() throws IOException {
        ClipCutter learned = new ClipCutter(32);
        learned.learn(recording.toString());
        assertThat(learned.heldFrames()).as("every picture and sound frame is held").isEqualTo(packets.size());
        ClipCutter fromFile = new ClipCutter(0);
        for (double[] window : new double[][] {{0, 10}, {10.5, 40.2}, {61.3, 95.7}, {100, 120}, {0, Double.POSITIVE_INFINITY}}) {
            RecordingIndex a = learned.index(recording, window[0], window[1]);
            RecordingIndex b = fromFile.index(recording, window[0], window[1]);
            assertThat(a.video().samples()).isNotEmpty().isEqualTo(b.video().samples());
            assertThat(a.audio().samples()).isNotEmpty().isEqualTo(b.audio().samples());
            assertThat(a.end()).isEqualTo(b.end());
        }
        assertThat(fromFile.heldFrames()).isZero();
        learned.forget(recording);
        assertThat(learned.heldFrames()).as("a deleted recording's positions are let go").isZero();
    }

    @Test
    void anMp4sTablesReadOnceGiveWhatTheFileGives() throws IOException {
        Path mp4 = Media.cached("a.mp4", 40);
        int frames = Media.run(List.of(Media.FFMPEG.ffprobe(), "-v", "error", "-show_entries", "packet=pts",
                "-of", "csv=p=0", mp4.toString())).strip().split("\n").length;
        ClipCutter learned = new ClipCutter(32);
        learned.learn(mp4.toString());
        assertThat(learned.heldFrames()).isEqualTo(frames);
        ClipCutter fromFile = new ClipCutter(0);
        for (double[] window : new double[][] {{0, 10}, {10.5, 30.2}, {25, 40}}) {
            RecordingIndex a = learned.index(mp4, window[0], window[1]);
            RecordingIndex b = fromFile.index(mp4, window[0], window[1]);
            assertThat(a.video().samples()).isNotEmpty().isEqualTo(b.video().samples());
            assertThat(a.audio().samples()).isNotEmpty().isEqualTo(b.audio().samples());
            assertThat(a.end()).isEqualTo(b.end());
        }
        // a changed file is read again, not taken from what was kept
        Path copy = Files.createTempFile(Path.of("target"), "changing-", ".mp4");
        Files.copy(Media.cached("a.mp4", 20), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(learned.index(copy, 0, 30).end()).isLessThan(21);
        Files.copy(mp4, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(learned.index(copy, 0, 30).end()).isGreaterThan(39);
        Files.delete(copy);
    }

    @Test
    void aClipCopiesWholePagesAndPlaysForItsLength() throws IOException {
        ClipCutter cutter = new ClipCutter(32);
        RecordingIndex index = cutter.index(recording, 20.5, 50.2);
        Cut cut = cutter.copy(index, 20.5, 50.2);
        Path clip = Files.createTempFile(Path.of("target"), "aligned-", ".mp4");
        List<Path> told = new ArrayList<>();
        cut.write(clip, told::add);
        assertThat(told).as("told when the index was written").containsExactly(clip);

        // the clip's pictures are the recording's, from the keyframe before the start, in the same order
        List<Sample> written = Mp4Reader.read(clip, 0, Double.POSITIVE_INFINITY).video().samples();
        List<Sample> source = index.video().samples();
        int k0 = 0;
        for (int i = 0; i < source.size(); i++) {
            if (source.get(i).key() && source.get(i).pts() <= 20_500) {
                k0 = i;
            }
        }
        assertThat(written.size()).isGreaterThan(800);
        for (int i = 0; i < written.size(); i++) {
            Sample w = written.get(i);
            Sample r = source.get(k0 + i);
            assertThat(w.size()).as("frame %d", i).isEqualTo(r.size());
            assertThat(Math.floorMod(w.offset() - r.offset(), 4096)).as("frame %d: clip and recording on one page grid", i).isZero();
        }
        assertThat(Media.duration(clip)).isCloseTo(29.7, within(0.1));
        assertThat(Media.decodeErrors(clip)).isEmpty();
        Files.delete(clip);
    }
}
