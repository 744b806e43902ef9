package de.scheincam.remux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the sample positions of an OBS/ffmpeg Matroska recording (H.264 + AAC) without touching the
 * media bytes: the cluster headers are walked by their sizes, and only the clusters around the
 * requested stretch are parsed, block header by block header. Matroska stores H.264 exactly as MP4
 * does (length-prefixed NAL units, avcC as CodecPrivate) and AAC as raw frames, so each block's payload
 * is an MP4 sample as it is. A file still being written (or cut off by a crash) ends in a cluster not
 * yet complete on disk: of that one, the blocks that are wholly on disk are read too (never cached, it
 * is read again as it grows), so a recording can be cut up to its last complete frame.
 */
final class MatroskaReader {

    private static final int SEGMENT = 0x18538067;
    private static final int INFO = 0x1549A966;
    private static final int TIMESTAMP_SCALE = 0x2AD7B1;
    private static final int TRACKS = 0x1654AE6B;
    private static final int TRACK_ENTRY = 0xAE;
    private static final int TRACK_NUMBER = 0xD7;
    private static final int TRACK_TYPE = 0x83;
    private static final int CODEC_ID = 0x86;
    private static final int CODEC_PRIVATE = 0x63A2;
    private static final int VIDEO = 0xE0;
    private static final int AUDIO = 0xE1;
    private static final int PIXEL_WIDTH = 0xB0;
    private static final int PIXEL_HEIGHT = 0xBA;
    private static final int SAMPLING_FREQUENCY = 0xB5;
    private static final int CHANNELS = 0x9F;
    private static final int CLUSTER = 0x1F43B675;
    private static final int TIMESTAMP = 0xE7;
    private static final int SIMPLE_BLOCK = 0xA3;
    private static final int BLOCK_GROUP = 0xA0;
    private static final int BLOCK = 0xA1;
    private static final int REFERENCE_BLOCK = 0xFB;
    private static final int CRC32 = 0xBF;
    private static final int VOID = 0xEC;
    private static final long UNKNOWN = -1;

    private final FileChannel channel;
    private final long fileSize;
    private final ClusterScan headers;

    private long timestampScale = 1_000_000;
    private int videoNumber = -1;
    private byte[] avcC;
    private int width;
    private int height;
    /** The sound tracks (OBS records up to six), in the file's order. */
    private final List<Sound> sounds = new ArrayList<>();
    private final List<Cluster> clusters = new ArrayList<>();
    /** The last cluster, still being written: its content up to the end of the file; null when there is none. */
    private Cluster tail;
    /** Reads cluster contents in large sequential pieces; allocated on the first cluster not in the cache. */
    private ClusterScan scan;

    private long resumeAt;

    /**
     * What the walk over a file's top level found, kept between exports (a finished recording does not
     * change; one still being written only grows, so the walk resumes where it stopped).
     */
    static final class Layout {
        private final long size;
        private final long modified;
        private final MatroskaReader state;

        private Layout(long size, long modified, MatroskaReader state) {
            this.size = size;
            this.modified = modified;
            this.state = state;
        }

        List<Cluster> clusters() {
            return List.copyOf(state.clusters);
        }
    }

    private MatroskaReader(FileChannel channel, MatroskaReader previous) throws IOException {
        this.channel = channel;
        this.fileSize = channel.size();
        this.headers = new ClusterScan(channel, ClusterScan.HEADER_PIECE);
        if (previous != null) {
            timestampScale = previous.timestampScale;
            videoNumber = previous.videoNumber;
            avcC = previous.avcC;
            width = previous.width;
            height = previous.height;
            sounds.addAll(previous.sounds);
            clusters.addAll(previous.clusters);
            tail = previous.tail;
            resumeAt = previous.resumeAt;
        }
    }

    /** A sound track: its Matroska number and its AAC configuration. */
    private record Sound(int number, byte[] config, int sampleRate, int channels) {
    }

    /**
     * One complete cluster of the file: where its content lies, its timestamp, and (once parsed, while
     * the {@link BlockCache} keeps them) its blocks. A cluster on disk never changes: OBS only appends.
     */
    static final class Cluster implements BlockCache.Entry {
        final long data;
        final long end;
        final long timestamp;
        volatile Blocks blocks;

        Cluster(long data, long end, long timestamp) {
            this.data = data;
            this.end = end;
            this.timestamp = timestamp;
        }

        @Override
        public int frames() {
            Blocks b = blocks;
            return b == null ? 0 : b.count;
        }

        @Override
        public long bytes() {
            return 96 + 11L * frames(); // four arrays and this cluster's own fields
        }

        @Override
        public void release() {
            blocks = null;
        }
    }

    /**
     * The picture and sound blocks of one cluster, about 11 bytes each: payload position (from the
     * cluster's data start) and size, time relative to the cluster, and kind (sound track k: SOUND + k).
     */
    static final class Blocks {
        static final byte PICTURE = 1;
        static final byte KEYFRAME = 2;
        static final byte SOUND = 3;
        /** Sound tracks kept at most: OBS records up to six. */
        static final int MAX_SOUNDS = 100;

        final int count;
        final int[] at;
        final int[] size;
        final short[] time;
        final byte[] kind;

        Blocks(int count, int[] at, int[] size, short[] time, byte[] kind) {
            this.count = count;
            this.at = at;
            this.size = size;
            this.time = time;
            this.kind = kind;
        }
    }

    static boolean isMatroska(byte[] start) {
        return start.length >= 4 && Boxes.u32(start, 0) == 0x1A45DFA3L;
    }

    /** The samples around [from, to] seconds (with the keyframe before {@code from}), or all when to is infinite. */
    static RecordingIndex read(Path file, double from, double to, java.util.Map<Path, Layout> layouts, BlockCache cache)
            throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return layout(file, ch, layouts).window(file, from, to, cache);
        }
    }

    /** Parses every complete cluster of {@code file} not in {@code cache} yet, so later cuts read no container bytes. */
    static void readAll(Path file, java.util.Map<Path, Layout> layouts, BlockCache cache) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MatroskaReader r = layout(file, ch, layouts);
            for (Cluster c : r.clusters) {
                r.blocks(c, cache);
            }
        }
    }

    private static MatroskaReader layout(Path file, FileChannel ch, java.util.Map<Path, Layout> layouts) throws IOException {
        long size = ch.size();
        long modified = java.nio.file.Files.getLastModifiedTime(file).toMillis();
        Layout known = layouts.get(file);
        MatroskaReader r;
        if (known != null && known.size == size && known.modified == modified) {
            r = new MatroskaReader(ch, known.state);
        } else {
            r = new MatroskaReader(ch, known != null && known.size < size ? known.state : null);
            r.structure();
            if (layouts.size() > 64) {
                layouts.clear();
            }
            layouts.put(file, new Layout(size, modified, r));
        }
        return r;
    }

    private void structure() throws IOException {
        long[] ebml = element(0);
        long pos = ebml[1] + ebml[2];
        long[] segment = element(pos);
        if (segment[0] != SEGMENT) {
            throw new UnsupportedSource("no Matroska segment");
        }
        long segmentEnd = segment[2] == UNKNOWN || segment[1] + segment[2] > fileSize ? fileSize : segment[1] + segment[2];
        pos = Math.max(segment[1], resumeAt);
        tail = null;
        while (pos + 2 <= segmentEnd) {
            long[] e = element(pos);
            if (e == null) {
                break;
            }
            long id = e[0];
            if (e[2] == UNKNOWN) {
                throw new UnsupportedSource("Matroska element of unknown size (live-streaming mode)");
            }
            long end = e[1] + e[2];
            if (end > fileSize) {
                if (id == CLUSTER) {
                    tail = unfinished(e[1]);
                }
                break; // still being written
            }
            if (id == INFO) {
                info(e[1], end);
            } else if (id == TRACKS) {
                tracks(e[1], end);
            } else if (id == CLUSTER) {
                long[] ts = element(e[1]);
                while (ts != null && (ts[0] == CRC32 || ts[0] == VOID) && ts[1] + ts[2] < end) {
                    ts = element(ts[1] + ts[2]); // ffmpeg starts each cluster with a CRC-32
                }
                if (ts == null || ts[0] != TIMESTAMP) {
                    throw new UnsupportedSource("cluster without a leading timestamp");
                }
                clusters.add(new Cluster(e[1], end, uint(ts[1], (int) ts[2])));
            }
            pos = end;
        }
        resumeAt = pos;
        if (videoNumber < 0) {
            throw new UnsupportedSource("no H.264 picture track");
        }
        if (1_000_000_000L % timestampScale != 0) {
            throw new UnsupportedSource("timestamp scale " + timestampScale);
        }
    }

    /** The cluster being written at {@code data}, if its timestamp is on disk already. */
    private Cluster unfinished(long data) throws IOException {
        long[] ts = element(data);
        while (ts != null && (ts[0] == CRC32 || ts[0] == VOID) && ts[1] + ts[2] < fileSize) {
            ts = element(ts[1] + ts[2]);
        }
        if (ts == null || ts[0] != TIMESTAMP || ts[1] + ts[2] > fileSize) {
            return null;
        }
        return new Cluster(data, fileSize, uint(ts[1], (int) ts[2]));
    }

    private void info(long pos, long end) throws IOException {
        while (pos < end) {
            long[] e = element(pos);
            if (e[0] == TIMESTAMP_SCALE) {
                timestampScale = uint(e[1], (int) e[2]);
            }
            pos = e[1] + e[2];
        }
    }

    private void tracks(long pos, long end) throws IOException {
        while (pos < end) {
            long[] e = element(pos);
            if (e[0] == TRACK_ENTRY) {
                trackEntry(e[1], e[1] + e[2]);
            }
            pos = e[1] + e[2];
        }
    }

    private void trackEntry(long pos, long end) throws IOException {
        int number = -1;
        long type = -1;
        String codec = "";
        byte[] priv = null;
        int w = 0;
        int h = 0;
        double rate = 0;
        int ch = 0;
        while (pos < end) {
            long[] e = element(pos);
            int size = (int) e[2];
            switch ((int) e[0]) {
                case TRACK_NUMBER -> number = (int) uint(e[1], size);
                case TRACK_TYPE -> type = uint(e[1], size);
                case CODEC_ID -> codec = new String(bytes(e[1], size), StandardCharsets.US_ASCII).trim();
                case CODEC_PRIVATE -> priv = bytes(e[1], size);
                case VIDEO, AUDIO -> {
                    long p = e[1];
                    while (p < e[1] + e[2]) {
                        long[] c = element(p);
                        switch ((int) c[0]) {
                            case PIXEL_WIDTH -> w = (int) uint(c[1], (int) c[2]);
                            case PIXEL_HEIGHT -> h = (int) uint(c[1], (int) c[2]);
                            case SAMPLING_FREQUENCY -> rate = flt(c[1], (int) c[2]);
                            case CHANNELS -> ch = (int) uint(c[1], (int) c[2]);
                            default -> { }
                        }
                        p = c[1] + c[2];
                    }
                }
                default -> { }
            }
            pos = e[1] + e[2];
        }
        if (type == 1 && videoNumber < 0) {
            if (!"V_MPEG4/ISO/AVC".equals(codec) || priv == null) {
                throw new UnsupportedSource("picture codec " + codec);
            }
            videoNumber = number;
            avcC = priv;
            width = w;
            height = h;
        } else if (type == 2 && sounds.size() < Blocks.MAX_SOUNDS) {
            if (!"A_AAC".equals(codec) || priv == null) {
                throw new UnsupportedSource("sound codec " + codec);
            }
            sounds.add(new Sound(number, priv, (int) Math.round(rate), ch));
        }
    }

    private RecordingIndex window(Path file, double from, double to, BlockCache cache) throws IOException {
        long unitsPerSecond = 1_000_000_000L / timestampScale;
        List<Sample> video = new ArrayList<>();
        List<List<Sample>> audio = soundLists();
        List<Cluster> clusters = this.clusters;
        if (tail != null) {
            clusters = new ArrayList<>(this.clusters);
            clusters.add(tail);
        }
        if (clusters.isEmpty()) {
            return result(file, video, audio, 0, unitsPerSecond);
        }
        long fromUnits = (long) Math.floor(from * unitsPerSecond);
        // a cluster starting 2 s after the end still holds frames shown before it (B-frames, sound)
        long stopAfter = Double.isInfinite(to) ? Long.MAX_VALUE : (long) Math.ceil(to * unitsPerSecond) + 2 * unitsPerSecond;
        int first = 0;
        for (int i = 0; i < clusters.size(); i++) {
            if (clusters.get(i).timestamp <= fromUnits) {
                first = i;
            }
        }
        int last = first;
        for (int i = first; i < clusters.size(); i++) {
            samples(clusters.get(i), cache, video, audio);
            last = i;
            if (clusters.get(i).timestamp > stopAfter) {
                break;
            }
        }
        // step back, a cluster at a time, until the stretch starts on a keyframe and the sound has frames
        // before it (a stream-copied clip's sound starts with that keyframe)
        while (first > 0 && !ready(video, sounds.isEmpty() ? null : audio.get(0), fromUnits, unitsPerSecond / 5)) {
            first--;
            List<Sample> v = new ArrayList<>();
            List<List<Sample>> a = soundLists();
            samples(clusters.get(first), cache, v, a);
            video.addAll(0, v);
            for (int k = 0; k < a.size(); k++) {
                audio.get(k).addAll(0, a.get(k));
            }
        }
        double end = last == clusters.size() - 1 ? lastPts(video) / (double) unitsPerSecond : Double.POSITIVE_INFINITY;
        return result(file, video, audio, end, unitsPerSecond);
    }

    /** True when {@code video} has a keyframe at or before {@code units} and {@code sound} (if any) frames {@code margin} before it. */
    private static boolean ready(List<Sample> video, List<Sample> sound, long units, long margin) {
        long key = Long.MIN_VALUE;
        for (Sample s : video) {
            if (s.key() && s.pts() <= units) {
                key = Math.max(key, s.pts());
            }
        }
        if (key == Long.MIN_VALUE || sound == null) {
            return key != Long.MIN_VALUE;
        }
        return !sound.isEmpty() && sound.get(0).pts() <= key - margin;
    }

    private List<List<Sample>> soundLists() {
        List<List<Sample>> lists = new ArrayList<>();
        for (int k = 0; k < sounds.size(); k++) {
            lists.add(new ArrayList<>());
        }
        return lists;
    }

    private void samples(Cluster c, BlockCache cache, List<Sample> video, List<List<Sample>> audio) throws IOException {
        Blocks b = blocks(c, cache);
        for (int i = 0; i < b.count; i++) {
            Sample s = new Sample(0, c.data + b.at[i], b.size[i], c.timestamp + b.time[i], b.kind[i] != Blocks.PICTURE);
            (b.kind[i] >= Blocks.SOUND ? audio.get(b.kind[i] - Blocks.SOUND) : video).add(s);
        }
    }

    private static long lastPts(List<Sample> samples) {
        return samples.stream().mapToLong(Sample::pts).max().orElse(0);
    }

    private RecordingIndex result(Path file, List<Sample> video, List<List<Sample>> audio, double end, long unitsPerSecond) {
        Track v = new Track(Track.Kind.VIDEO, unitsPerSecond, SampleEntries.avc1(width, height, avcC), width, height, 0, video);
        List<Track> a = new ArrayList<>();
        for (int k = 0; k < sounds.size(); k++) {
            Sound s = sounds.get(k);
            a.add(new Track(Track.Kind.AUDIO, unitsPerSecond, SampleEntries.mp4a(s.channels(), s.sampleRate(), s.config()), 0, 0,
                    s.sampleRate(), audio.get(k)));
        }
        return new RecordingIndex(file, v, a, end);
    }

    /** The blocks of one cluster: from the cache, else parsed from the file (and then kept). */
    private Blocks blocks(Cluster c, BlockCache cache) throws IOException {
        if (scan == null) {
            scan = new ClusterScan(channel, ClusterScan.CLUSTER_PIECE);
        }
        if (c == tail) {
            return parse(c, scan, true);
        }
        Blocks b = c.blocks;
        if (b != null) {
            cache.touch(c);
            return b;
        }
        b = parse(c, scan, false);
        c.blocks = b;
        if (!cache.add(c)) {
            c.blocks = null;
        }
        return b;
    }

    /**
     * Walks a cluster's element headers; of each block only its header is needed, the media bytes are
     * skipped. Of a {@code partial} cluster (still being written) the blocks wholly on disk are taken.
     */
    private Blocks parse(Cluster c, ClusterScan in, boolean partial) {
        int capacity = 256;
        int n = 0;
        int[] at = new int[capacity];
        int[] size = new int[capacity];
        short[] time = new short[capacity];
        byte[] kind = new byte[capacity];
        int[] len = new int[1];
        long end = c.end;
        long p = c.data;
        in.limit(end);
        while (p < end) {
            if (partial && p + ClusterScan.HEADER_PIECE > end) {
                break; // the next element's header may not be complete yet
            }
            long id = vint(in, p, len, true);
            long q = p + len[0];
            long elementSize = vint(in, q, len, false);
            q += len[0];
            if (partial && (elementSize < 0 || q + elementSize > end)) {
                break; // the block being written
            }
            if (elementSize < 0 || q + elementSize > end) {
                throw new DamagedSource("a block runs past its cluster at byte " + p, p);
            }
            long blockAt = -1;
            long blockSize = 0;
            boolean key = false;
            if (id == SIMPLE_BLOCK) {
                blockAt = q;
                blockSize = elementSize;
                vint(in, q, len, false);
                key = (in.get(q + len[0] + 2) & 0x80) != 0;
            } else if (id == BLOCK_GROUP) {
                boolean referenced = false;
                long g = q;
                while (g < q + elementSize) {
                    long cid = vint(in, g, len, true);
                    long d = g + len[0];
                    long csize = vint(in, d, len, false);
                    d += len[0];
                    if (csize < 0 || d + csize > q + elementSize) {
                        throw new DamagedSource("a block runs past its block group at byte " + g, g);
                    }
                    if (cid == BLOCK) {
                        blockAt = d;
                        blockSize = csize;
                    } else if (cid == REFERENCE_BLOCK) {
                        referenced = true;
                    }
                    g = d + csize;
                }
                key = !referenced;
            }
            if (blockAt >= 0) {
                long track = vint(in, blockAt, len, false);
                int header = len[0] + 3;
                if (blockSize < header) {
                    throw new DamagedSource("a block shorter than its header at byte " + blockAt, blockAt);
                }
                int flags = in.get(blockAt + len[0] + 2) & 0xFF;
                boolean picture = track == videoNumber;
                int sound = soundOf(track);
                if (picture || sound >= 0) {
                    if ((flags & 0x06) != 0) {
                        throw new UnsupportedSource("laced Matroska blocks");
                    }
                    if (n == capacity) {
                        capacity *= 2;
                        at = java.util.Arrays.copyOf(at, capacity);
                        size = java.util.Arrays.copyOf(size, capacity);
                        time = java.util.Arrays.copyOf(time, capacity);
                        kind = java.util.Arrays.copyOf(kind, capacity);
                    }
                    at[n] = (int) (blockAt + header - c.data);
                    size[n] = (int) (blockSize - header);
                    time[n] = (short) (((in.get(blockAt + len[0]) & 0xFF) << 8) | (in.get(blockAt + len[0] + 1) & 0xFF));
                    kind[n] = picture ? (key ? Blocks.KEYFRAME : Blocks.PICTURE) : (byte) (Blocks.SOUND + sound);
                    n++;
                }
            }
            p = q + elementSize;
        }
        return new Blocks(n, java.util.Arrays.copyOf(at, n), java.util.Arrays.copyOf(size, n),
                java.util.Arrays.copyOf(time, n), java.util.Arrays.copyOf(kind, n));
    }

    /** Which sound track (0…) Matroska track {@code number} is, or -1. */
    private int soundOf(long number) {
        for (int k = 0; k < sounds.size(); k++) {
            if (sounds.get(k).number() == number) {
                return k;
            }
        }
        return -1;
    }

    /** EBML variable-length integer: IDs keep their length marker, sizes drop it (all ones = unknown). */
    private static long vint(ClusterScan in, long p, int[] len, boolean keepMarker) {
        int first = in.get(p) & 0xFF;
        int n = Integer.numberOfLeadingZeros(first) - 23;
        if (first == 0 || n > 8) {
            // no EBML number starts with a zero byte: this is where zeros (or other garbage) begin
            throw new DamagedSource("no Matroska element at byte " + p + " (bad EBML number)", p);
        }
        long v = keepMarker ? first : first & (0xFF >> n);
        boolean allOnes = v == (0xFF >> n);
        for (int i = 1; i < n; i++) {
            int c = in.get(p + i) & 0xFF;
            allOnes &= c == 0xFF;
            v = (v << 8) | c;
        }
        len[0] = n;
        return !keepMarker && allOnes ? UNKNOWN : v;
    }

    /** {id, data position, size} of the element at {@code pos}, or null past the end of the file. */
    private long[] element(long pos) {
        if (pos + 2 > fileSize) {
            return null;
        }
        headers.limit(Math.min(fileSize, pos + ClusterScan.HEADER_PIECE));
        int[] len = new int[1];
        long id = vint(headers, pos, len, true);
        long q = pos + len[0];
        long size = vint(headers, q, len, false);
        return new long[] {id, q + len[0], size};
    }

    private byte[] bytes(long pos, int size) throws IOException {
        if (size < 0 || size > 1 << 20) {
            throw new UnsupportedSource("oversized header element");
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        while (b.hasRemaining()) {
            if (channel.read(b, pos + b.position()) < 0) {
                throw new UnsupportedSource("truncated header");
            }
        }
        return b.array();
    }

    private long uint(long pos, int size) throws IOException {
        long v = 0;
        for (byte x : bytes(pos, Math.min(size, 8))) {
            v = (v << 8) | (x & 0xFF);
        }
        return v;
    }

    private double flt(long pos, int size) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes(pos, size));
        return size == 4 ? b.getFloat() : size == 8 ? b.getDouble() : 0;
    }
}
