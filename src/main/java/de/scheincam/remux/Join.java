package de.scheincam.remux;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Stream-copied cuts of several recordings (the parts of one show, in order) written as one clip, the
 * time between them left out: each part's samples follow the previous part's, their times shifted so
 * the clip plays on without a pause. One MP4 track has one sample entry, so this holds only where the
 * parts share it: the same picture format with the same SPS/PPS byte for byte (the same OBS settings)
 * and the same sound tracks. A part after the first must start on a keyframe (a part of a show begins
 * with one): an edit list can hide the run-up to the first frame only at the start of the clip. A part
 * before another ends where nothing shown after its end is decoded before it (see
 * {@link ClipCutter#joinEnd}).
 */
public final class Join {

    /** The joined picture counts in 1/90000 s, whatever each recording counts in (Matroska: milliseconds). */
    private static final long UNITS = 90_000;

    private final List<Cut> cuts;
    /** While writing: the file holding the silent frames, which is the last of the clip's sources. */
    private Path silenceFile;
    private int silenceIndex;

    private Join(List<Cut> cuts) {
        this.cuts = List.copyOf(cuts);
    }

    /** Throws UnsupportedSource, naming the difference, where the cuts cannot be one stream copy. */
    static Join of(List<Cut> cuts) {
        if (cuts.isEmpty()) {
            throw new IllegalArgumentException("nothing to join");
        }
        Cut first = cuts.get(0);
        Track v0 = first.index().video();
        for (int i = 0; i < cuts.size(); i++) {
            Cut c = cuts.get(i);
            String part = "part " + (i + 1) + " (" + c.index().file().getFileName() + ")";
            if (i > 0 && c.needsHead()) {
                throw new IllegalArgumentException(part + " needs a re-encoded head; only the first part can have one");
            }
            if (c.copied().isEmpty() && !c.needsHead()) {
                throw new NotRecordedYet(part + " holds no picture in its stretch");
            }
            if (i > 0 && (c.copied().get(0).pts() != c.start() || !c.copied().get(0).key())) {
                throw new UnsupportedSource(String.format(Locale.ROOT, "%s starts at %.3f s, between keyframes", part, c.startSeconds()));
            }
            Track v = c.index().video();
            if (i == 0) {
                continue;
            }
            String difference = pictureDifference(v0, v);
            if (difference != null) {
                throw new UnsupportedSource(part + " differs from part 1: " + difference);
            }
            if (c.sounds().size() != first.sounds().size()) {
                throw new UnsupportedSource(part + " has " + c.sounds().size() + " sound tracks, part 1 " + first.sounds().size());
            }
            for (int t = 0; t < c.sounds().size(); t++) {
                String sound = soundDifference(first.sounds().get(t), c.sounds().get(t));
                if (sound != null) {
                    throw new UnsupportedSource(part + "'s sound track " + (t + 1) + " differs from part 1's: " + sound);
                }
            }
        }
        return new Join(cuts);
    }

    /** Why two pictures cannot share one sample entry, or null when they can. */
    private static String pictureDifference(Track a, Track b) {
        if (!a.codec().equals(b.codec())) {
            return "picture " + b.codec() + ", not " + a.codec();
        }
        if (a.width() != b.width() || a.height() != b.height()) {
            return "picture " + b.width() + "×" + b.height() + ", not " + a.width() + "×" + a.height();
        }
        byte[] ca = a.avcConfig();
        byte[] cb = b.avcConfig();
        if (ca != null && cb != null) {
            ParameterSets pa = ParameterSets.of(ca);
            ParameterSets pb = ParameterSets.of(cb);
            return pa.sameAs(pb) ? null : "H.264 parameter sets (" + ParameterSets.difference(pa, pb).replace("the head", "this part")
                    .replace("the recording", "part 1") + ")";
        }
        return Arrays.equals(a.sampleEntry(), b.sampleEntry()) ? null : "the picture's codec configuration";
    }

    /** Why two sound tracks cannot share one sample entry, or null when they can. */
    private static String soundDifference(Track a, Track b) {
        if (!"mp4a".equals(a.codec()) || !"mp4a".equals(b.codec())) {
            return "sound " + b.codec() + " / " + a.codec() + " (only AAC is joined)";
        }
        if (a.sampleRate() != b.sampleRate()) {
            return b.sampleRate() + " Hz, not " + a.sampleRate() + " Hz";
        }
        byte[] da = audioConfig(a.sampleEntry());
        byte[] db = audioConfig(b.sampleEntry());
        return da != null && Arrays.equals(da, db) && channels(a) == channels(b) ? null : "AAC configuration";
    }

    private static int channels(Track t) {
        return Boxes.u16(t.sampleEntry(), 8 + 16);
    }

    /**
     * An AAC-LC frame of silence (max_sfb 0: no spectral data, valid at any sample rate), as ffmpeg's
     * encoder writes it for digital silence: mono (a single channel element), stereo (a channel pair).
     */
    private static final byte[][] SILENCE = {{0x01, 0x18, 0x20, 0x07}, {0x21, 0x10, 0x04, 0x60, (byte) 0x8c, 0x1c}};

    /** The AudioSpecificConfig in an mp4a entry's esds (its DecoderSpecificInfo, tag 5), or null. */
    static byte[] audioConfig(byte[] mp4a) {
        // QuickTime sound descriptions (MOV) of version 1 and 2 have 16 and 36 more bytes before their
        // children, and may hold the esds inside a 'wave' box
        int version = Boxes.u16(mp4a, 8 + 8);
        int children = 8 + 28 + (version == 1 ? 16 : version == 2 ? 36 : 0);
        byte[] esds = Boxes.child(mp4a, children, "esds");
        if (esds == null) {
            byte[] wave = Boxes.child(mp4a, children, "wave");
            esds = wave == null ? null : Boxes.child(wave, 0, "esds");
        }
        if (esds == null) {
            return null;
        }
        int p = 4; // version and flags
        while (p < esds.length) {
            int tag = esds[p++] & 0xFF;
            int len = 0;
            for (int i = 0; i < 4 && p < esds.length; i++) {
                int b = esds[p++] & 0xFF;
                len = len << 7 | b & 0x7F;
                if ((b & 0x80) == 0) {
                    break;
                }
            }
            if (tag == 0x05) {
                return p + len <= esds.length ? Arrays.copyOfRange(esds, p, p + len) : null;
            }
            if (tag == 0x03) {
                p += 3; // ES_ID and flags (no optional fields in what encoders write); its children follow
            } else if (tag == 0x04) {
                p += 13; // object type, stream type, buffer size, bit rates; its DecoderSpecificInfo follows
            } else {
                p += len;
            }
        }
        return null;
    }

    /** Seconds of the clip: the parts' stretches, one after the other. */
    public double seconds() {
        return cuts.stream().mapToDouble(Cut::seconds).sum();
    }

    public int parts() {
        return cuts.size();
    }

    public int soundTracks() {
        return cuts.get(0).soundTracks();
    }

    /** About how many bytes the clip takes (see {@link Cut#bytes()}). */
    public long bytes() {
        return cuts.stream().mapToLong(Cut::bytes).sum();
    }

    /** Each part's keyframes and last frame are whole (see {@link Cut#requirePictures()}). */
    public void requirePictures() throws IOException {
        for (Cut c : cuts) {
            c.requirePictures();
        }
    }

    /** True when the first part starts between keyframes in a frame-exact join: its head must be re-encoded first. */
    public boolean needsHead() {
        return cuts.get(0).needsHead();
    }

    /** The first part's head, as {@link Cut#headArgs(Path, byte[])} has it re-encoded. */
    public Cut first() {
        return cuts.get(0);
    }

    /** Writes the joined clip of stream-copied parts; {@code indexWritten} as in {@link Cut#write(Path, Consumer)}. */
    public void write(Path out, Consumer<Path> indexWritten) throws IOException {
        write(out, (Path) null, indexWritten);
    }

    /**
     * Writes the joined clip, the first part a smart cut with its head from {@code headFile} (null when it
     * has none); returns how the head was spliced (null without one). Throws UnsupportedSource where the
     * head carries parameter sets of its own: the later parts' frames would then point at the wrong ones.
     */
    public String write(Path out, Path headFile, Consumer<Path> indexWritten) throws IOException {
        List<Cut.Part> parts = new ArrayList<>();
        Cut.Part head = needsHead() ? cuts.get(0).spliced(headFile) : null;
        try {
            for (Cut c : cuts) {
                parts.add(parts.isEmpty() && head != null ? head : c.copiedPart());
            }
            if (head != null && !Arrays.equals(head.video().sampleEntry(), parts.size() > 1 ? parts.get(1).video().sampleEntry()
                    : head.video().sampleEntry())) {
                throw new UnsupportedSource("the first part's re-encoded head has parameter sets of its own (" + head.how() + ")");
            }
            writeParts(out, parts, indexWritten);
            return head == null ? null : head.how();
        } finally {
            if (head != null) {
                head.deleteTemporary();
            }
        }
    }

    private synchronized void writeParts(Path out, List<Cut.Part> parts, Consumer<Path> indexWritten) throws IOException {
        List<Path> files = new ArrayList<>();
        silenceIndex = parts.stream().mapToInt(p -> p.files().size()).sum();
        silenceFile = out.resolveSibling(out.getFileName() + ".silence");
        try {
            writeParts(out, parts, files, indexWritten);
        } finally {
            java.nio.file.Files.deleteIfExists(silenceFile);
        }
    }

    private void writeParts(Path out, List<Cut.Part> parts, List<Path> files, Consumer<Path> indexWritten) throws IOException {
        List<Sample> video = new ArrayList<>();
        Cut first = cuts.get(0);
        long ts0 = first.index().video().timescale();
        long earliest = parts.get(0).video().samples().stream().mapToLong(Sample::pts).min().orElse(first.start());
        // the first part's run-up (keyframe to its first frame shown) before the presentation start
        long presentFrom = units(first.start() - earliest, ts0) + UNITS / 10; // room for sound starting a frame early
        long base = presentFrom;
        int sounds = first.soundTracks();
        List<List<Sample>> audio = new ArrayList<>();
        for (int t = 0; t < sounds; t++) {
            audio.add(new ArrayList<>());
        }
        for (int i = 0; i < cuts.size(); i++) {
            Cut c = cuts.get(i);
            Cut.Part part = parts.get(i);
            int fileBase = files.size();
            files.addAll(part.files());
            long ts = c.index().video().timescale();
            long end = base + Math.round(c.seconds() * UNITS);
            List<Sample> mine = new ArrayList<>();
            for (Sample x : part.video().samples()) {
                mine.add(x.inFile(fileBase + x.file()).at(base + units(x.pts() - c.start(), ts)));
            }
            if (i < cuts.size() - 1 && mine.stream().anyMatch(x -> x.pts() >= end)) {
                // frames shown after this part's end but decoded before it: nothing could hide them (see ClipCutter#joinEnd)
                throw new UnsupportedSource("part " + (i + 1) + " ends where frames shown after it are decoded before it");
            }
            video.addAll(mine);
            for (int t = 0; t < sounds; t++) {
                Track a = c.sounds().get(t);
                long rate = a.timescale();
                long from = Math.round(base * (double) rate / UNITS);
                List<Sample> track = audio.get(t);
                for (Sample x : a.samples()) {
                    long at = from + x.pts() - c.soundFrom(t);
                    Sample mapped = x.inFile(fileBase + x.file());
                    if (track.isEmpty()) {
                        track.add(mapped.at(at));
                        continue;
                    }
                    // AAC frames follow each other without a pause; where two parts' sound overlaps (each begins
                    // up to a frame early, see Cut#sound) the later part's first frames give way; where the
                    // earlier part's sound stopped before its picture (OBS killed: its last sound is lost),
                    // silence fills up to the later part's, which thus stays in sync with its picture
                    long next = track.get(track.size() - 1).pts() + 1024;
                    while (at >= next + 512) {
                        track.add(silence(a, next));
                        next += 1024;
                    }
                    if (at >= next - 512) {
                        track.add(mapped.at(next));
                    }
                }
            }
            base = end;
        }
        double seconds = (base - presentFrom) / (double) UNITS;
        Track v0 = parts.get(0).video();
        List<Mp4ClipWriter.Output> outputs = new ArrayList<>();
        outputs.add(new Mp4ClipWriter.Output(new Track(Track.Kind.VIDEO, UNITS, v0.sampleEntry(), v0.width(), v0.height(), 0, video),
                presentFrom, seconds));
        for (int t = 0; t < sounds; t++) {
            Track a = first.sounds().get(t);
            outputs.add(new Mp4ClipWriter.Output(a.withSamples(audio.get(t)), Math.round(presentFrom * (double) a.timescale() / UNITS),
                    seconds));
        }
        boolean silent = audio.stream().flatMap(List::stream).anyMatch(x -> x.file() == silenceIndex);
        if (silent) {
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            b.writeBytes(SILENCE[0]);
            b.writeBytes(SILENCE[1]);
            java.nio.file.Files.write(silenceFile, b.toByteArray());
            files.add(silenceFile);
        }
        Mp4ClipWriter.write(out, files, outputs, indexWritten);
    }

    /** A silent frame of {@code a}'s channel layout at {@code pts}, from the silence file written beside the clip. */
    private Sample silence(Track a, long pts) {
        int channels = channels(a);
        if (channels < 1 || channels > 2) {
            throw new UnsupportedSource("the sound of " + channels + " channels would need silence between the parts");
        }
        byte[] frame = SILENCE[channels - 1];
        return new Sample(silenceIndex, channels == 1 ? 0 : SILENCE[0].length, frame.length, pts, true);
    }

    private static long units(long pts, long timescale) {
        return timescale == UNITS ? pts : Math.round(pts * (double) UNITS / timescale);
    }
}
