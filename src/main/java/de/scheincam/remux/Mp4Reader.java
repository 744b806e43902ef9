package de.scheincam.remux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the sample positions of an MP4: a finished one from its sample tables (moov/…/stbl), a
 * fragmented or hybrid one (OBS's "fragmented MP4"/"hybrid MP4") from its movie fragments (moof/traf/
 * trun) when the tables are empty. Presentation times follow the track's edit list, as players show
 * them. A fragmented file still being written is read up to its last complete fragment; a plain MP4
 * still being written has no index yet and cannot be read at all.
 */
final class Mp4Reader {

    private final FileChannel channel;
    private final long fileSize;
    private long movieTimescale = 1000;

    private Mp4Reader(FileChannel channel) throws IOException {
        this.channel = channel;
        this.fileSize = channel.size();
    }

    static RecordingIndex read(Path file, double from, double to) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return new Mp4Reader(ch).tables(file, null, 0, 0).window(file, from, to);
        }
    }

    /**
     * As {@link #read(Path, double, double)}, but the sample tables of a file read before are taken from
     * {@code known} while the file's size and time are unchanged (a finished MP4 never changes; a
     * fragmented one still being written grows, and is read again), and {@code cache} bounds them.
     */
    static RecordingIndex read(Path file, double from, double to, Map<Path, Tables> known, BlockCache cache) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long modified = java.nio.file.Files.getLastModifiedTime(file).toMillis();
            Tables t = known.get(file);
            if (t != null && t.size == size && t.modified == modified) {
                cache.touch(t);
            } else {
                t = new Mp4Reader(ch).tables(file, known, size, modified);
                known.put(file, t);
                if (!cache.add(t)) {
                    known.remove(file, t);
                }
            }
            return t.window(file, from, to);
        }
    }

    /** Every sample of a track, compactly: about 21 bytes each. */
    private static final class Compact {
        final Track.Kind kind;
        final long timescale;
        final byte[] entry;
        final int n;
        final long[] offset;
        final int[] size;
        final long[] pts;
        final boolean[] key;

        Compact(TrackState t) {
            kind = t.kind;
            timescale = t.timescale;
            entry = t.entry;
            n = t.samples.size();
            offset = new long[n];
            size = new int[n];
            pts = new long[n];
            key = new boolean[n];
            for (int i = 0; i < n; i++) {
                Sample s = t.samples.get(i);
                offset[i] = s.offset();
                size[i] = s.size();
                pts[i] = s.pts();
                key[i] = s.key();
            }
        }

        Sample get(int i) {
            return new Sample(0, offset[i], size[i], pts[i], key[i]);
        }
    }

    /** What the reader found in one state of a file: its picture and every sound track, and how far it is complete. */
    static final class Tables implements BlockCache.Entry {
        private final long size;
        private final long modified;
        private final Compact video;
        private final List<Compact> audio;
        private final double end;
        /** Where it is kept (null when not), to be removed from there when the cache lets go of it. */
        private final Map<Path, Tables> owner;
        private final Path file;

        private Tables(Path file, Map<Path, Tables> owner, long size, long modified, Compact video, List<Compact> audio, double end) {
            this.file = file;
            this.owner = owner;
            this.size = size;
            this.modified = modified;
            this.video = video;
            this.audio = audio;
            this.end = end;
        }

        RecordingIndex window(Path file, double from, double to) {
            Track v = Mp4Reader.window(video, from, to);
            // a stream-copied clip's sound starts with its first picture, the keyframe before from
            double soundFrom = v.samples().isEmpty() ? from : Math.min(from, v.samples().get(0).pts() / (double) v.timescale());
            return new RecordingIndex(file, v, audio.stream().map(a -> Mp4Reader.window(a, soundFrom, to)).toList(), end);
        }

        @Override
        public int frames() {
            return video.n + audio.stream().mapToInt(a -> a.n).sum();
        }

        @Override
        public long bytes() {
            return 256 + 21L * frames();
        }

        @Override
        public void release() {
            if (owner != null) {
                owner.remove(file, this);
            }
        }
    }

    /** Per track while reading: its header facts and all its samples. */
    private static final class TrackState {
        int id;
        Track.Kind kind;
        long timescale;
        byte[] entry;
        long shift; // presentation = decode + composition offset − shift
        long[] trex = new long[4]; // default description index, duration, size, flags
        final List<Sample> samples = new ArrayList<>();
        long nextDts;
    }

    private Tables tables(Path file, Map<Path, Tables> owner, long length, long modified) throws IOException {
        Map<Integer, TrackState> tracks = new HashMap<>();
        TrackState video = null;
        List<TrackState> audio = new ArrayList<>();
        boolean tablesHadSamples = false;
        boolean sawMoov = false;
        long pos = 0;
        while (pos + 8 <= fileSize) {
            long[] h = header(pos);
            long size = h[1] == 0 ? fileSize - pos : h[1];
            String type = fourcc((int) h[0]);
            if (size < h[2] || pos + size > fileSize) {
                break; // the box is still being written
            }
            if ("moov".equals(type)) {
                sawMoov = true;
                byte[] moov = bytes(pos + h[2], size - h[2]);
                for (int[] c : children(moov, 0, moov.length)) {
                    String t = fourcc(moov, c[0] + 4);
                    if ("mvhd".equals(t)) {
                        int v = moov[c[0] + 8];
                        movieTimescale = Boxes.u32(moov, c[0] + 8 + 4 + (v == 1 ? 16 : 8));
                    } else if ("trak".equals(t)) {
                        TrackState ts = trak(moov, c[0] + 8, c[0] + c[1]);
                        if (ts != null) {
                            tracks.put(ts.id, ts);
                            tablesHadSamples |= !ts.samples.isEmpty();
                            if (ts.kind == Track.Kind.VIDEO && video == null) {
                                video = ts;
                            } else if (ts.kind == Track.Kind.AUDIO) {
                                audio.add(ts);
                            }
                        }
                    } else if ("mvex".equals(t)) {
                        for (int[] x : children(moov, c[0] + 8, c[0] + c[1])) {
                            if ("trex".equals(fourcc(moov, x[0] + 4))) {
                                int id = (int) Boxes.u32(moov, x[0] + 12);
                                long[] d = {Boxes.u32(moov, x[0] + 16), Boxes.u32(moov, x[0] + 20),
                                        Boxes.u32(moov, x[0] + 24), Boxes.u32(moov, x[0] + 28)};
                                trexLater.put(id, d);
                            }
                        }
                    }
                }
                for (Map.Entry<Integer, long[]> e : trexLater.entrySet()) {
                    TrackState ts = tracks.get(e.getKey());
                    if (ts != null) {
                        ts.trex = e.getValue();
                    }
                }
            } else if ("moof".equals(type) && sawMoov && !tablesHadSamples) {
                byte[] moof = bytes(pos + h[2], size - h[2]);
                if (!fragment(moof, pos, tracks)) {
                    break; // its media data is not complete yet
                }
            }
            pos += size;
        }
        if (!sawMoov) {
            throw new NotRecordedYet("the MP4 has no index (moov) yet: it can be cut once the recording has ended");
        }
        if (video == null) {
            throw new UnsupportedSource("no picture track");
        }
        double end = video.samples.stream().mapToLong(Sample::pts).max().orElse(0) / (double) video.timescale;
        return new Tables(file, owner, length, modified, new Compact(video), audio.stream().map(Compact::new).toList(), end);
    }

    private final Map<Integer, long[]> trexLater = new HashMap<>();

    /** The samples from the last keyframe at or before {@code from} (sound: a second earlier) to past {@code to}. */
    private static Track window(Compact t, double from, double to) {
        long f = Math.round((from - (t.kind == Track.Kind.AUDIO ? 1 : 0)) * t.timescale);
        long e = Double.isInfinite(to) ? Long.MAX_VALUE : Math.round((to + 2) * t.timescale);
        int first = 0;
        for (int i = 0; i < t.n; i++) {
            if (t.key[i] && t.pts[i] <= f) {
                first = i;
            }
            if (t.pts[i] > f + 10 * t.timescale && t.key[i]) {
                break;
            }
        }
        int last = t.n;
        for (int i = first; i < t.n; i++) {
            if (t.pts[i] > e && t.key[i]) {
                last = i;
                break;
            }
        }
        List<Sample> samples = new ArrayList<>(last - first);
        for (int i = first; i < last; i++) {
            samples.add(t.get(i));
        }
        int w = 0;
        int h = 0;
        int rate = 0;
        if (t.kind == Track.Kind.VIDEO) {
            w = Boxes.u16(t.entry, 32);
            h = Boxes.u16(t.entry, 34);
        } else {
            rate = (int) (Boxes.u32(t.entry, 32) >>> 16);
        }
        return new Track(t.kind, t.timescale, t.entry, w, h, rate, java.util.Collections.unmodifiableList(samples));
    }

    private TrackState trak(byte[] b, int from, int to) {
        TrackState t = new TrackState();
        int[] mdia = null;
        for (int[] c : children(b, from, to)) {
            String type = fourcc(b, c[0] + 4);
            if ("tkhd".equals(type)) {
                t.id = (int) Boxes.u32(b, c[0] + 8 + 4 + (b[c[0] + 8] == 1 ? 16 : 8));
            } else if ("mdia".equals(type)) {
                mdia = c;
            } else if ("edts".equals(type)) {
                edits = c;
            }
        }
        if (mdia == null) {
            return null;
        }
        int[] minf = null;
        for (int[] c : children(b, mdia[0] + 8, mdia[0] + mdia[1])) {
            String type = fourcc(b, c[0] + 4);
            if ("mdhd".equals(type)) {
                t.timescale = Boxes.u32(b, c[0] + 8 + 4 + (b[c[0] + 8] == 1 ? 16 : 8));
            } else if ("hdlr".equals(type)) {
                String handler = fourcc(b, c[0] + 16);
                t.kind = "vide".equals(handler) ? Track.Kind.VIDEO : "soun".equals(handler) ? Track.Kind.AUDIO : null;
            } else if ("minf".equals(type)) {
                minf = c;
            }
        }
        if (t.kind == null || minf == null || t.timescale <= 0) {
            edits = null;
            return null;
        }
        t.shift = edits == null ? 0 : shift(b, edits, t.timescale);
        edits = null;
        int[] stbl = null;
        for (int[] c : children(b, minf[0] + 8, minf[0] + minf[1])) {
            if ("stbl".equals(fourcc(b, c[0] + 4))) {
                stbl = c;
            }
        }
        if (stbl == null) {
            return null;
        }
        tables(b, stbl, t);
        return t.entry == null ? null : t;
    }

    private int[] edits;

    /** The first edit's media time, less any empty edit before it: what a player subtracts. */
    private long shift(byte[] b, int[] edts, long timescale) {
        for (int[] c : children(b, edts[0] + 8, edts[0] + edts[1])) {
            if (!"elst".equals(fourcc(b, c[0] + 4))) {
                continue;
            }
            int v = b[c[0] + 8];
            long n = Boxes.u32(b, c[0] + 12);
            int p = c[0] + 16;
            long empty = 0;
            for (int i = 0; i < n; i++) {
                long duration = v == 1 ? u64(b, p) : Boxes.u32(b, p);
                long mediaTime = v == 1 ? u64(b, p + 8) : (int) Boxes.u32(b, p + 4);
                p += v == 1 ? 20 : 12;
                if (mediaTime == -1) {
                    empty += duration * timescale / movieTimescale;
                } else {
                    return mediaTime - empty;
                }
            }
        }
        return 0;
    }

    private static void tables(byte[] b, int[] stbl, TrackState t) {
        int stsd = -1;
        int stts = -1;
        int ctts = -1;
        int stss = -1;
        int stsz = -1;
        int stsc = -1;
        int stco = -1;
        boolean co64 = false;
        for (int[] c : children(b, stbl[0] + 8, stbl[0] + stbl[1])) {
            switch (fourcc(b, c[0] + 4)) {
                case "stsd" -> stsd = c[0];
                case "stts" -> stts = c[0];
                case "ctts" -> ctts = c[0];
                case "stss" -> stss = c[0];
                case "stsz" -> stsz = c[0];
                case "stsc" -> stsc = c[0];
                case "stco" -> stco = c[0];
                case "co64" -> {
                    stco = c[0];
                    co64 = true;
                }
                default -> { }
            }
        }
        if (stsd < 0 || Boxes.u32(b, stsd + 12) < 1) {
            return;
        }
        int entry = stsd + 16;
        t.entry = java.util.Arrays.copyOfRange(b, entry, entry + (int) Boxes.u32(b, entry));
        if (stsz < 0 || stts < 0 || stsc < 0 || stco < 0) {
            return;
        }
        int n = (int) Boxes.u32(b, stsz + 16);
        if (n == 0) {
            return;
        }
        long fixedSize = Boxes.u32(b, stsz + 12);
        long[] dts = new long[n];
        int sttsN = (int) Boxes.u32(b, stts + 12);
        int i = 0;
        long d = 0;
        for (int e = 0; e < sttsN && i < n; e++) {
            long count = Boxes.u32(b, stts + 16 + e * 8);
            long delta = Boxes.u32(b, stts + 20 + e * 8);
            for (long k = 0; k < count && i < n; k++) {
                dts[i++] = d;
                d += delta;
            }
        }
        long[] cts = new long[n];
        if (ctts >= 0) {
            int v = b[ctts + 8];
            int cN = (int) Boxes.u32(b, ctts + 12);
            i = 0;
            for (int e = 0; e < cN && i < n; e++) {
                long count = Boxes.u32(b, ctts + 16 + e * 8);
                long off = v == 1 ? (int) Boxes.u32(b, ctts + 20 + e * 8) : Boxes.u32(b, ctts + 20 + e * 8);
                for (long k = 0; k < count && i < n; k++) {
                    cts[i++] = off;
                }
            }
        }
        boolean[] key = new boolean[n];
        if (stss < 0) {
            java.util.Arrays.fill(key, true);
        } else {
            int sN = (int) Boxes.u32(b, stss + 12);
            for (int e = 0; e < sN; e++) {
                long s = Boxes.u32(b, stss + 16 + e * 4) - 1;
                if (s >= 0 && s < n) {
                    key[(int) s] = true;
                }
            }
        }
        int chunks = (int) Boxes.u32(b, stco + 12);
        int scN = (int) Boxes.u32(b, stsc + 12);
        int sample = 0;
        for (int e = 0; e < scN; e++) {
            long firstChunk = Boxes.u32(b, stsc + 16 + e * 12) - 1;
            long perChunk = Boxes.u32(b, stsc + 20 + e * 12);
            long nextFirst = e + 1 < scN ? Boxes.u32(b, stsc + 16 + (e + 1) * 12) - 1 : chunks;
            for (long c = firstChunk; c < nextFirst && c < chunks; c++) {
                long off = co64 ? u64(b, stco + 16 + (int) c * 8) : Boxes.u32(b, stco + 16 + (int) c * 4);
                for (long k = 0; k < perChunk && sample < n; k++) {
                    int size = (int) (fixedSize != 0 ? fixedSize : Boxes.u32(b, stsz + 20 + sample * 4));
                    t.samples.add(new Sample(0, off, size, dts[sample] + cts[sample] - t.shift, key[sample]));
                    off += size;
                    sample++;
                }
            }
        }
        t.nextDts = d;
    }

    /** One movie fragment; false when its media data is not completely on disk yet. */
    private boolean fragment(byte[] moof, long moofPos, Map<Integer, TrackState> tracks) {
        List<List<Sample>> found = new ArrayList<>();
        List<TrackState> owners = new ArrayList<>();
        List<Long> ends = new ArrayList<>();
        for (int[] c : children(moof, 0, moof.length)) {
            if (!"traf".equals(fourcc(moof, c[0] + 4))) {
                continue;
            }
            TrackState t = null;
            long base = moofPos;
            long duration = 0;
            long size = 0;
            long flags = 0;
            Long decode = null;
            long dataEnd = -1;
            List<Sample> samples = new ArrayList<>();
            for (int[] x : children(moof, c[0] + 8, c[0] + c[1])) {
                String type = fourcc(moof, x[0] + 4);
                int p = x[0] + 8;
                if ("tfhd".equals(type)) {
                    int tf = (int) (Boxes.u32(moof, p) & 0xFFFFFF);
                    t = tracks.get((int) Boxes.u32(moof, p + 4));
                    if (t == null) {
                        break;
                    }
                    duration = t.trex[1];
                    size = t.trex[2];
                    flags = t.trex[3];
                    int q = p + 8;
                    if ((tf & 0x1) != 0) {
                        base = u64(moof, q);
                        q += 8;
                    }
                    if ((tf & 0x2) != 0) {
                        q += 4;
                    }
                    if ((tf & 0x8) != 0) {
                        duration = Boxes.u32(moof, q);
                        q += 4;
                    }
                    if ((tf & 0x10) != 0) {
                        size = Boxes.u32(moof, q);
                        q += 4;
                    }
                    if ((tf & 0x20) != 0) {
                        flags = Boxes.u32(moof, q);
                    }
                } else if ("tfdt".equals(type) && t != null) {
                    decode = moof[p] == 1 ? u64(moof, p + 4) : Boxes.u32(moof, p + 4);
                } else if ("trun".equals(type) && t != null) {
                    int v = moof[p];
                    int tf = (int) (Boxes.u32(moof, p) & 0xFFFFFF);
                    int n = (int) Boxes.u32(moof, p + 4);
                    int q = p + 8;
                    long offset = dataEnd >= 0 ? dataEnd : base;
                    if ((tf & 0x1) != 0) {
                        offset = base + (int) Boxes.u32(moof, q);
                        q += 4;
                    }
                    long firstFlags = -1;
                    if ((tf & 0x4) != 0) {
                        firstFlags = Boxes.u32(moof, q);
                        q += 4;
                    }
                    long dts = decode != null ? decode : t.nextDts;
                    for (int i = 0; i < n; i++) {
                        long sd = duration;
                        long ss = size;
                        long sf = i == 0 && firstFlags >= 0 ? firstFlags : flags;
                        long co = 0;
                        if ((tf & 0x100) != 0) {
                            sd = Boxes.u32(moof, q);
                            q += 4;
                        }
                        if ((tf & 0x200) != 0) {
                            ss = Boxes.u32(moof, q);
                            q += 4;
                        }
                        if ((tf & 0x400) != 0) {
                            sf = Boxes.u32(moof, q);
                            q += 4;
                        }
                        if ((tf & 0x800) != 0) {
                            co = v == 0 ? Boxes.u32(moof, q) : (int) Boxes.u32(moof, q);
                            q += 4;
                        }
                        boolean key = t.kind == Track.Kind.AUDIO || (sf & 0x00010000) == 0;
                        samples.add(new Sample(0, offset, (int) ss, dts + co - t.shift, key));
                        offset += ss;
                        dts += sd;
                    }
                    decode = dts;
                    dataEnd = offset;
                }
            }
            if (t != null) {
                found.add(samples);
                owners.add(t);
                ends.add(dataEnd);
                t.nextDts = decode != null ? decode : t.nextDts;
            }
        }
        for (long end : ends) {
            if (end > fileSize) {
                return false;
            }
        }
        for (int i = 0; i < owners.size(); i++) {
            owners.get(i).samples.addAll(found.get(i));
        }
        return true;
    }

    /** {type, size, header length} of the box at {@code pos}. */
    private long[] header(long pos) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16);
        b.limit((int) Math.min(16, fileSize - pos));
        while (b.hasRemaining() && channel.read(b, pos + b.position()) >= 0) {
            // fill
        }
        byte[] a = b.array();
        long size = Boxes.u32(a, 0);
        int type = (int) Boxes.u32(a, 4);
        if (size == 1) {
            return new long[] {type, u64(a, 8), 16};
        }
        return new long[] {type, size, 8};
    }

    private byte[] bytes(long pos, long size) throws IOException {
        if (size > 256L << 20) {
            throw new UnsupportedSource("MP4 index larger than 256 MB");
        }
        ByteBuffer b = ByteBuffer.allocate((int) size);
        while (b.hasRemaining()) {
            if (channel.read(b, pos + b.position()) < 0) {
                throw new UnsupportedSource("truncated MP4 box");
            }
        }
        return b.array();
    }

    /** {position, size} of each box between from and to in b. */
    private static List<int[]> children(byte[] b, int from, int to) {
        List<int[]> out = new ArrayList<>();
        int p = from;
        while (p + 8 <= to) {
            long size = Boxes.u32(b, p);
            if (size == 0) {
                size = to - p;
            }
            if (size < 8 || p + size > to) {
                break;
            }
            out.add(new int[] {p, (int) size});
            p += (int) size;
        }
        return out;
    }

    private static String fourcc(byte[] b, int p) {
        return new String(b, p, 4, StandardCharsets.ISO_8859_1);
    }

    private static String fourcc(int v) {
        return new String(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v},
                StandardCharsets.ISO_8859_1);
    }

    private static long u64(byte[] b, int p) {
        return (Boxes.u32(b, p) << 32) | Boxes.u32(b, p + 4);
    }
}
