package de.scheincam.remux;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The H.264 sequence and picture parameter sets (SPS, PPS) of an avcC record, read field by field as
 * ITU-T H.264 7.3.2 defines them, and the few rewrites a smart cut needs when its re-encoded head
 * cannot carry the recording's own sets: other ids for the head's SPS and PPS, and the PPS id in the
 * head's slices, so that both pairs live side by side in one avcC (ISO/IEC 14496-15 allows several)
 * and every slice finds the set it was coded with.
 */
final class ParameterSets {

    private static final Set<Integer> HIGH_PROFILES = Set.of(100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135);

    private final byte[] avcC;
    private final List<byte[]> sps = new ArrayList<>();
    private final List<byte[]> pps = new ArrayList<>();
    /** Where the PPS list ends: what follows (High profile extension) is kept as it is. */
    private final int end;

    private ParameterSets(byte[] avcC) {
        this.avcC = avcC;
        if (avcC == null || avcC.length < 7 || avcC[0] != 1) {
            throw new UnsupportedSource("no H.264 configuration (avcC)");
        }
        int p = 5;
        for (int list = 0; list < 2; list++) {
            int n = list == 0 ? avcC[p] & 0x1F : avcC[p] & 0xFF;
            p++;
            for (int i = 0; i < n; i++) {
                if (p + 2 > avcC.length || p + 2 + Boxes.u16(avcC, p) > avcC.length) {
                    throw new UnsupportedSource("damaged H.264 configuration (avcC)");
                }
                int len = Boxes.u16(avcC, p);
                (list == 0 ? sps : pps).add(java.util.Arrays.copyOfRange(avcC, p + 2, p + 2 + len));
                p += 2 + len;
            }
        }
        this.end = p;
        if (sps.isEmpty() || pps.isEmpty()) {
            throw new UnsupportedSource("no SPS/PPS in the H.264 configuration");
        }
    }

    static ParameterSets of(byte[] avcC) {
        return new ParameterSets(avcC);
    }

    List<byte[]> sps() {
        return sps;
    }

    List<byte[]> pps() {
        return pps;
    }

    /** Bytes per NAL unit length in the samples. */
    int lengthSize() {
        return (avcC[4] & 3) + 1;
    }

    /** True when both hold the same SPS and PPS, byte for byte, with the same NAL length size. */
    boolean sameAs(ParameterSets other) {
        return lengthSize() == other.lengthSize() && equal(sps, other.sps) && equal(pps, other.pps);
    }

    private static boolean equal(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!java.util.Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** This record with {@code moreSps} and {@code morePps} after its own (its own stay first). */
    byte[] with(List<byte[]> moreSps, List<byte[]> morePps) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(avcC, 0, 5);
        out.write(0xE0 | (sps.size() + moreSps.size()));
        for (byte[] s : concat(sps, moreSps)) {
            out.write(s.length >>> 8);
            out.write(s.length & 0xFF);
            out.writeBytes(s);
        }
        out.write(pps.size() + morePps.size());
        for (byte[] s : concat(pps, morePps)) {
            out.write(s.length >>> 8);
            out.write(s.length & 0xFF);
            out.writeBytes(s);
        }
        out.write(avcC, end, avcC.length - end);
        return out.toByteArray();
    }

    private static List<byte[]> concat(List<byte[]> a, List<byte[]> b) {
        List<byte[]> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * The first field in which the two records' SPS or PPS differ, as "SPS fixed_frame_rate_flag: 1 in
     * the recording, 0 in the head"; null when they are the same.
     */
    static String difference(ParameterSets recording, ParameterSets head) {
        for (int k = 0; k < 2; k++) {
            List<byte[]> a = k == 0 ? recording.sps : recording.pps;
            List<byte[]> b = k == 0 ? head.sps : head.pps;
            String kind = k == 0 ? "SPS" : "PPS";
            if (a.size() != b.size()) {
                return kind + " count: " + a.size() + " in the recording, " + b.size() + " in the head";
            }
            for (int i = 0; i < a.size(); i++) {
                if (java.util.Arrays.equals(a.get(i), b.get(i))) {
                    continue;
                }
                Map<String, Long> fa = k == 0 ? spsFields(a.get(i)) : ppsFields(a.get(i));
                Map<String, Long> fb = k == 0 ? spsFields(b.get(i)) : ppsFields(b.get(i));
                for (Map.Entry<String, Long> e : fa.entrySet()) {
                    if (!Objects.equals(e.getValue(), fb.get(e.getKey()))) {
                        return kind + " " + e.getKey() + ": " + e.getValue() + " in the recording, "
                                + fb.get(e.getKey()) + " in the head";
                    }
                }
                for (String key : fb.keySet()) {
                    if (!fa.containsKey(key)) {
                        return kind + " " + key + ": absent in the recording, " + fb.get(key) + " in the head";
                    }
                }
                return kind + " bytes differ beyond the fields read";
            }
        }
        return recording.lengthSize() != head.lengthSize() ? "NAL length size" : null;
    }

    // --- reading ------------------------------------------------------------------------------------

    /** The fields of an SPS NAL unit up to the end of its VUI, by their names in H.264 7.3.2.1. */
    static Map<String, Long> spsFields(byte[] nal) {
        Bits r = new Bits(rbsp(nal, 1));
        Map<String, Long> f = new LinkedHashMap<>();
        try {
            long profile = f(f, "profile_idc", r.u(8));
            f(f, "constraint_flags", r.u(8));
            f(f, "level_idc", r.u(8));
            f(f, "seq_parameter_set_id", r.ue());
            if (HIGH_PROFILES.contains((int) profile)) {
                if (f(f, "chroma_format_idc", r.ue()) == 3) {
                    f(f, "separate_colour_plane_flag", r.u(1));
                }
                f(f, "bit_depth_luma_minus8", r.ue());
                f(f, "bit_depth_chroma_minus8", r.ue());
                f(f, "qpprime_y_zero_transform_bypass_flag", r.u(1));
                if (f(f, "seq_scaling_matrix_present_flag", r.u(1)) == 1) {
                    scalingLists(r, f.get("chroma_format_idc") == 3 ? 12 : 8);
                }
            }
            f(f, "log2_max_frame_num_minus4", r.ue());
            long poc = f(f, "pic_order_cnt_type", r.ue());
            if (poc == 0) {
                f(f, "log2_max_pic_order_cnt_lsb_minus4", r.ue());
            } else if (poc == 1) {
                f(f, "delta_pic_order_always_zero_flag", r.u(1));
                f(f, "offset_for_non_ref_pic", r.se());
                f(f, "offset_for_top_to_bottom_field", r.se());
                long n = f(f, "num_ref_frames_in_pic_order_cnt_cycle", r.ue());
                for (int i = 0; i < n; i++) {
                    f(f, "offset_for_ref_frame[" + i + "]", r.se());
                }
            }
            f(f, "max_num_ref_frames", r.ue());
            f(f, "gaps_in_frame_num_value_allowed_flag", r.u(1));
            f(f, "pic_width_in_mbs_minus1", r.ue());
            f(f, "pic_height_in_map_units_minus1", r.ue());
            if (f(f, "frame_mbs_only_flag", r.u(1)) == 0) {
                f(f, "mb_adaptive_frame_field_flag", r.u(1));
            }
            f(f, "direct_8x8_inference_flag", r.u(1));
            if (f(f, "frame_cropping_flag", r.u(1)) == 1) {
                for (String side : List.of("left", "right", "top", "bottom")) {
                    f(f, "frame_crop_" + side + "_offset", r.ue());
                }
            }
            if (f(f, "vui_parameters_present_flag", r.u(1)) == 1) {
                vui(r, f);
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            f.put("truncated", 1L);
        }
        return f;
    }

    private static void vui(Bits r, Map<String, Long> f) {
        if (f(f, "aspect_ratio_info_present_flag", r.u(1)) == 1 && f(f, "aspect_ratio_idc", r.u(8)) == 255) {
            f(f, "sar_width", r.u(16));
            f(f, "sar_height", r.u(16));
        }
        if (f(f, "overscan_info_present_flag", r.u(1)) == 1) {
            f(f, "overscan_appropriate_flag", r.u(1));
        }
        if (f(f, "video_signal_type_present_flag", r.u(1)) == 1) {
            f(f, "video_format", r.u(3));
            f(f, "video_full_range_flag", r.u(1));
            if (f(f, "colour_description_present_flag", r.u(1)) == 1) {
                f(f, "colour_primaries", r.u(8));
                f(f, "transfer_characteristics", r.u(8));
                f(f, "matrix_coefficients", r.u(8));
            }
        }
        if (f(f, "chroma_loc_info_present_flag", r.u(1)) == 1) {
            f(f, "chroma_sample_loc_type_top_field", r.ue());
            f(f, "chroma_sample_loc_type_bottom_field", r.ue());
        }
        if (f(f, "timing_info_present_flag", r.u(1)) == 1) {
            f(f, "num_units_in_tick", r.u(16) << 16 | r.u(16));
            f(f, "time_scale", r.u(16) << 16 | r.u(16));
            f(f, "fixed_frame_rate_flag", r.u(1));
        }
        long nal = f(f, "nal_hrd_parameters_present_flag", r.u(1));
        if (nal == 1) {
            hrd(r, f, "nal_");
        }
        long vcl = f(f, "vcl_hrd_parameters_present_flag", r.u(1));
        if (vcl == 1) {
            hrd(r, f, "vcl_");
        }
        if (nal == 1 || vcl == 1) {
            f(f, "low_delay_hrd_flag", r.u(1));
        }
        f(f, "pic_struct_present_flag", r.u(1));
        if (f(f, "bitstream_restriction_flag", r.u(1)) == 1) {
            f(f, "motion_vectors_over_pic_boundaries_flag", r.u(1));
            f(f, "max_bytes_per_pic_denom", r.ue());
            f(f, "max_bits_per_mb_denom", r.ue());
            f(f, "log2_max_mv_length_horizontal", r.ue());
            f(f, "log2_max_mv_length_vertical", r.ue());
            f(f, "max_num_reorder_frames", r.ue());
            f(f, "max_dec_frame_buffering", r.ue());
        }
    }

    private static void hrd(Bits r, Map<String, Long> f, String prefix) {
        long n = f(f, prefix + "cpb_cnt_minus1", r.ue());
        f(f, prefix + "bit_rate_scale", r.u(4));
        f(f, prefix + "cpb_size_scale", r.u(4));
        for (int i = 0; i <= n; i++) {
            f(f, prefix + "bit_rate_value_minus1[" + i + "]", r.ue());
            f(f, prefix + "cpb_size_value_minus1[" + i + "]", r.ue());
            f(f, prefix + "cbr_flag[" + i + "]", r.u(1));
        }
        f(f, prefix + "initial_cpb_removal_delay_length_minus1", r.u(5));
        f(f, prefix + "cpb_removal_delay_length_minus1", r.u(5));
        f(f, prefix + "dpb_output_delay_length_minus1", r.u(5));
        f(f, prefix + "time_offset_length", r.u(5));
    }

    private static void scalingLists(Bits r, int count) {
        for (int i = 0; i < count; i++) {
            if (r.u(1) == 1) {
                int size = i < 6 ? 16 : 64;
                long last = 8;
                long next = 8;
                for (int j = 0; j < size; j++) {
                    if (next != 0) {
                        next = (last + r.se() + 256) % 256;
                    }
                    last = next == 0 ? last : next;
                }
            }
        }
    }

    /** The fields of a PPS NAL unit (H.264 7.3.2.2); slice groups end the reading. */
    static Map<String, Long> ppsFields(byte[] nal) {
        byte[] rbsp = rbsp(nal, 1);
        Bits r = new Bits(rbsp);
        Map<String, Long> f = new LinkedHashMap<>();
        try {
            f(f, "pic_parameter_set_id", r.ue());
            f(f, "seq_parameter_set_id", r.ue());
            f(f, "entropy_coding_mode_flag", r.u(1));
            f(f, "bottom_field_pic_order_in_frame_present_flag", r.u(1));
            if (f(f, "num_slice_groups_minus1", r.ue()) > 0) {
                return f;
            }
            f(f, "num_ref_idx_l0_default_active_minus1", r.ue());
            f(f, "num_ref_idx_l1_default_active_minus1", r.ue());
            f(f, "weighted_pred_flag", r.u(1));
            f(f, "weighted_bipred_idc", r.u(2));
            f(f, "pic_init_qp_minus26", r.se());
            f(f, "pic_init_qs_minus26", r.se());
            f(f, "chroma_qp_index_offset", r.se());
            f(f, "deblocking_filter_control_present_flag", r.u(1));
            f(f, "constrained_intra_pred_flag", r.u(1));
            f(f, "redundant_pic_cnt_present_flag", r.u(1));
            if (r.position() < stopBit(rbsp)) {
                f(f, "transform_8x8_mode_flag", r.u(1));
                f(f, "pic_scaling_matrix_present_flag", r.u(1));
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            f.put("truncated", 1L);
        }
        return f;
    }

    private static long f(Map<String, Long> fields, String name, long value) {
        fields.put(name, value);
        return value;
    }

    // --- rewriting ----------------------------------------------------------------------------------

    /** The SPS NAL unit with another seq_parameter_set_id. */
    static byte[] withSpsId(byte[] nal, int id) {
        byte[] rbsp = rbsp(nal, 1);
        Bits r = new Bits(rbsp);
        BitWriter w = new BitWriter();
        w.u(24, r.u(24));
        r.ue();
        w.ue(id);
        w.copy(r, stopBit(rbsp));
        w.trailing();
        return nal(nal[0], w.toBytes());
    }

    /** The PPS NAL unit with other pic_parameter_set_id and seq_parameter_set_id. */
    static byte[] withIds(byte[] nal, int ppsId, int spsId) {
        byte[] rbsp = rbsp(nal, 1);
        Bits r = new Bits(rbsp);
        BitWriter w = new BitWriter();
        r.ue();
        r.ue();
        w.ue(ppsId);
        w.ue(spsId);
        w.copy(r, stopBit(rbsp));
        w.trailing();
        return nal(nal[0], w.toBytes());
    }

    static int ppsId(byte[] ppsNal) {
        return (int) new Bits(rbsp(ppsNal, 1)).ue();
    }

    static int spsId(byte[] spsNal) {
        Bits r = new Bits(rbsp(spsNal, 1));
        r.u(24);
        return (int) r.ue();
    }

    /**
     * A PPS id whose Exp-Golomb code is exactly 8 bits longer than {@code id}'s: a slice rewritten to
     * it shifts by one whole byte after the id, so CABAC's byte alignment and all later bytes stay as
     * they are. -1 when there is none (ids above 15).
     */
    static int widerPpsId(int id) {
        int wider = (id + 1) * 16 - 1;
        return wider <= 255 ? wider : -1;
    }

    /**
     * A slice NAL unit (types 1 and 5) with another pic_parameter_set_id, whose code must be 8 bits
     * longer than the old one's (see {@link #widerPpsId}).
     */
    static byte[] sliceWithPpsId(byte[] nal, int ppsId) {
        byte[] rbsp = rbsp(nal, 1);
        Bits r = new Bits(rbsp);
        r.ue(); // first_mb_in_slice
        r.ue(); // slice_type
        int at = r.position();
        long old = r.ue();
        if (widerPpsId((int) old) != ppsId) {
            throw new IllegalArgumentException("PPS id " + old + " cannot become " + ppsId + " by a whole byte");
        }
        BitWriter w = new BitWriter();
        Bits again = new Bits(rbsp);
        w.copy(again, at);
        w.ue(ppsId);
        again.skipTo(r.position());
        w.copy(again, (r.position() + 7) & ~7);
        // reader and writer are now both on a byte boundary: the rest moves by one byte unchanged
        byte[] head = w.toBytes();
        int from = (r.position() + 7) >>> 3;
        byte[] out = java.util.Arrays.copyOf(head, head.length + rbsp.length - from);
        System.arraycopy(rbsp, from, out, head.length, rbsp.length - from);
        return nal(nal[0], out);
    }

    /** True when an SEI NAL unit begins with a buffering period message, which names the SPS it belongs to. */
    static boolean bufferingPeriod(byte[] nal) {
        return (nal[0] & 0x1F) == 6 && nal.length > 1 && (nal[1] & 0xFF) == 0;
    }

    // --- NAL units and bits -------------------------------------------------------------------------

    /** The payload of a NAL unit without its {@code header} bytes and emulation prevention bytes. */
    static byte[] rbsp(byte[] nal, int header) {
        byte[] out = new byte[Math.max(0, nal.length - header)];
        int n = 0;
        int zeros = 0;
        for (int i = header; i < nal.length; i++) {
            byte b = nal[i];
            if (zeros >= 2 && b == 3) {
                zeros = 0;
                continue;
            }
            out[n++] = b;
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    /** The NAL unit of {@code header} and {@code rbsp}, with emulation prevention bytes. */
    static byte[] nal(byte header, byte[] rbsp) {
        byte[] out = new byte[rbsp.length + rbsp.length / 2 + 2];
        int n = 0;
        out[n++] = header;
        int zeros = 0;
        for (byte b : rbsp) {
            if (zeros >= 2 && (b & 0xFF) <= 3) {
                out[n++] = 3;
                zeros = 0;
            }
            out[n++] = b;
            zeros = b == 0 ? zeros + 1 : 0;
        }
        if (rbsp.length > 0 && rbsp[rbsp.length - 1] == 0) {
            out[n++] = 3;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** The bit position of the rbsp_stop_one_bit: the last 1 bit. */
    private static int stopBit(byte[] rbsp) {
        for (int i = rbsp.length - 1; i >= 0; i--) {
            if (rbsp[i] != 0) {
                return i * 8 + 7 - Integer.numberOfTrailingZeros(rbsp[i] & 0xFF);
            }
        }
        throw new UnsupportedSource("a parameter set without its stop bit");
    }

    private static final class Bits {
        private final byte[] data;
        private int pos;

        Bits(byte[] data) {
            this.data = data;
        }

        int position() {
            return pos;
        }

        void skipTo(int bit) {
            pos = bit;
        }

        int bit() {
            int b = (data[pos >>> 3] >>> (7 - (pos & 7))) & 1;
            pos++;
            return b;
        }

        long u(int n) {
            long v = 0;
            for (int i = 0; i < n; i++) {
                v = v << 1 | bit();
            }
            return v;
        }

        long ue() {
            int zeros = 0;
            while (bit() == 0) {
                zeros++;
                if (zeros > 31) {
                    throw new ArrayIndexOutOfBoundsException("Exp-Golomb code too long");
                }
            }
            return (1L << zeros) - 1 + u(zeros);
        }

        long se() {
            long k = ue();
            return (k & 1) == 1 ? (k + 1) / 2 : -(k / 2);
        }
    }

    private static final class BitWriter {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int acc;
        private int n;

        void bit(int b) {
            acc = acc << 1 | b;
            if (++n == 8) {
                out.write(acc);
                acc = 0;
                n = 0;
            }
        }

        void u(int bits, long v) {
            for (int i = bits - 1; i >= 0; i--) {
                bit((int) (v >>> i) & 1);
            }
        }

        void ue(long v) {
            long x = v + 1;
            int len = 64 - Long.numberOfLeadingZeros(x);
            u(len - 1, 0);
            u(len, x);
        }

        /** The reader's bits up to (not including) bit {@code end}. */
        void copy(Bits r, int end) {
            while (r.position() < end) {
                bit(r.bit());
            }
        }

        /** rbsp_stop_one_bit and the zero bits up to the byte boundary. */
        void trailing() {
            bit(1);
            while (n != 0) {
                bit(0);
            }
        }

        byte[] toBytes() {
            if (n != 0) {
                throw new IllegalStateException("not on a byte boundary");
            }
            return out.toByteArray();
        }
    }
}
