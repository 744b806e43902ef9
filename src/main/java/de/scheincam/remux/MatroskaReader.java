package de.scheincam.remux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
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
 * is an MP4 sample as it is. A file still being written ends in a cluster not yet complete on disk:
 * reading stops before it.
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
    private final ByteBuffer head = ByteBuffer.allocate(16);

    private long timestampScale = 1_000_000;
    private int videoNumber = -1;
    private int audioNumber = -1;
    private byte[] avcC;
    private byte[] audioConfig;
    private int width;
    private int height;
    private int sampleRate;
    private int channels;
    private final List<long[]> clusters = new ArrayList<>(); // {data position, end, timestamp}

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
    }

    private MatroskaReader(FileChannel channel, MatroskaReader previous) throws IOException {
        this.channel = channel;
        this.fileSize = channel.size();
        if (previous != null) {
            timestampScale = previous.timestampScale;
            videoNumber = previous.videoNumber;
            audioNumber = previous.audioNumber;
            avcC = previous.avcC;
            audioConfig = previous.audioConfig;
            width = previous.width;
            height = previous.height;
            sampleRate = previous.sampleRate;
            channels = previous.channels;
            clusters.addAll(previous.clusters);
            resumeAt = previous.resumeAt;
        }
    }

    static boolean isMatroska(byte[] start) {
        return start.length >= 4 && Boxes.u32(start, 0) == 0x1A45DFA3L;
    }

    /** The samples around [from, to] seconds (with the keyframe before {@code from}), or all when to is infinite. */
    static RecordingIndex read(Path file, double from, double to, java.util.Map<Path, Layout> layouts) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
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
            return r.window(file, from, to);
        }
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
                clusters.add(new long[] {e[1], end, uint(ts[1], (int) ts[2])});
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
        } else if (type == 2 && audioNumber < 0) {
            if (!"A_AAC".equals(codec) || priv == null) {
                throw new UnsupportedSource("sound codec " + codec);
            }
            audioNumber = number;
            audioConfig = priv;
            sampleRate = (int) Math.round(rate);
            channels = ch;
        }
    }

    private RecordingIndex window(Path file, double from, double to) throws IOException {
        long unitsPerSecond = 1_000_000_000L / timestampScale;
        List<Sample> video = new ArrayList<>();
        List<Sample> audio = new ArrayList<>();
        if (clusters.isEmpty()) {
            return result(file, video, audio, 0, unitsPerSecond);
        }
        long fromUnits = (long) Math.floor(from * unitsPerSecond);
        long toUnits = Double.isInfinite(to) ? Long.MAX_VALUE : (long) Math.ceil(to * unitsPerSecond);
        int first = 0;
        for (int i = 0; i < clusters.size(); i++) {
            if (clusters.get(i)[2] <= fromUnits) {
                first = i;
            }
        }
        int last = first;
        for (int i = first; i < clusters.size(); i++) {
            blocks(clusters.get(i), video, audio);
            last = i;
            if (clusters.get(i)[2] > toUnits + 2 * unitsPerSecond) {
                break;
            }
        }
        // step back, a cluster at a time, until the stretch starts on a keyframe and the sound has a frame before it
        while (first > 0 && !(video.stream().anyMatch(s -> s.key() && s.pts() <= fromUnits)
                && (audioNumber < 0 || audio.stream().anyMatch(s -> s.pts() <= fromUnits - unitsPerSecond / 10)))) {
            first--;
            List<Sample> v = new ArrayList<>();
            List<Sample> a = new ArrayList<>();
            blocks(clusters.get(first), v, a);
            video.addAll(0, v);
            audio.addAll(0, a);
        }
        double end = last == clusters.size() - 1 ? lastPts(video) / (double) unitsPerSecond : Double.POSITIVE_INFINITY;
        return result(file, video, audio, end, unitsPerSecond);
    }

    private static long lastPts(List<Sample> samples) {
        return samples.stream().mapToLong(Sample::pts).max().orElse(0);
    }

    private RecordingIndex result(Path file, List<Sample> video, List<Sample> audio, double end, long unitsPerSecond) {
        Track v = new Track(Track.Kind.VIDEO, unitsPerSecond, SampleEntries.avc1(width, height, avcC), width, height, 0, video);
        Track a = audioNumber < 0 ? null
                : new Track(Track.Kind.AUDIO, unitsPerSecond, SampleEntries.mp4a(channels, sampleRate, audioConfig), 0, 0,
                sampleRate, audio);
        return new RecordingIndex(file, v, a, end);
    }

    /** The block headers of one cluster, read through a mapping so only the pages holding them are touched. */
    private void blocks(long[] cluster, List<Sample> video, List<Sample> audio) throws IOException {
        long base = cluster[0];
        MappedByteBuffer m = channel.map(FileChannel.MapMode.READ_ONLY, base, cluster[1] - base);
        long clusterTs = cluster[2];
        int p = 0;
        int limit = m.capacity();
        while (p < limit) {
            int[] idLen = new int[1];
            long id = vint(m, p, idLen, true);
            int q = p + idLen[0];
            long size = vint(m, q, idLen, false);
            q += idLen[0];
            if (size < 0 || q + size > limit) {
                throw new UnsupportedSource("damaged cluster at " + (base + p));
            }
            if (id == SIMPLE_BLOCK) {
                block(m, base, q, (int) size, clusterTs, (m.get(q + headerTrackLength(m, q) + 2) & 0x80) != 0, video, audio);
            } else if (id == BLOCK_GROUP) {
                int g = q;
                int blockAt = -1;
                int blockSize = 0;
                boolean referenced = false;
                while (g < q + size) {
                    long cid = vint(m, g, idLen, true);
                    int d = g + idLen[0];
                    long csize = vint(m, d, idLen, false);
                    d += idLen[0];
                    if (cid == BLOCK) {
                        blockAt = d;
                        blockSize = (int) csize;
                    } else if (cid == REFERENCE_BLOCK) {
                        referenced = true;
                    }
                    g = (int) (d + csize);
                }
                if (blockAt >= 0) {
                    block(m, base, blockAt, blockSize, clusterTs, !referenced, video, audio);
                }
            }
            p = (int) (q + size);
        }
    }

    private void block(MappedByteBuffer m, long base, int at, int size, long clusterTs, boolean key,
                       List<Sample> video, List<Sample> audio) {
        int[] len = new int[1];
        long track = vint(m, at, len, false);
        int h = len[0] + 3;
        int flags = m.get(at + len[0] + 2) & 0xFF;
        if ((flags & 0x06) != 0 && (track == videoNumber || track == audioNumber)) {
            throw new UnsupportedSource("laced Matroska blocks");
        }
        long pts = clusterTs + m.getShort(at + len[0]);
        if (track == videoNumber) {
            video.add(new Sample(0, base + at + h, size - h, pts, key));
        } else if (track == audioNumber) {
            audio.add(new Sample(0, base + at + h, size - h, pts, true));
        }
    }

    private static int headerTrackLength(MappedByteBuffer m, int at) {
        int[] len = new int[1];
        vint(m, at, len, false);
        return len[0];
    }

    /** EBML variable-length integer: IDs keep their length marker, sizes drop it (all ones = unknown). */
    private static long vint(ByteBuffer b, int p, int[] len, boolean keepMarker) {
        int first = b.get(p) & 0xFF;
        int n = Integer.numberOfLeadingZeros(first) - 23;
        if (first == 0 || n > 8) {
            throw new UnsupportedSource("bad EBML number");
        }
        long v = keepMarker ? first : first & (0xFF >> n);
        boolean allOnes = v == (0xFF >> n);
        for (int i = 1; i < n; i++) {
            int c = b.get(p + i) & 0xFF;
            allOnes &= c == 0xFF;
            v = (v << 8) | c;
        }
        len[0] = n;
        return !keepMarker && allOnes ? UNKNOWN : v;
    }

    /** {id, data position, size} of the element at {@code pos}, or null past the end of the file. */
    private long[] element(long pos) throws IOException {
        if (pos >= fileSize) {
            return null;
        }
        head.clear();
        head.limit((int) Math.min(16, fileSize - pos));
        while (head.hasRemaining()) {
            if (channel.read(head, pos + head.position()) < 0) {
                break;
            }
        }
        head.flip();
        if (head.remaining() < 2) {
            return null;
        }
        int[] len = new int[1];
        long id = vint(head, 0, len, true);
        int q = len[0];
        long size = vint(head, q, len, false);
        return new long[] {id, pos + q + len[0], size};
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
