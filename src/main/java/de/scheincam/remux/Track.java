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

    /**
     * The pts of the frame shown at {@code seconds}: the last one starting at or before it, within a
     * millisecond (a request in whole milliseconds, rounded either way, names a frame starting a hair after it); the earliest frame
     * when none starts before. Long.MIN_VALUE when the track has no samples.
     */
    public long shownAt(double seconds) {
        long s = units(seconds);
        long tolerance = Math.max(1, timescale / 1000);
        long first = Long.MIN_VALUE;
        long earliest = Long.MAX_VALUE;
        for (Sample x : samples) {
            earliest = Math.min(earliest, x.pts());
            if (x.pts() <= s + tolerance && x.pts() > first) {
                first = x.pts();
            }
        }
        return first != Long.MIN_VALUE ? first : samples.isEmpty() ? Long.MIN_VALUE : earliest;
    }

    /** Seconds → this track's time units. */
    long units(double seconds) {
        return Math.round(seconds * timescale);
    }
}
