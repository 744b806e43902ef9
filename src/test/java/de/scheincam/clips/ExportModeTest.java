package de.scheincam.clips;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A full re-encode keeps the recording's picture bit rate instead of a fixed CRF. */
class ExportModeTest {

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
        assertThat(ExportMode.COPY.ffmpegArgs("in.mkv", 10, 5, 2_480_000)).contains("copy").doesNotContain("libx264", "-b:v");
    }
}
