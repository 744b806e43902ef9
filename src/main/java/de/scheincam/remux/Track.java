package de.scheincam.remux;

import java.util.List;

/**
 * One stream of a recording as an MP4 needs it: its MP4 sample entry (avc1/mp4a… box, complete),
 * timescale, picture or sound format, and its samples in decode order.
 */
public record Track(Kind kind, long timescale, byte[] sampleEntry, int width, int height, int sampleRate,
                    List<Sample> samples) {

    public enum Kind { VIDEO, AUDIO }

    Track withSamples(List<Sample> newSamples) {
        return new Track(kind, timescale, sampleEntry, width, height, sampleRate, newSamples);
    }

    /** The avcC box's payload inside an avc1 sample entry, or null: SPS/PPS and the NAL length size. */
    public byte[] avcConfig() {
        return Boxes.child(sampleEntry, 8 + 78, "avcC");
    }

    public String codec() {
        return new String(sampleEntry, 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Seconds → this track's time units. */
    long units(double seconds) {
        return Math.round(seconds * timescale);
    }
}
