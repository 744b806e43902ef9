package de.scheincam.remux;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The x264 settings text of a recording → the libx264 parameters a smart cut's head is encoded with. */
class X264SettingsTest {

    private static final String OBS_CBR = "x264 - core 164 - H.264/MPEG-4 AVC codec - Copyleft 2003-2023 - options: "
            + "cabac=1 ref=1 deblock=1:-1:-1 analyse=0x3:0x113 me=hex subme=2 psy=1 psy_rd=1.00:0.00 8x8dct=1 cqm=0 "
            + "chroma_qp_offset=0 interlaced=0 constrained_intra=0 bframes=2 b_pyramid=2 b_adapt=1 weightb=1 "
            + "open_gop=0 weightp=1 keyint=250 keyint_min=126 rc=cbr mbtree=1 bitrate=2500 vbv_maxrate=2500 "
            + "vbv_bufsize=2500 nal_hrd=cbr filler=1 ip_ratio=1.40 aq=1:1.00";

    @Test
    void headerShapingSettingsAreTakenOverAndAnalysisIsNot() {
        String params = X264Settings.fromKeyframe(keyframe(OBS_CBR), 4).params();
        assertThat(params.split(":(?=[a-z0-9-]+=)")).contains("cabac=1", "ref=1", "8x8dct=1", "bframes=2", "b-pyramid=normal",
                "weightb=1", "weightp=1", "deblock=-1:-1", "chroma-qp-offset=0", "psy=0", "bitrate=2500",
                "stitchable=1", "vbv-maxrate=2500", "vbv-bufsize=2500", "nal-hrd=cbr", "keyint=250", "min-keyint=126");
        assertThat(params).doesNotContain("subme", "analyse", "me=");
    }

    @Test
    void crfRecordingsKeepTheirCrfAndAreNotStitchable() {
        String params = X264Settings.fromKeyframe(keyframe(OBS_CBR.replace("rc=cbr", "rc=crf crf=23.0")
                .replace(" nal_hrd=cbr filler=1", "")), 4).params();
        assertThat(params).contains("crf=23.0").doesNotContain("stitchable");
    }

    @Test
    void customQuantiserMatricesAreLeftToTheHeadsOwnParameterSets() {
        String params = X264Settings.fromKeyframe(keyframe(OBS_CBR.replace("cqm=0", "cqm=1")), 4).params();
        assertThat(params).doesNotContain("cqm").contains("bitrate=2500");
    }

    @Test
    void recordingsThatCannotBeSplicedAreRefusedWithTheReason() {
        assertThatThrownBy(() -> X264Settings.fromKeyframe(keyframe("no encoder text here"), 4))
                .isInstanceOf(UnsupportedSource.class).hasMessageContaining("not encoded by x264");
        assertThatThrownBy(() -> X264Settings.fromKeyframe(keyframe(OBS_CBR.replace("open_gop=0", "open_gop=1")), 4).params())
                .isInstanceOf(UnsupportedSource.class).hasMessageContaining("open GOPs");
        assertThatThrownBy(() -> X264Settings.fromKeyframe(keyframe(OBS_CBR.replace("interlaced=0", "interlaced=tff")), 4).params())
                .isInstanceOf(UnsupportedSource.class).hasMessageContaining("interlaced");
        assertThat(X264Settings.find(keyframe("no encoder text here"), 4)).as("another encoder").isNull();
    }

    @Test
    void aValueThatWouldAddAParameterRefusesTheHead() {
        // a crafted recording: ':' and '=' in a value would reach -x264-params as parameters of their own
        for (String crafted : new String[] {
                OBS_CBR.replace("bitrate=2500", "bitrate=2500:dump-yuv=/tmp/x.yuv"),
                OBS_CBR.replace("ref=1", "ref=1:dump-yuv=/tmp/x.yuv"),
                OBS_CBR.replace("deblock=1:-1:-1", "deblock=1:-1:-1:dump-yuv=/tmp/x.yuv"),
                OBS_CBR.replace("deblock=1:-1:-1", "deblock=1:-1=dump-yuv"),
                OBS_CBR.replace("nal_hrd=cbr", "nal_hrd=cbr:dump-yuv=x"),
                OBS_CBR.replace("rc=cbr", "rc=crf crf=23.0:dump-yuv=x"),
                OBS_CBR + " keyint=250:dump-yuv=x",
                OBS_CBR.replace("cabac=1", "cabac=yes"),
                OBS_CBR.replace("keyint=250", "keyint=-5"),
                OBS_CBR.replace("ref=1", "ref=99"),
                OBS_CBR.replace("bitrate=2500", "bitrate=1e9"),
                OBS_CBR.replace("open_gop=0", "open_gop=0:dump-yuv=x")}) {
            assertThatThrownBy(() -> X264Settings.fromKeyframe(keyframe(crafted), 4).params()).as(crafted)
                    .isInstanceOf(UnsupportedSource.class).hasMessageContaining("x264 option");
        }
    }

    @Test
    void optionsOutsideTheAllowListNeverReachTheParameters() {
        String params = X264Settings.fromKeyframe(keyframe(OBS_CBR + " dump-yuv=/tmp/x.yuv dump_yuv=/tmp/y threads=999"), 4).params();
        assertThat(params).doesNotContain("dump", "threads", "/tmp");
        for (String p : params.split(":(?=[a-z0-9-]+=)")) {
            assertThat(p).as("every parameter is name=checked value").matches("[a-z0-9-]+=(-?[0-9.]+(:-?[0-9]+)?|[a-z]+)");
        }
    }

    @Test
    void whatX264WritesIsAccepted() {
        String params = X264Settings.fromKeyframe(keyframe(OBS_CBR.replace("keyint=250", "keyint=infinite")
                .replace("deblock=1:-1:-1", "deblock=0:0:0").replace("chroma_qp_offset=0", "chroma_qp_offset=-2")), 4).params();
        assertThat(params).contains("keyint=infinite", "no-deblock=1", "chroma-qp-offset=-2");
        assertThat(X264Settings.fromKeyframe(keyframe(OBS_CBR.replace("rc=cbr", "rc=cqp qp=20")), 4).params()).contains("qp=20");
    }

    /** A keyframe as MP4/Matroska store it: an SEI NAL unit with the text, then an IDR slice, 4-byte lengths. */
    private static byte[] keyframe(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] sei = new byte[1 + 2 + 16 + text.length() + 1];
        sei[0] = 6;
        sei[1] = 5;
        sei[2] = (byte) 0xFF;
        System.arraycopy(text.getBytes(StandardCharsets.ISO_8859_1), 0, sei, 19, text.length());
        nal(out, sei);
        nal(out, new byte[] {0x65, (byte) 0x88, (byte) 0x84, 0x00});
        return out.toByteArray();
    }

    private static void nal(ByteArrayOutputStream out, byte[] nal) {
        out.write(nal.length >>> 24);
        out.write(nal.length >>> 16);
        out.write(nal.length >>> 8);
        out.write(nal.length);
        out.write(nal, 0, nal.length);
    }
}
