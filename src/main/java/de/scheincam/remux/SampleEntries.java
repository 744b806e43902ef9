package de.scheincam.remux;

/** MP4 sample entries for a Matroska track's H.264 and AAC configuration (ISO/IEC 14496-12, -14, -15). */
final class SampleEntries {

    private SampleEntries() {
    }

    static byte[] avc1(int width, int height, byte[] avcC) {
        Boxes b = new Boxes().begin("avc1");
        b.zeros(6).u16(1);            // reserved, data_reference_index
        b.zeros(16);                  // pre_defined, reserved
        b.u16(width).u16(height);
        b.u32(0x00480000).u32(0x00480000).u32(0).u16(1); // 72 dpi, reserved, frame_count
        b.zeros(32);                  // compressorname
        b.u16(0x18).u16(0xFFFF);      // depth, pre_defined
        b.begin("avcC").bytes(avcC).end();
        return b.end().toBytes();
    }

    static byte[] mp4a(int channels, int sampleRate, byte[] audioSpecificConfig) {
        Boxes b = new Boxes().begin("mp4a");
        b.zeros(6).u16(1).zeros(8);
        b.u16(channels).u16(16).u16(0).u16(0).u32((long) sampleRate << 16);
        b.beginFull("esds", 0, 0);
        int dsi = audioSpecificConfig.length;
        int dcd = 13 + 2 + dsi;
        int es = 3 + 2 + dcd + 3;
        b.u8(0x03).u8(es).u16(0).u8(0);               // ES_Descriptor: ES_ID, flags
        b.u8(0x04).u8(dcd).u8(0x40).u8(0x15);          // DecoderConfig: AAC, audio stream
        b.u8(0).u16(0).u32(0).u32(0);                  // buffer size, max and average bitrate unknown
        b.u8(0x05).u8(dsi).bytes(audioSpecificConfig); // DecoderSpecificInfo
        b.u8(0x06).u8(1).u8(0x02);                     // SLConfig: predefined MP4
        b.end();
        return b.end().toBytes();
    }

    /** The sample entry (avc1 box, complete) with another avcC payload; its other child boxes stay. */
    static byte[] withAvcC(byte[] entry, byte[] avcC) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(entry.length + avcC.length);
        out.write(entry, 0, 8 + 78);
        int p = 8 + 78;
        boolean replaced = false;
        while (p + 8 <= entry.length) {
            int size = (int) Boxes.u32(entry, p);
            if (size < 8 || p + size > entry.length) {
                break;
            }
            if (!replaced && "avcC".equals(new String(entry, p + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1))) {
                int n = 8 + avcC.length;
                out.write(n >>> 24);
                out.write(n >>> 16);
                out.write(n >>> 8);
                out.write(n);
                out.writeBytes("avcC".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                out.writeBytes(avcC);
                replaced = true;
            } else {
                out.write(entry, p, size);
            }
            p += size;
        }
        byte[] b = out.toByteArray();
        b[0] = (byte) (b.length >>> 24);
        b[1] = (byte) (b.length >>> 16);
        b[2] = (byte) (b.length >>> 8);
        b[3] = (byte) b.length;
        return b;
    }
}
