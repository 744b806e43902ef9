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
}
