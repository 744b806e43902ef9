package de.scheincam.remux;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The x264 settings a recording was made with, read from the "options:" text x264 puts in its first
 * frame (an SEI message), turned into the libx264 parameters that make a re-encoded stretch carry the
 * same SPS and PPS as the recording, so the two can be joined into one stream. Only what shapes those
 * headers (entropy coding, references, B-frames, weighting, 8×8 transform, deblocking, chroma QP
 * offset, rate control and HRD) is taken over; the analysis is the fastest x264 has, since it changes
 * only the picture data. What the text does not tell (the frame rate flags of the SPS's VUI, e.g. OBS's
 * {@code fixed_frame_rate_flag=1}) comes from the recording's SPS (see Cut#headArgs). Hardware encoders
 * (NVENC, QSV, VAAPI) leave no such text: their recordings get a head with its own parameter sets.
 */
final class X264Settings {

    private final Map<String, String> options;

    private X264Settings(Map<String, String> options) {
        this.options = options;
    }

    /** From the NAL units of a keyframe (length-prefixed, {@code lengthSize} bytes). */
    static X264Settings fromKeyframe(byte[] sample, int lengthSize) {
        X264Settings found = find(sample, lengthSize);
        if (found == null) {
            throw new UnsupportedSource("the picture was not encoded by x264 (no x264 settings in its first frame)");
        }
        return found;
    }

    /** As {@link #fromKeyframe}, or null when the frame has no x264 settings text (another encoder). */
    static X264Settings find(byte[] sample, int lengthSize) {
        String text = null;
        int p = 0;
        while (p + lengthSize <= sample.length) {
            int len = 0;
            for (int i = 0; i < lengthSize; i++) {
                len = (len << 8) | (sample[p + i] & 0xFF);
            }
            int nal = p + lengthSize;
            if (len <= 0 || nal + len > sample.length) {
                break;
            }
            if ((sample[nal] & 0x1F) == 6) {
                String s = new String(sample, nal + 1, len - 1, StandardCharsets.ISO_8859_1);
                int at = s.indexOf("x264 - core");
                if (at >= 0) {
                    int nul = s.indexOf('\0', at);
                    text = s.substring(at, nul < 0 ? s.length() : nul);
                }
            }
            p = nal + len;
        }
        if (text == null || !text.contains("options: ")) {
            return null;
        }
        Map<String, String> opts = new LinkedHashMap<>();
        for (String kv : text.substring(text.indexOf("options: ") + 9).trim().split(" ")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                opts.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return new X264Settings(opts);
    }

    /** Whether x264 used IDR keyframes: only then does the stream copied after the head start clean. */
    boolean closedGop() {
        return "0".equals(options.getOrDefault("open_gop", "0"));
    }

    /**
     * The value for ffmpeg's {@code -x264-params}; throws UnsupportedSource for pictures that cannot be
     * spliced at all. Custom quantiser matrices (cqm) are not taken over: such a head differs from the
     * recording's parameter sets and carries its own. The text comes from the file, so anyone who can put
     * a recording in videos/ writes it: only the options named in {@link #ALLOWED} are read, each value
     * checked against its type and range, and a value that is not one x264 would write refuses the head
     * (the export is then re-encoded in full) instead of reaching the command line — a value holding
     * ':' or '=' would otherwise add any libx264 parameter (dump-yuv writes a file anywhere).
     */
    String params() {
        checkAll();
        if (!"0".equals(options.getOrDefault("interlaced", "0"))) {
            throw new UnsupportedSource("interlaced picture");
        }
        if (!closedGop()) {
            throw new UnsupportedSource("open GOPs");
        }
        List<String> p = new ArrayList<>();
        copy(p, "cabac", "cabac");
        copy(p, "ref", "ref");
        copy(p, "8x8dct", "8x8dct");
        copy(p, "bframes", "bframes");
        copy(p, "weightb", "weightb");
        copy(p, "weightp", "weightp");
        copy(p, "constrained_intra", "constrained-intra");
        copy(p, "keyint", "keyint");
        copy(p, "keyint_min", "min-keyint");
        String pyramid = options.get("b_pyramid");
        if (pyramid != null) {
            p.add("b-pyramid=" + switch (pyramid) {
                case "0" -> "none";
                case "1" -> "strict";
                default -> "normal";
            });
        }
        String deblock = options.getOrDefault("deblock", "1:0:0");
        String[] d = deblock.split(":");
        if ("0".equals(d[0])) {
            p.add("no-deblock=1");
        } else {
            p.add("deblock=" + d[1] + ":" + d[2]);
        }
        // the options text shows the chroma offset after x264's psy adjustment: set it as it is, psy off
        copy(p, "chroma_qp_offset", "chroma-qp-offset");
        p.add("psy=0");
        String rc = options.getOrDefault("rc", "crf");
        switch (rc) {
            case "cbr", "abr" -> {
                copy(p, "bitrate", "bitrate");
                p.add("stitchable=1");
            }
            case "crf" -> copy(p, "crf", "crf");
            case "cqp" -> copy(p, "qp", "qp");
            default -> throw new UnsupportedSource("x264 rate control " + rc);
        }
        copy(p, "vbv_maxrate", "vbv-maxrate");
        copy(p, "vbv_bufsize", "vbv-bufsize");
        copy(p, "nal_hrd", "nal-hrd");
        copy(p, "filler", "filler");
        return String.join(":", p);
    }

    /** What a value of one option may be: the forms x264's options text writes it in, and no other. */
    private record Allowed(Pattern form, double min, double max) {

        static Allowed bool() {
            return new Allowed(Pattern.compile("[01]"), 0, 1);
        }

        static Allowed integer(long min, long max) {
            return new Allowed(Pattern.compile("-?[0-9]{1,9}"), min, max);
        }

        static Allowed decimal(double min, double max) {
            return new Allowed(Pattern.compile("-?[0-9]{1,6}(\\.[0-9]{1,6})?"), min, max);
        }

        static Allowed oneOf(String... words) {
            return new Allowed(Pattern.compile(String.join("|", words)), 0, 0);
        }

        boolean admits(String value) {
            if (!form.matcher(value).matches()) {
                return false;
            }
            if (min == 0 && max == 0 || !Character.isDigit(value.charAt(value.length() - 1))) {
                return true; // a word of oneOf, or x264's "infinite" keyint
            }
            double v = Double.parseDouble(value);
            return v >= min && v <= max;
        }
    }

    /** The options read from a recording, with what x264 itself accepts for them (x264's base.c). */
    private static final Map<String, Allowed> ALLOWED = Map.ofEntries(
            Map.entry("cabac", Allowed.bool()),
            Map.entry("ref", Allowed.integer(1, 16)),
            Map.entry("8x8dct", Allowed.bool()),
            Map.entry("bframes", Allowed.integer(0, 16)),
            Map.entry("weightb", Allowed.bool()),
            Map.entry("weightp", Allowed.integer(0, 2)),
            Map.entry("constrained_intra", Allowed.bool()),
            Map.entry("keyint", new Allowed(Pattern.compile("[0-9]{1,9}|infinite"), 1, 1_000_000_000)),
            Map.entry("keyint_min", Allowed.integer(1, 1_000_000_000)),
            Map.entry("b_pyramid", Allowed.integer(0, 2)),
            Map.entry("deblock", new Allowed(Pattern.compile("0|[01]:-?[0-6]:-?[0-6]"), 0, 0)),
            Map.entry("chroma_qp_offset", Allowed.integer(-12, 12)),
            Map.entry("rc", Allowed.oneOf("cbr", "abr", "crf", "cqp")),
            Map.entry("bitrate", Allowed.integer(1, 10_000_000)),
            Map.entry("crf", Allowed.decimal(-12, 51)),
            Map.entry("qp", Allowed.integer(0, 81)),
            Map.entry("vbv_maxrate", Allowed.integer(0, 10_000_000)),
            Map.entry("vbv_bufsize", Allowed.integer(0, 10_000_000)),
            Map.entry("nal_hrd", Allowed.oneOf("none", "vbr", "cbr")),
            Map.entry("filler", Allowed.bool()),
            Map.entry("interlaced", Allowed.oneOf("0", "tff", "bff", "fake")),
            Map.entry("open_gop", Allowed.bool()));

    /** Every allowed option the text has holds a value of its type; any other refuses the head. */
    private void checkAll() {
        ALLOWED.forEach((key, allowed) -> {
            String v = options.get(key);
            if (v != null && !allowed.admits(v)) {
                throw new UnsupportedSource("the recording's x264 option " + key + " has a value x264 does not write");
            }
        });
    }

    private void copy(List<String> out, String key, String param) {
        String v = options.get(key);
        if (v != null) {
            out.add(param + "=" + v);
        }
    }
}
