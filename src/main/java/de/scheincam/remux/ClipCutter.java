package de.scheincam.remux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Cuts clips out of recordings in-process: reads the sample index of an OBS recording (Matroska, MP4,
 * fragmented or hybrid MP4) around the stretch and plans a {@link Cut}. Thread-safe.
 */
public class ClipCutter {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ClipCutter.class);

    /** Matroska top-level walks, per file, and the clusters' parsed blocks: the only state, safe to share. */
    private final java.util.Map<Path, MatroskaReader.Layout> layouts = new java.util.concurrent.ConcurrentHashMap<>();
    /** Finished MP4s' sample tables, per file, while the cache holds them. */
    private final java.util.Map<Path, Mp4Reader.Tables> mp4Tables = new java.util.concurrent.ConcurrentHashMap<>();
    private final BlockCache blocks;

    /** {@code indexMemoryMb}: memory for recordings' frame positions (per hour of recording 3 MB for mkv, 6 MB for MP4). */
    public ClipCutter(int indexMemoryMb) {
        this.blocks = new BlockCache(indexMemoryMb * (1L << 20));
    }

    /**
     * The index of {@code file} around [from, to] seconds. Throws UnsupportedSource when the file is
     * something only ffmpeg reads, NotRecordedYet for a plain MP4 still without its index.
     */
    public RecordingIndex index(Path file, double from, double to) throws IOException {
        byte[] start = start(file);
        try {
            if (MatroskaReader.isMatroska(start)) {
                return MatroskaReader.read(file, from, to, layouts, blocks);
            }
            String box = new String(start, 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (java.util.Set.of("ftyp", "moov", "free", "mdat", "wide", "skip", "styp").contains(box)) {
                return Mp4Reader.read(file, from, to, mp4Tables, blocks);
            }
        } catch (UnsupportedSource | NotRecordedYet e) {
            throw e;
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause(); // the disk, not the file's content
        } catch (RuntimeException e) {
            // a damaged file: let ffmpeg, which knows every way a file can be broken, have its say
            throw new UnsupportedSource("damaged container (" + e.getClass().getSimpleName() + ")");
        }
        throw new UnsupportedSource("neither Matroska nor MP4");
    }

    /**
     * Reads where every frame of a finished recording lies, once, while the file OBS has just written is
     * still in the page cache: later clips from it read nothing but their own bytes (Matroska: every
     * cluster's block headers; MP4: its sample tables). Anything unreadable is left to the export to report.
     */
    public void learn(String path) {
        long t0 = System.nanoTime();
        Path file = Path.of(path);
        try {
            if (MatroskaReader.isMatroska(start(file))) {
                MatroskaReader.readAll(file, layouts, blocks);
            } else {
                index(file, 0, 0); // an MP4's tables are read whole and kept
            }
            LOG.info("Indexed {} for exports in {} ms ({} frames known, {} kB)", file.getFileName(),
                    (System.nanoTime() - t0) / 1_000_000, blocks.frames(), blocks.bytes() / 1024);
        } catch (IOException | RuntimeException e) {
            LOG.info("Not indexed for exports: {} ({})", file.getFileName(), e.toString());
        }
    }

    /** The file's first 12 bytes, which tell its container. */
    private static byte[] start(Path file) throws IOException {
        byte[] start = new byte[12];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.wrap(start);
            while (b.hasRemaining() && ch.read(b, b.position()) >= 0) {
                // fill
            }
        }
        return start;
    }

    /** Frames whose positions are held in memory. */
    long heldFrames() {
        return blocks.frames();
    }

    /** Drops what is known of a recording that has been deleted. */
    public void forget(Path file) {
        MatroskaReader.Layout layout = layouts.remove(file);
        if (layout != null) {
            layout.clusters().forEach(blocks::remove);
        }
        Mp4Reader.Tables tables = mp4Tables.remove(file);
        if (tables != null) {
            blocks.remove(tables);
        }
    }

    /** How many seconds of a recording still being written can be cut now (its last complete frame). */
    public double readableSeconds(Path file) throws IOException {
        return index(file, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY).end();
    }

    /**
     * How many seconds of picture the file really holds: up to its last picture frame whose bytes are all
     * in the file (a truncated recording's index may claim more). For messages; reads the whole index.
     */
    public double recordedSeconds(Path file) throws IOException {
        Track v = index(file, 0, Double.POSITIVE_INFINITY).video();
        long size = java.nio.file.Files.size(file);
        long last = 0;
        for (Sample x : v.samples()) {
            if (x.offset() + x.size() <= size) {
                last = Math.max(last, x.pts());
            }
        }
        return last / (double) v.timescale();
    }

    /** The recording's first picture frame, where x264 wrote its settings. */
    public byte[] firstFrame(Path file) throws IOException {
        java.util.List<Sample> samples = index(file, 0, 0).video().samples();
        if (samples.isEmpty()) {
            throw new UnsupportedSource("no picture frame");
        }
        return Cut.read(file, samples.get(0));
    }

    /** Stream copy from the keyframe before {@code from}; the edit list starts playback at the frame shown at {@code from}. */
    public Cut copy(RecordingIndex index, double from, double to) {
        return plan(index, from, to, false);
    }

    /** Frame-exact: the frames from {@code from} to the next keyframe are re-encoded (see {@link Cut#needsHead()}). */
    public Cut exact(RecordingIndex index, double from, double to) {
        return plan(index, from, to, true);
    }

    /** A stretch of one recording, in seconds of the file: one part of a joined clip. */
    public record Piece(Path file, double from, double to) {
    }

    /**
     * The pieces (a show's parts, in order) planned as one clip, each a stream copy ({@code exact}: the
     * first piece a smart cut). A piece before another ends where no frame shown after its end was decoded
     * before it (see {@link #joinEnd}). Throws UnsupportedSource, naming the difference, where they cannot
     * be one stream copy (see {@link Join}), NotRecordedYet where a piece is not (yet) in its file.
     */
    public Join join(java.util.List<Piece> pieces, boolean exact) throws IOException {
        requireApart(pieces);
        java.util.List<Cut> cuts = new java.util.ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            Piece p = pieces.get(i);
            double to = p.to();
            RecordingIndex index = index(p.file(), p.from(), to);
            if (i < pieces.size() - 1) {
                to = joinEnd(index.video(), to);
                if (to != p.to()) {
                    index = index(p.file(), p.from(), to);
                }
            }
            cuts.add(i == 0 && exact ? exact(index, p.from(), to) : copy(index, p.from(), to));
        }
        return Join.of(cuts);
    }

    /**
     * Throws IllegalArgumentException for no pieces, a piece that does not end after it starts, or two
     * pieces of one recording that overlap (the clip would show the same moment twice).
     */
    static void requireApart(java.util.List<Piece> pieces) {
        if (pieces.isEmpty()) {
            throw new IllegalArgumentException("nothing to join");
        }
        for (int i = 0; i < pieces.size(); i++) {
            Piece p = pieces.get(i);
            if (!(p.to() > p.from()) || p.from() < 0) {
                throw new IllegalArgumentException("piece " + (i + 1) + " runs from " + p.from() + " to " + p.to() + " s");
            }
            for (int j = 0; j < i; j++) {
                Piece q = pieces.get(j);
                if (q.file().equals(p.file()) && p.from() < q.to() && q.from() < p.to()) {
                    throw new IllegalArgumentException("pieces " + (j + 1) + " and " + (i + 1) + " overlap in " + p.file().getFileName());
                }
            }
        }
    }

    /**
     * Where a piece followed by another ends: at {@code to}, or where the next frame from there starts
     * after which nothing shown was decoded earlier. With B-frames, a P-frame shown after {@code to} is
     * decoded before the B-frames shown ahead of it; at the clip's end an edit list hides it, inside a
     * joined clip nothing can: the piece then ends up to the B-frames' count of frames later.
     */
    static double joinEnd(Track v, double to) {
        java.util.List<Sample> vs = v.samples();
        int n = vs.size();
        long e = v.units(to);
        long tolerance = Math.max(1, v.timescale() / 1000);
        long[] restMin = new long[n + 1];
        restMin[n] = Long.MAX_VALUE;
        for (int i = n - 1; i >= 0; i--) {
            restMin[i] = Math.min(restMin[i + 1], vs.get(i).pts());
        }
        long prefixMax = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            prefixMax = Math.max(prefixMax, vs.get(i).pts());
            // decoded so far: every frame shown before the end, and nothing decoded later is shown before these
            if (restMin[i + 1] >= e - tolerance && restMin[i + 1] > prefixMax) {
                return i + 1 == n || restMin[i + 1] <= e + tolerance ? to : restMin[i + 1] / (double) v.timescale();
            }
        }
        return to;
    }

    private static Cut plan(RecordingIndex index, double from, double to, boolean exact) {
        try {
            return Cut.plan(index, from, to, exact);
        } catch (UnsupportedSource | NotRecordedYet e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UnsupportedSource("damaged index (" + e.getClass().getSimpleName() + ")");
        }
    }
}
