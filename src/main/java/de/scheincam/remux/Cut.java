package de.scheincam.remux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A planned clip: which samples of the recording it copies, and for a frame-exact clip which frames
 * (the "head", from the requested frame to the next keyframe) must be re-encoded first. Presentation
 * starts at the frame shown at the requested time, in every track, so picture and sound stay in sync.
 * Every sound track starts at the same source time as the first picture in the file (a stream copy's
 * keyframe before the request), so a player that ignores the edit lists shows the run-up in sync too.
 */
public final class Cut {

    private final RecordingIndex index;
    private final double seconds;
    private final long start;           // video units: the first frame shown
    private final List<Sample> copied;  // video samples taken as they are (decode order)
    private final List<Sample> head;    // source frames to re-encode, in presentation order
    private final List<Track> audio;    // every sound track, in sample-rate units
    private final long[] audioFrom;     // where each one's presentation starts

    private Cut(RecordingIndex index, double seconds, long start, List<Sample> copied, List<Sample> head,
                List<Track> audio, long[] audioFrom) {
        this.index = index;
        this.seconds = seconds;
        this.start = start;
        this.copied = copied;
        this.head = head;
        this.audio = audio;
        this.audioFrom = audioFrom;
    }

    static Cut plan(RecordingIndex index, double from, double to, boolean exact) {
        Track v = index.video();
        List<Sample> vs = v.samples();
        if (vs.isEmpty()) {
            throw new NotRecordedYet("no picture has been written yet");
        }
        long ts = v.timescale();
        long s = Math.round(from * ts);
        long e = Math.round(to * ts);
        long tolerance = Math.max(1, ts / 2000);
        // the frame shown at `from`
        long first = Long.MIN_VALUE;
        long earliest = Long.MAX_VALUE;
        long latest = Long.MIN_VALUE;
        for (Sample x : vs) {
            earliest = Math.min(earliest, x.pts());
            latest = Math.max(latest, x.pts());
            if (x.pts() <= s + tolerance && x.pts() > first) {
                first = x.pts();
            }
        }
        if (first == Long.MIN_VALUE) {
            first = earliest;
        }
        if (!Double.isInfinite(index.end()) && latest < e - ts / 10) {
            throw new NotRecordedYet(String.format(Locale.ROOT,
                    "only %.1f s of the recording are written so far; the stretch ends at %.1f s", latest / (double) ts, to));
        }
        int k0 = -1;
        for (int i = 0; i < vs.size(); i++) {
            if (vs.get(i).key() && vs.get(i).pts() <= first) {
                k0 = i;
            }
        }
        if (k0 < 0) {
            throw new UnsupportedSource("no keyframe before the start");
        }
        int last = k0;
        for (int i = k0; i < vs.size(); i++) {
            if (vs.get(i).pts() < e) {
                last = i;
            }
        }
        final long shownFirst = first;
        List<Sample> copied;
        List<Sample> head = List.of();
        boolean onKeyframe = vs.get(k0).pts() == shownFirst;
        if (!exact || onKeyframe) {
            copied = new ArrayList<>(vs.subList(k0, last + 1));
        } else {
            int k1 = -1;
            for (int i = k0 + 1; i <= last; i++) {
                if (vs.get(i).key()) {
                    k1 = i;
                    break;
                }
            }
            int headEnd = k1 < 0 ? last + 1 : k1;
            head = vs.subList(k0, headEnd).stream().filter(x -> x.pts() >= shownFirst && x.pts() < e)
                    .sorted(java.util.Comparator.comparingLong(Sample::pts)).toList();
            copied = k1 < 0 ? new ArrayList<>() : new ArrayList<>(vs.subList(k1, last + 1));
        }
        double clipSeconds = (e - shownFirst) / (double) ts;
        // the file's first picture (the keyframe of a stream copy, the requested frame of a smart cut) is
        // shown at 0 by a player ignoring edit lists (see Mp4ClipWriter): the sound starts there too
        List<Sample> video = head.isEmpty() ? copied : head;
        double soundFrom = video.stream().mapToLong(Sample::pts).min().orElse(shownFirst) / (double) ts;
        List<Track> a = new ArrayList<>();
        List<Long> aFrom = new ArrayList<>();
        for (Track sound : index.sounds()) {
            if (!sound.samples().isEmpty()) {
                Track t = sound(sound, soundFrom, shownFirst / (double) ts, to);
                a.add(t);
                aFrom.add(Math.round(shownFirst / (double) ts * t.timescale()));
            }
        }
        return new Cut(index, clipSeconds, shownFirst, copied, head, a, aFrom.stream().mapToLong(Long::longValue).toArray());
    }

    /**
     * The sound frames from the one starting nearest to {@code from} up to {@code to}, beginning at least
     * half a frame before {@code shown} (the AAC decoder needs a frame to start clean: its first output is
     * then before what is heard), in units of the sample rate; Matroska's millisecond times are snapped to
     * whole 1024-sample frames.
     */
    private static Track sound(Track a, double from, double shown, double to) {
        int rate = a.sampleRate() > 0 ? a.sampleRate() : (int) a.timescale();
        List<Sample> in = a.samples();
        int i0 = 0;
        int i1 = in.size() - 1;
        double frame = 1024.0 / rate;
        double begin = Math.min(from + frame / 2, shown - frame / 2);
        for (int i = 0; i < in.size(); i++) {
            double t = in.get(i).pts() / (double) a.timescale();
            if (t <= begin + 1e-4) {
                i0 = i;
            }
            if (t < to) {
                i1 = i;
            }
        }
        List<Sample> out = new ArrayList<>();
        long firstPts = Math.round(in.get(i0).pts() * (double) rate / a.timescale());
        boolean regular = true;
        for (int i = i0; i <= i1; i++) {
            long p = Math.round(in.get(i).pts() * (double) rate / a.timescale());
            regular &= Math.abs(p - (firstPts + (long) (i - i0) * 1024)) <= 256;
            out.add(in.get(i).at(p));
        }
        if (regular && "mp4a".equals(a.codec())) {
            for (int i = 0; i < out.size(); i++) {
                out.set(i, out.get(i).at(firstPts + (long) i * 1024));
            }
        }
        return new Track(Track.Kind.AUDIO, rate, a.sampleEntry(), 0, 0, rate, out);
    }

    /** True when frames must be re-encoded before the clip can be written (exact, start between keyframes). */
    public boolean needsHead() {
        return !head.isEmpty();
    }

    public int headFrames() {
        return head.size();
    }

    /** Seconds of the first frame shown. */
    public double startSeconds() {
        return start / (double) index.video().timescale();
    }

    public double seconds() {
        return seconds;
    }

    /** The clip's sound tracks, one for each of the recording's. */
    public int soundTracks() {
        return audio.size();
    }

    /**
     * ffmpeg arguments (after the executable) that re-encode the head into {@code out} as MP4 with
     * headers identical to the recording's. x264 writes its settings only into the recording's very
     * first frame ({@code firstFrame}, see ClipCutter#firstFrame). Throws UnsupportedSource when the recording cannot be matched.
     */
    public List<String> headArgs(Path out, byte[] firstFrame) throws IOException {
        Track v = index.video();
        byte[] avcC = v.avcConfig();
        if (avcC == null || avcC.length < 7 || !"avc1".equals(v.codec())) {
            throw new UnsupportedSource("picture is not H.264 with out-of-band parameter sets");
        }
        X264Settings x264 = X264Settings.fromKeyframe(firstFrame, (avcC[4] & 3) + 1);
        if (!copied.isEmpty() && !idr(read(copied.get(0)), (avcC[4] & 3) + 1)) {
            throw new UnsupportedSource("the keyframe after the start is not an IDR frame");
        }
        double ts = v.timescale();
        // -ss half a frame unit before the first frame: exact for millisecond (Matroska) and finer timescales
        String seek = String.format(Locale.ROOT, "%.6f", (start - 0.5) / ts);
        List<String> args = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-v", "error", "-y",
                "-seek_timestamp", "1", "-ss", seek, "-i", index.file().toString(),
                "-map", "0:v:0", "-an", "-sn", "-dn", "-frames:v", String.valueOf(head.size()),
                "-fps_mode", "passthrough", "-c:v", "libx264", "-preset", "ultrafast",
                "-x264-params", x264.params() + ":level=" + (avcC[3] & 0xFF),
                "-f", "mp4", out.toString()));
        return args;
    }

    /**
     * The clip as it is planned, without a re-encoded head. {@code indexWritten} learns when the clip's
     * index is in {@code out}, before the media bytes are (see Mp4ClipWriter).
     */
    public void write(Path out, Consumer<Path> indexWritten) throws IOException {
        if (needsHead()) {
            throw new IllegalStateException("this clip needs its re-encoded head");
        }
        Mp4ClipWriter.write(out, List.of(index.file()), outputs(copied, index.video()), indexWritten);
    }

    /**
     * The clip with the re-encoded head from {@code headFile}; throws UnsupportedSource when the head's
     * parameter sets differ from the recording's (then the parts would not decode as one stream).
     */
    public void write(Path out, Path headFile, Consumer<Path> indexWritten) throws IOException {
        Track encoded = Mp4Reader.read(headFile, 0, Double.POSITIVE_INFINITY).video();
        if (encoded == null || encoded.samples().size() != head.size()) {
            throw new UnsupportedSource("the re-encoded head has " + (encoded == null ? 0 : encoded.samples().size())
                    + " frames, expected " + head.size());
        }
        if (!copied.isEmpty() && !sameParameterSets(encoded.avcConfig(), index.video().avcConfig())) {
            throw new UnsupportedSource("the re-encoded head's SPS/PPS differ from the recording's");
        }
        long[] order = encoded.samples().stream().mapToLong(Sample::pts).sorted().toArray();
        List<Sample> joined = new ArrayList<>();
        for (Sample x : encoded.samples()) {
            int rank = Arrays.binarySearch(order, x.pts());
            joined.add(new Sample(1, x.offset(), x.size(), head.get(rank).pts(), x.key()));
        }
        joined.addAll(copied);
        Track v = copied.isEmpty() ? encoded : index.video();
        Mp4ClipWriter.write(out, List.of(index.file(), headFile), outputs(joined, v), indexWritten);
    }

    private List<Mp4ClipWriter.Output> outputs(List<Sample> video, Track videoTrack) {
        List<Mp4ClipWriter.Output> out = new ArrayList<>();
        Track v = new Track(Track.Kind.VIDEO, index.video().timescale(), videoTrack.sampleEntry(),
                index.video().width(), index.video().height(), 0, video);
        out.add(new Mp4ClipWriter.Output(v, start, seconds));
        for (int k = 0; k < audio.size(); k++) {
            out.add(new Mp4ClipWriter.Output(audio.get(k), audioFrom[k], seconds));
        }
        return out;
    }

    static boolean sameParameterSets(byte[] a, byte[] b) {
        return a != null && b != null && Arrays.equals(parameterSets(a), parameterSets(b));
    }

    /** The SPS and PPS NAL units of an avcC record, concatenated with their lengths. */
    private static byte[] parameterSets(byte[] avcC) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int p = 5;
        for (int list = 0; list < 2 && p < avcC.length; list++) {
            int n = list == 0 ? avcC[p] & 0x1F : avcC[p] & 0xFF;
            p++;
            for (int i = 0; i < n && p + 2 <= avcC.length; i++) {
                int len = Boxes.u16(avcC, p);
                out.write(avcC, p, Math.min(len + 2, avcC.length - p));
                p += 2 + len;
            }
        }
        return out.toByteArray();
    }

    private static boolean idr(byte[] sample, int lengthSize) {
        int p = 0;
        while (p + lengthSize < sample.length) {
            int len = 0;
            for (int i = 0; i < lengthSize; i++) {
                len = (len << 8) | (sample[p + i] & 0xFF);
            }
            int type = sample[p + lengthSize] & 0x1F;
            if (type == 5) {
                return true;
            }
            if (type >= 1 && type <= 4 || len <= 0) {
                return false;
            }
            p += lengthSize + len;
        }
        return false;
    }

    private byte[] read(Sample x) throws IOException {
        return read(index.file(), x);
    }

    static byte[] read(Path file, Sample x) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(x.size());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (b.hasRemaining()) {
                if (ch.read(b, x.offset() + b.position()) < 0) {
                    throw new UnsupportedSource("the recording ends inside a frame");
                }
            }
        }
        return b.array();
    }
}
