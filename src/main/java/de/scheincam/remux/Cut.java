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
import java.util.Map;
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
    private final List<Sample> checked; // the frames whose bytes requirePictures() looks at

    private Cut(RecordingIndex index, double seconds, long start, List<Sample> copied, List<Sample> head,
                List<Track> audio, long[] audioFrom, List<Sample> checked) {
        this.index = index;
        this.checked = checked;
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
        long e = endOf(v, to);
        double end = e / (double) ts;
        long first = v.shownAt(from);
        long latest = Long.MIN_VALUE;
        for (Sample x : vs) {
            latest = Math.max(latest, x.pts());
        }
        if (!Double.isInfinite(index.end()) && latest < e - ts / 10) {
            throw new NotRecordedYet(String.format(Locale.ROOT,
                    "only %.1f s of the recording are written so far; the stretch ends at %.1f s", latest / (double) ts, end));
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
                Track t = sound(sound, soundFrom, shownFirst / (double) ts, end);
                a.add(t);
                aFrom.add(Math.round(shownFirst / (double) ts * t.timescale()));
            }
        }
        // the keyframes the clip is decoded from and its last frame: where a damaged stretch shows (see requirePictures)
        List<Sample> checked = new ArrayList<>();
        for (int i = k0; i <= last; i++) {
            if (vs.get(i).key() || i == last) {
                checked.add(vs.get(i));
            }
        }
        return new Cut(index, clipSeconds, shownFirst, copied, head, a, aFrom.stream().mapToLong(Long::longValue).toArray(),
                List.copyOf(checked));
    }

    /**
     * Where the clip ends, in the picture's units. A request names its end in whole milliseconds (rounded
     * either way), so a frame starting within a millisecond of it is the frame shown at the end, after the clip: the clip
     * ends where that frame starts (else the frame would be in the file, hidden only by the edit list,
     * and a player ignoring edit lists would show it: one frame too many).
     */
    private static long endOf(Track v, double to) {
        long e = v.units(to);
        long shown = v.shownAt(to);
        return shown != Long.MIN_VALUE && Math.abs(shown - e) <= Math.max(1, v.timescale() / 1000) ? shown : e;
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

    /**
     * About how many bytes the clip takes: the media it copies, the frames it re-encodes at their size in
     * the recording (the head is encoded at the recording's own settings), and for its index 32 bytes a
     * frame, plus a few pages its aligned copy may start early.
     */
    public long bytes() {
        long bytes = 64L << 10;
        List<Sample> all = new ArrayList<>(copied);
        all.addAll(head);
        audio.forEach(t -> all.addAll(t.samples()));
        for (Sample x : all) {
            bytes += x.size() + 32L;
        }
        return bytes;
    }

    /**
     * Throws NotRecordedYet when one of them lies past the end of the file (a truncated recording whose
     * index claims more), DamagedSource when a keyframe the clip is decoded from, or its last frame, is not H.264 data:
     * its NAL units (each a length, then a header byte) must fill the frame exactly. A recording with zeros
     * in place of its media (a damaged disk, a crafted file) has a whole index whose frames are zeros: a
     * stream copy would be "done" and show nothing, a smart cut's head would fail in ffmpeg. Reads a few
     * bytes per NAL unit of a few frames (one per keyframe interval), not the frames themselves; damage
     * only between keyframes is not seen (the clip then shows it, as the recording does). Pictures that are
     * not H.264 with out-of-band parameter sets are not checked.
     */
    public void requirePictures() throws IOException {
        Track v = index.video();
        byte[] avcC = v.avcConfig();
        if (avcC == null || avcC.length < 7 || !"avc1".equals(v.codec())) {
            return;
        }
        int lengthSize = (avcC[4] & 0x03) + 1;
        try (FileChannel ch = FileChannel.open(index.file(), StandardOpenOption.READ)) {
            long fileSize = ch.size();
            for (Sample x : checked) {
                if (x.offset() + x.size() > fileSize) {
                    // an index (a moov written first, a Matroska header's Duration) that claims more than the file holds
                    throw new NotRecordedYet(String.format(Locale.ROOT, "the file ends at byte %d, before the picture frame at %.3f s",
                            fileSize, x.pts() / (double) v.timescale()));
                }
                String wrong = nalUnitsWrong(ch, x, lengthSize);
                if (wrong != null) {
                    throw new DamagedSource(String.format(Locale.ROOT, "the picture frame at %.3f s (byte %d) is not H.264 data: %s",
                            x.pts() / (double) v.timescale(), x.offset(), wrong), x.offset());
                }
            }
        }
    }

    /** Why the frame's bytes are not length-prefixed NAL units, or null when they are. */
    private static String nalUnitsWrong(FileChannel ch, Sample x, int lengthSize) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(lengthSize + 1);
        long p = 0;
        for (int units = 0; p < x.size(); units++) {
            if (units == 256) {
                return null; // far more than an encoder writes into one frame; what was read is fine
            }
            if (p + lengthSize + 1 > x.size()) {
                return "its last NAL unit has no room for its header";
            }
            b.clear();
            while (b.hasRemaining()) {
                if (ch.read(b, x.offset() + p + b.position()) < 0) {
                    return "the recording ends inside it";
                }
            }
            long len = 0;
            for (int i = 0; i < lengthSize; i++) {
                len = (len << 8) | (b.get(i) & 0xFF);
            }
            int header = b.get(lengthSize) & 0xFF;
            if (len == 0) {
                return "a NAL unit of length 0" + (p == 0 && header == 0 ? " (zero bytes)" : "");
            }
            if (p + lengthSize + len > x.size()) {
                return "a NAL unit of " + len + " bytes in a frame of " + x.size();
            }
            int type = header & 0x1F;
            if ((header & 0x80) != 0 || type == 0 || type > 23) {
                return "a NAL unit header " + String.format(Locale.ROOT, "0x%02x", header);
            }
            p += lengthSize + len;
        }
        return null;
    }

    RecordingIndex index() {
        return index;
    }

    /** The first frame shown, in the picture's units. */
    long start() {
        return start;
    }

    /** The picture's samples the clip copies, in decode order. */
    List<Sample> copied() {
        return copied;
    }

    /** The clip's sound tracks (sample-rate units) and where each one's presentation starts. */
    List<Track> sounds() {
        return audio;
    }

    long soundFrom(int track) {
        return audioFrom[track];
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
     * ffmpeg arguments (after the executable) that re-encode the head into {@code out} as MP4, with
     * headers identical to the recording's where x264 can reproduce them. x264 writes its settings only
     * into the recording's very first frame ({@code firstFrame}, see ClipCutter#firstFrame); what they do
     * not tell comes from the recording's SPS: a fixed frame rate (OBS's x264 writes
     * {@code fixed_frame_rate_flag=1}, ffmpeg's libx264 only with {@code force-cfr}) and its rate. A
     * recording by another encoder (NVENC, QSV, …) gets a head at its bit rate and profile, which then
     * carries its own parameter sets (see {@link #write(Path, Path, Consumer)}). Throws UnsupportedSource
     * for pictures that cannot be spliced at all (not H.264, interlaced, open GOPs, not 8-bit 4:2:0).
     */
    public List<String> headArgs(Path out, byte[] firstFrame) throws IOException {
        Track v = index.video();
        byte[] avcC = v.avcConfig();
        if (avcC == null || avcC.length < 7 || !"avc1".equals(v.codec())) {
            throw new UnsupportedSource("picture is not H.264 with out-of-band parameter sets");
        }
        ParameterSets sets = ParameterSets.of(avcC);
        Map<String, Long> sps = ParameterSets.spsFields(sets.sps().get(0));
        if (sps.getOrDefault("frame_mbs_only_flag", 1L) == 0) {
            throw new UnsupportedSource("interlaced picture");
        }
        if (sps.getOrDefault("chroma_format_idc", 1L) != 1 || sps.getOrDefault("bit_depth_luma_minus8", 0L) != 0) {
            throw new UnsupportedSource("the picture is not 8-bit 4:2:0");
        }
        int lengthSize = sets.lengthSize();
        if (!copied.isEmpty() && !idr(read(copied.get(0)), lengthSize)) {
            throw new UnsupportedSource("the keyframe after the start is not an IDR frame");
        }
        double ts = v.timescale();
        // -ss half a frame unit before the first frame: exact for millisecond (Matroska) and finer timescales
        String seek = String.format(Locale.ROOT, "%.6f", (start - 0.5) / ts);
        List<String> args = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-v", "error", "-y",
                "-seek_timestamp", "1", "-ss", seek, "-i", index.file().toString(),
                "-map", "0:v:0", "-an", "-sn", "-dn", "-frames:v", String.valueOf(head.size()),
                "-fps_mode", "passthrough", "-c:v", "libx264", "-preset", "ultrafast"));
        X264Settings x264 = X264Settings.find(firstFrame, lengthSize);
        StringBuilder params = new StringBuilder();
        if (x264 != null) {
            params.append(x264.params());
            int spsId = ParameterSets.spsId(sets.sps().get(0));
            if (spsId != 0 && spsId == ParameterSets.ppsId(sets.pps().get(0))) {
                params.append(":sps-id=").append(spsId); // x264 gives its PPS the same id
            }
        } else {
            long kbps = Math.max(100, videoBitsPerSecond(index) / 1000);
            params.append("bitrate=").append(kbps).append(":vbv-maxrate=").append(kbps).append(":vbv-bufsize=").append(kbps * 2);
            long profile = sps.getOrDefault("profile_idc", 100L);
            args.addAll(List.of("-profile:v", profile == 66 ? "baseline" : profile == 77 ? "main" : "high"));
        }
        params.append(":level=").append(avcC[3] & 0xFF);
        if (sps.getOrDefault("fixed_frame_rate_flag", 0L) == 1 && sps.getOrDefault("num_units_in_tick", 0L) > 0) {
            params.append(":force-cfr=1:fps=").append(sps.get("time_scale")).append('/').append(2 * sps.get("num_units_in_tick"));
        }
        args.addAll(List.of("-x264-params", params.toString(), "-f", "mp4", out.toString()));
        return args;
    }

    /**
     * The picture's bit rate, from the sizes of the frames the index holds (the stretch around a clip):
     * what a head from another encoder, or a full re-encode, is given to keep the recording's quality.
     */
    public static long videoBitsPerSecond(RecordingIndex index) {
        List<Sample> vs = index.video().samples();
        if (vs.size() < 2) {
            return 0;
        }
        long bytes = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (Sample x : vs) {
            bytes += x.size();
            first = Math.min(first, x.pts());
            last = Math.max(last, x.pts());
        }
        double seconds = (last - first) / (double) index.video().timescale() * vs.size() / (vs.size() - 1);
        return seconds <= 0 ? 0 : Math.round(bytes * 8 / seconds);
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
     * The clip with the re-encoded head from {@code headFile}; returns how head and copy were joined, for
     * the job's note. Where the head's parameter sets equal the recording's byte for byte, the clip has
     * one SPS and PPS. Where they differ (another encoder, settings x264 cannot reproduce), the head's
     * own SPS and PPS get ids the recording does not use, its slices point at them, and both pairs go
     * into the clip's avcC (the recording's first, for decoders that take only the first) and in-band
     * into the head's first frame: every slice finds the set it was coded with, and a decoder meets the
     * switch back only at the copied IDR keyframe, where H.264 allows it.
     */
    public String write(Path out, Path headFile, Consumer<Path> indexWritten) throws IOException {
        Part part = spliced(headFile);
        try {
            Mp4ClipWriter.write(out, part.files(), outputs(part.video().samples(), part.video()), indexWritten);
        } finally {
            part.deleteTemporary();
        }
        return part.how();
    }

    /**
     * What the clip is made of: its source files (the recording, and the re-encoded head's frames where
     * there is one), the picture as written (samples in decode order, their {@code file} indexing
     * {@code files}, and its sample entry), and the sound. {@code how}: how a head was joined;
     * {@code temporary}: a file made for it, to delete once the clip is written (or null).
     */
    record Part(List<Path> files, Track video, String how, Path temporary) {

        void deleteTemporary() throws IOException {
            if (temporary != null) {
                java.nio.file.Files.deleteIfExists(temporary);
            }
        }
    }

    /** The stream copy as a {@link Part}: the recording's own samples. */
    Part copiedPart() {
        if (needsHead()) {
            throw new IllegalStateException("this clip needs its re-encoded head");
        }
        Track v = index.video();
        return new Part(List.of(index.file()), new Track(Track.Kind.VIDEO, v.timescale(), v.sampleEntry(), v.width(), v.height(), 0, copied),
                null, null);
    }

    /** The smart cut as a {@link Part}: the head from {@code headFile} spliced before the copied rest (see {@link #write(Path, Path, Consumer)}). */
    Part spliced(Path headFile) throws IOException {
        Track encoded = Mp4Reader.read(headFile, 0, Double.POSITIVE_INFINITY).video();
        if (encoded == null || encoded.samples().size() != head.size()) {
            throw new UnsupportedSource("the re-encoded head has " + (encoded == null ? 0 : encoded.samples().size())
                    + " frames, expected " + head.size());
        }
        Track v = copied.isEmpty() ? encoded : index.video();
        List<Sample> headSamples = encoded.samples();
        Path headData = headFile;
        Path rewritten = null;
        String how;
        if (copied.isEmpty()) {
            how = "the clip lies before the next keyframe, all of it re-encoded";
        } else {
            ParameterSets recording = ParameterSets.of(index.video().avcConfig());
            ParameterSets own = ParameterSets.of(encoded.avcConfig());
            if (recording.sameAs(own)) {
                how = "its SPS/PPS identical to the recording's";
            } else {
                String difference = ParameterSets.difference(recording, own);
                String name = headFile.getFileName().toString();
                rewritten = headFile.resolveSibling("ids-" + name);
                OwnSets carried = carryOwnSets(recording, own, encoded, headFile, rewritten);
                headSamples = carried.samples();
                headData = rewritten;
                v = new Track(v.kind(), v.timescale(), SampleEntries.withAvcC(v.sampleEntry(), carried.avcC()),
                        v.width(), v.height(), v.sampleRate(), v.samples());
                how = "its own SPS/PPS (id " + carried.spsId() + "/" + carried.ppsId()
                        + ") carried beside the recording's, as they differ (" + difference + ")";
            }
        }
        long[] order = headSamples.stream().mapToLong(Sample::pts).sorted().toArray();
        List<Sample> joined = new ArrayList<>();
        for (Sample x : headSamples) {
            int rank = Arrays.binarySearch(order, x.pts());
            joined.add(new Sample(1, x.offset(), x.size(), head.get(rank).pts(), x.key()));
        }
        joined.addAll(copied);
        Track iv = index.video();
        return new Part(List.of(index.file(), headData),
                new Track(Track.Kind.VIDEO, iv.timescale(), v.sampleEntry(), iv.width(), iv.height(), 0, joined), how, rewritten);
    }

    private record OwnSets(List<Sample> samples, byte[] avcC, int spsId, int ppsId) {
    }

    /**
     * Writes the head's frames to {@code to} with its SPS and PPS under ids the recording does not use
     * (in-band before its first frame too), its slices pointing at them, without buffering period SEI
     * (which names the SPS and only serves HRD checks); returns where the frames now lie and the avcC
     * holding both pairs.
     */
    private static OwnSets carryOwnSets(ParameterSets recording, ParameterSets own, Track encoded, Path from, Path to)
            throws IOException {
        if (own.sps().size() != 1 || own.pps().size() != 1) {
            throw new UnsupportedSource("the re-encoded head has several parameter sets");
        }
        java.util.Set<Integer> spsIds = new java.util.HashSet<>();
        recording.sps().forEach(s -> spsIds.add(ParameterSets.spsId(s)));
        java.util.Set<Integer> ppsIds = new java.util.HashSet<>();
        recording.pps().forEach(p -> ppsIds.add(ParameterSets.ppsId(p)));
        int ppsId = ParameterSets.widerPpsId(ParameterSets.ppsId(own.pps().get(0)));
        if (ppsId < 0 || ppsIds.contains(ppsId)) {
            throw new UnsupportedSource("no free PPS id for the re-encoded head");
        }
        int spsId = 15;
        while (spsIds.contains(spsId)) {
            spsId = (spsId + 1) % 32;
        }
        byte[] sps = ParameterSets.withSpsId(own.sps().get(0), spsId);
        byte[] pps = ParameterSets.withIds(own.pps().get(0), ppsId, spsId);
        int inSize = own.lengthSize();
        int outSize = recording.lengthSize();
        List<Sample> samples = new ArrayList<>();
        long position = 0;
        try (FileChannel dst = FileChannel.open(to, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (Sample x : encoded.samples()) {
                byte[] frame = read(from, x);
                java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream(frame.length + 64);
                if (samples.isEmpty()) {
                    nal(b, sps, outSize);
                    nal(b, pps, outSize);
                }
                int p = 0;
                while (p + inSize <= frame.length) {
                    int len = 0;
                    for (int i = 0; i < inSize; i++) {
                        len = (len << 8) | (frame[p + i] & 0xFF);
                    }
                    p += inSize;
                    if (len <= 0 || p + len > frame.length) {
                        throw new UnsupportedSource("the re-encoded head has a damaged frame");
                    }
                    byte[] unit = Arrays.copyOfRange(frame, p, p + len);
                    p += len;
                    int type = unit[0] & 0x1F;
                    if (type == 1 || type == 5) {
                        nal(b, ParameterSets.sliceWithPpsId(unit, ppsId), outSize);
                    } else if (type == 7) {
                        nal(b, ParameterSets.withSpsId(unit, spsId), outSize);
                    } else if (type == 8) {
                        nal(b, ParameterSets.withIds(unit, ppsId, spsId), outSize);
                    } else if (!ParameterSets.bufferingPeriod(unit)) {
                        nal(b, unit, outSize);
                    }
                }
                ByteBuffer data = ByteBuffer.wrap(b.toByteArray());
                samples.add(new Sample(1, position, data.remaining(), x.pts(), x.key()));
                while (data.hasRemaining()) {
                    position += dst.write(data, position);
                }
            }
        }
        return new OwnSets(samples, recording.with(List.of(sps), List.of(pps)), spsId, ppsId);
    }

    private static void nal(java.io.ByteArrayOutputStream out, byte[] unit, int lengthSize) {
        for (int i = lengthSize - 1; i >= 0; i--) {
            out.write(unit.length >>> (8 * i));
        }
        out.writeBytes(unit);
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
