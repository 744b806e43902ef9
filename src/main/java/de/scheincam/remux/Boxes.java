package de.scheincam.remux;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds ISO-BMFF (MP4) boxes into a growing byte array, and finds boxes inside one. Big-endian, as
 * the format is.
 */
final class Boxes {

    private byte[] buf = new byte[4096];
    private int len;
    private final int[] open = new int[32];
    private int depth;

    Boxes begin(String type) {
        open[depth++] = len;
        u32(0);
        ascii(type);
        return this;
    }

    Boxes beginFull(String type, int version, int flags) {
        begin(type);
        return u32(((long) version << 24) | (flags & 0xFFFFFF));
    }

    Boxes end() {
        int start = open[--depth];
        int size = len - start;
        buf[start] = (byte) (size >>> 24);
        buf[start + 1] = (byte) (size >>> 16);
        buf[start + 2] = (byte) (size >>> 8);
        buf[start + 3] = (byte) size;
        return this;
    }

    Boxes u8(int v) {
        ensure(1);
        buf[len++] = (byte) v;
        return this;
    }

    Boxes u16(int v) {
        return u8(v >>> 8).u8(v);
    }

    Boxes u32(long v) {
        ensure(4);
        buf[len++] = (byte) (v >>> 24);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
        return this;
    }

    Boxes u64(long v) {
        return u32(v >>> 32).u32(v & 0xFFFFFFFFL);
    }

    Boxes bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    Boxes zeros(int n) {
        ensure(n);
        len += n;
        return this;
    }

    Boxes ascii(String s) {
        return bytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Replaces each 64-bit value of the table at {@code from}, counted by the 32-bit value before it (as in co64). */
    Boxes mapU64s(int from, java.util.function.LongUnaryOperator f) {
        int count = (int) u32(buf, from - 4);
        for (int i = 0; i < count; i++) {
            int p = from + i * 8;
            long v = f.applyAsLong(u32(buf, p) << 32 | u32(buf, p + 4));
            for (int k = 0; k < 8; k++) {
                buf[p + k] = (byte) (v >>> (56 - 8 * k));
            }
        }
        return this;
    }

    int size() {
        return len;
    }

    byte[] toBytes() {
        return Arrays.copyOf(buf, len);
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }

    /** The payload (after the 8-byte header) of the first child box {@code type} from {@code from}. */
    static byte[] child(byte[] box, int from, String type) {
        int p = from;
        while (p + 8 <= box.length) {
            long size = u32(box, p);
            if (size < 8 || p + size > box.length) {
                return null;
            }
            if (type.equals(new String(box, p + 4, 4, StandardCharsets.ISO_8859_1))) {
                return Arrays.copyOfRange(box, p + 8, (int) (p + size));
            }
            p += (int) size;
        }
        return null;
    }

    static long u32(byte[] b, int p) {
        return ((b[p] & 0xFFL) << 24) | ((b[p + 1] & 0xFFL) << 16) | ((b[p + 2] & 0xFFL) << 8) | (b[p + 3] & 0xFFL);
    }

    static int u16(byte[] b, int p) {
        return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }
}
