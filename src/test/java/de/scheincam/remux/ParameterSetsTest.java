package de.scheincam.remux;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPS/PPS fields and the id rewrites of a head that carries its own parameter sets, on the parameter
 * sets real OBS 29 wrote (Simple output, x264 CBR 2500, 640×360 at 30 fps).
 */
class ParameterSetsTest {

    // from /work/obs-samples/obs29-simple-cbr-mkv.mkv's CodecPrivate
    private static final byte[] OBS_SPS = HexFormat.of().parseHex(
            "6764001eacd940a02ff97016a0202028000003000800000301e478b16cb0");
    private static final byte[] OBS_PPS = HexFormat.of().parseHex("68efbcb0");

    @Test
    void obsWritesAFixedFrameRateInItsSps() {
        Map<String, Long> f = ParameterSets.spsFields(OBS_SPS);
        assertThat(f).containsEntry("profile_idc", 100L).containsEntry("level_idc", 30L)
                .containsEntry("num_units_in_tick", 1L).containsEntry("time_scale", 60L)
                .containsEntry("fixed_frame_rate_flag", 1L).containsEntry("seq_parameter_set_id", 0L);
        assertThat(ParameterSets.ppsFields(OBS_PPS)).containsEntry("entropy_coding_mode_flag", 1L)
                .containsEntry("transform_8x8_mode_flag", 1L);
    }

    @Test
    void idsAreRewrittenAndNothingElse() {
        Map<String, Long> before = ParameterSets.spsFields(OBS_SPS);
        Map<String, Long> after = ParameterSets.spsFields(ParameterSets.withSpsId(OBS_SPS, 15));
        assertThat(after.remove("seq_parameter_set_id")).isEqualTo(15L);
        before.remove("seq_parameter_set_id");
        assertThat(after).isEqualTo(before);
        byte[] pps = ParameterSets.withIds(OBS_PPS, 15, 15);
        assertThat(ParameterSets.ppsId(pps)).isEqualTo(15);
        Map<String, Long> p = ParameterSets.ppsFields(pps);
        assertThat(p).containsEntry("seq_parameter_set_id", 15L).containsEntry("transform_8x8_mode_flag", 1L);
        assertThat(ParameterSets.withSpsId(ParameterSets.withSpsId(OBS_SPS, 15), 0)).isEqualTo(OBS_SPS);
    }

    @Test
    void aSlicesPpsIdGrowsByOneByteAndTheRestMovesUnchanged() {
        // an IDR slice header: first_mb 0 (1), slice_type 7 (0001000), pps 0 (1), then data incl. 0x000003
        byte[] slice = {0x65, (byte) 0x88, (byte) 0x84, 0x00, 0x00, 0x03, 0x01, 0x7F, 0x11, 0x22};
        byte[] out = ParameterSets.sliceWithPpsId(slice, ParameterSets.widerPpsId(0));
        byte[] in = ParameterSets.rbsp(slice, 1);
        byte[] moved = ParameterSets.rbsp(out, 1);
        assertThat(moved).hasSize(in.length + 1);
        // bits: 1 0001000 | 1 ... → pps id 15 is 000010000: the first 9 bits stay, then the new code
        assertThat(java.util.Arrays.copyOfRange(moved, 3, moved.length)).isEqualTo(java.util.Arrays.copyOfRange(in, 2, in.length));
        assertThat(ParameterSets.widerPpsId(0)).isEqualTo(15);
        assertThat(ParameterSets.widerPpsId(16)).isEqualTo(-1);
    }

    @Test
    void theAvcCHoldsBothPairsTheRecordingsFirst() {
        byte[] avcC = avcC(OBS_SPS, OBS_PPS);
        ParameterSets sets = ParameterSets.of(avcC);
        byte[] sps = ParameterSets.withSpsId(OBS_SPS, 15);
        byte[] pps = ParameterSets.withIds(OBS_PPS, 15, 15);
        ParameterSets both = ParameterSets.of(sets.with(List.of(sps), List.of(pps)));
        assertThat(both.sps()).hasSize(2);
        assertThat(both.sps().get(0)).isEqualTo(OBS_SPS);
        assertThat(both.pps().get(1)).isEqualTo(pps);
        assertThat(ParameterSets.difference(sets, ParameterSets.of(avcC(sps, OBS_PPS))))
                .isEqualTo("SPS seq_parameter_set_id: 0 in the recording, 15 in the head");
        assertThat(ParameterSets.difference(sets, ParameterSets.of(avcC))).isNull();
    }

    private static byte[] avcC(byte[] sps, byte[] pps) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.writeBytes(new byte[] {1, sps[1], sps[2], sps[3], (byte) 0xFF, (byte) 0xE1, 0, (byte) sps.length});
        b.writeBytes(sps);
        b.writeBytes(new byte[] {1, 0, (byte) pps.length});
        b.writeBytes(pps);
        return b.toByteArray();
    }
}
