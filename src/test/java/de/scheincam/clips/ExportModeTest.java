package de.scheincam.clips;

import java.util.List;
import java.util.stream.IntStream;

import de.scheincam.remux.Sample;
import de.scheincam.remux.Track;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** How a full re-encode is asked of ffmpeg: bit rate, where it starts and ends, what the MP4 looks like. */
class ExportModeTest {

    /** 30 fps in MP4's 15360 units (frame n at 512 n), in decode order with two B-frames, keyframe first. */
    private static Track mp4Picture(int frames) {
        List<Sample> samples = IntStream.range(0, frames).mapToObj(i -> {
            int shown = i == 0 ? 0 : i % 3 == 1 ? i + 2 : i - 1; // I P B B P B B …
            return new Sample(0, 1000L * i, 1000, 512L * Math.min(shown, frames - 1), i == 0);
        }).toList();
        return new Track(Track.Kind.VIDEO, 15360, new byte[0], 640, 360, 0, samples);
    }

    /** Matroska's millisecond times: 0, 33, 67, 100, … and a gap where OBS skipped frames. */
    private static Track mkvPicture(long... millis) {
        return new Track(Track.Kind.VIDEO, 1000, new byte[0], 640, 360, 0,
                java.util.Arrays.stream(millis).mapToObj(t -> new Sample(0, t, 100, t, t == 0)).toList());
    }

    @Test
    void reencodeTakesTheRecordingsBitRate() {
        List<String> args = ExportMode.REENCODE.ffmpegArgs("in.mkv", 10, 5, 2_480_000);
        assertThat(String.join(" ", args)).contains("-c:v libx264").contains("-b:v 2480k -maxrate 2480k -bufsize 4960k")
                .doesNotContain("-crf");
    }

    @Test
    void withoutAKnownBitRateAReencodeFallsBackToAHighQualityCrf() {
        assertThat(String.join(" ", ExportMode.REENCODE.ffmpegArgs("in.mkv", 10, 5, 0))).contains("-crf 18");
    }

    @Test
    void copyDoesNotEncode() {
        assertThat(ExportMode.COPY.ffmpegArgs("in.mkv", 10, 5, 2_480_000)).contains("copy")
                .doesNotContain("libx264", "-b:v", "-fps_mode", "-movflags");
    }

    @Test
    void theSeekLiesJustBeforeThePtsOfTheFrameShownAtTheRequestedTime() {
        // frame 125 starts at 4.16667 s; the request, in milliseconds, says 4.167 s: -ss 4.167 would drop it
        ExportMode.Start start = ExportMode.Start.shownAt(mp4Picture(200), 4.167);
        assertThat(start.timestamp()).isTrue();
        assertThat(start.seconds()).isLessThan(125 / 30.0).isGreaterThan(125 / 30.0 - 0.0001);
        List<String> args = ExportMode.REENCODE.ffmpegArgs("in.mov", start, 5.167, 2_480_000);
        assertThat(String.join(" ", args)).contains("-seek_timestamp 1 -ss 4.166634 -i in.mov -t 0.999366 ");
    }

    @Test
    void aRequestBetweenTwoFramesStartsWithTheOneShownThen() {
        Track v = mkvPicture(0, 33, 67, 100, 133, 167, 200, 233, 267, 300, 433, 467);
        assertThat(ExportMode.Start.shownAt(v, 0.180).seconds()).isCloseTo(0.1665, within(1e-9));
        assertThat(ExportMode.Start.shownAt(v, 0.167).seconds()).isCloseTo(0.1665, within(1e-9));
        // OBS skipped 333–400: the frame at 300 is on screen until 433
        assertThat(ExportMode.Start.shownAt(v, 0.400).seconds()).isCloseTo(0.2995, within(1e-9));
        // before the first frame (a request at the very start, sound first): the first frame
        assertThat(ExportMode.Start.shownAt(v, 0).seconds()).isCloseTo(-0.0005, within(1e-9));
        assertThat(ExportMode.Start.shownAt(mkvPicture(), 1)).isNull();
    }

    @Test
    void theClipRunsFromItsFirstFrameToTheRequestedEndButNotIntoTheFrameShownThere() {
        // the request 4.167–5.167 s in milliseconds: the frame at 5.16667 s is the one shown at its end
        ExportMode.Start start = ExportMode.Start.shownAt(mp4Picture(200), 4.167);
        List<String> args = ExportMode.REENCODE.ffmpegArgs("in.mov", start, 5.167, 2_480_000);
        double t = Double.parseDouble(args.get(args.indexOf("-t") + 1));
        assertThat(start.seconds() + t).isLessThan(155 / 30.0).isGreaterThan(154 / 30.0);
        // to the end of the recording: the last frame (20.800 s) is in, shown to 20.833 s
        assertThat(String.join(" ", ExportMode.REENCODE.ffmpegArgs("in.mkv", new ExportMode.Start(18.3325, true), 20.833, 2_480_000)))
                .contains("-ss 18.332500 -i in.mkv -t 2.499500 ");
    }

    @Test
    void theReencodeHasAConstantFrameRateAndItsFirstPictureAtZeroWithoutTheEditList() {
        // a gap before the last frame (OBS skipped frames) would shorten the MP4 track, counted in decode
        // times, by the gap; x264's B-frames would put the first picture at 2 frames for Firefox
        String args = String.join(" ", ExportMode.REENCODE.ffmpegArgs("in.mkv", 10, 5, 2_480_000));
        assertThat(args).contains("-fps_mode cfr").contains("-movflags +negative_cts_offsets").contains("-moov_size");
    }
}
