package de.scheincam.remux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Writes a clip as a browser-playable MP4 with the index (moov) in front: ftyp, moov, then one mdat
 * holding the byte ranges of the source files that contain the clip's samples, copied by the kernel
 * (FileChannel.transferTo) without passing through Java. The sample tables point at each sample inside
 * those ranges, so container bytes of the source (Matroska block headers, other tracks' data) may sit
 * unused between samples — MP4 allows that, and it keeps the copy one contiguous range per source.
 * Each track gets an edit list that starts presentation at the requested frame, so the keyframe run-up
 * of a stream-copied clip stays hidden.
 */
final class Mp4ClipWriter {

    /** The movie's time units where the clip has no picture (the picture's own units otherwise, see moov). */
    private static final long MOVIE_TIMESCALE = 1000;
    /** Gaps up to this size inside a source range are copied rather than split into two ranges. */
    private static final long MAX_GAP = 1 << 20;
    private static final int PAGE = 4096;

    /** A track to write: samples in decode order, and the presentation window in the track's time units. */
    record Output(Track track, long presentFrom, double seconds) {
    }

    private Mp4ClipWriter() {
    }

    /**
     * Writes the clip; {@code indexWritten} is told as soon as ftyp, moov and the mdat header are in the
     * file, before its media bytes are copied: what a reader of the index learns (streams, durations)
     * does not depend on them, so the clip can be checked while they are copied.
     */
    static void write(Path out, List<Path> files, List<Output> tracks, Consumer<Path> indexWritten) throws IOException {
        List<long[]> runs = runs(tracks); // {file, start, end, output position (relative to mdat data)}
        boolean large = length(runs) + 8 + (long) PAGE * runs.size() > 0xFFFFFFFFL;
        byte[] ftyp = new Boxes().begin("ftyp").ascii("isom").u32(512).ascii("isom").ascii("iso2").ascii("avc1")
                .ascii("mp41").end().toBytes();
        int mdatHeader = large ? 16 : 8;
        // chunk offsets are written relative to the unpadded media data, then moved once the index's size
        // (and with it where each run lands) is known
        List<Integer> offsetTables = new ArrayList<>();
        Boxes moovBoxes = moov(tracks, runs, offsetTables);
        long dataStart = ftyp.length + moovBoxes.size() + mdatHeader;
        long[] from = new long[runs.size()];
        long[] shift = align(runs, dataStart, from);
        for (int table : offsetTables) {
            moovBoxes.mapU64s(table, relative -> dataStart + relative + shift[runAt(from, relative)]);
        }
        long payload = length(runs);
        byte[] moov = moovBoxes.toBytes();
        Boxes mdat = new Boxes();
        if (large) {
            mdat.u32(1).ascii("mdat").u64(payload + 16);
        } else {
            mdat.u32(payload + 8).ascii("mdat");
        }
        try (FileChannel dst = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer head = ByteBuffer.allocate(ftyp.length + moov.length + mdatHeader);
            head.put(ftyp).put(moov).put(mdat.toBytes()).flip();
            while (head.hasRemaining()) {
                dst.write(head);
            }
            indexWritten.accept(out);
            FileChannel[] sources = new FileChannel[files.size()];
            try {
                for (long[] run : runs) {
                    int f = (int) run[0];
                    if (sources[f] == null) {
                        sources[f] = FileChannel.open(files.get(f), StandardOpenOption.READ);
                    }
                    long done = 0;
                    long length = run[2] - run[1];
                    while (done < length) {
                        long n = sources[f].transferTo(run[1] + done, length - done, dst);
                        if (n <= 0) {
                            throw new IOException("source " + files.get(f).getFileName() + " ended early at " + (run[1] + done));
                        }
                        done += n;
                    }
                }
            } finally {
                for (FileChannel c : sources) {
                    if (c != null) {
                        c.close();
                    }
                }
            }
            long expected = ftyp.length + moov.length + mdatHeader + payload;
            if (dst.size() != expected) {
                throw new IOException("the clip has " + dst.size() + " bytes, its index promises " + expected);
            }
        }
    }

    private static List<long[]> runs(List<Output> tracks) {
        List<Sample> all = inFileOrder(tracks);
        List<long[]> runs = new ArrayList<>();
        long[] run = null;
        long outPos = 0;
        for (Sample s : all) {
            long end = s.offset() + s.size();
            if (run != null && run[0] == s.file() && s.offset() <= run[2] + MAX_GAP) {
                run[2] = Math.max(run[2], end);
            } else {
                if (run != null) {
                    outPos += run[2] - run[1];
                }
                run = new long[] {s.file(), s.offset(), end, outPos};
                runs.add(run);
            }
        }
        return runs;
    }

    /** The media data's length: where the last run ends in it. */
    private static long length(List<long[]> runs) {
        if (runs.isEmpty()) {
            return 0;
        }
        long[] last = runs.get(runs.size() - 1);
        return last[3] + last[2] - last[1];
    }

    /**
     * All samples by file and position. Each track's samples already lie in file order in what OBS and
     * ffmpeg write, so the tracks are merged; a track out of order is sorted with the rest.
     */
    private static List<Sample> inFileOrder(List<Output> tracks) {
        List<List<Sample>> lists = new ArrayList<>();
        int total = 0;
        boolean ordered = true;
        for (Output o : tracks) {
            List<Sample> samples = o.track().samples();
            lists.add(samples);
            total += samples.size();
            for (int i = 1; i < samples.size() && ordered; i++) {
                ordered = place(samples.get(i - 1)) <= place(samples.get(i));
            }
        }
        List<Sample> all = new ArrayList<>(total);
        if (!ordered) {
            lists.forEach(all::addAll);
            all.sort(Comparator.comparingLong(Mp4ClipWriter::place));
            return all;
        }
        int[] next = new int[lists.size()];
        while (all.size() < total) {
            int pick = -1;
            for (int t = 0; t < lists.size(); t++) {
                if (next[t] < lists.get(t).size()
                        && (pick < 0 || place(lists.get(t).get(next[t])) < place(lists.get(pick).get(next[pick])))) {
                    pick = t;
                }
            }
            all.add(lists.get(pick).get(next[pick]++));
        }
        return all;
    }

    /** File, then position in it, as one number. */
    private static long place(Sample s) {
        return (long) s.file() << 48 | s.offset();
    }

    /**
     * Starts each run up to a page earlier in its source, so that source and clip are at the same offset
     * within a page: the kernel then copies whole pages (a quarter faster than a copy shifted against the
     * page grid). The extra bytes sit unused in the mdat. {@code from} receives each run's unpadded output
     * position; returns how far each run's samples moved.
     */
    private static long[] align(List<long[]> runs, long dataStart, long[] from) {
        long[] shift = new long[runs.size()];
        long moved = 0;
        for (int i = 0; i < runs.size(); i++) {
            long[] run = runs.get(i);
            from[i] = run[3];
            long at = dataStart + run[3] + moved;
            long extra = Math.floorMod(run[1] - at, PAGE);
            if (extra > run[1]) {
                extra = 0;
            }
            run[1] -= extra;
            run[3] += moved;
            moved += extra;
            shift[i] = moved;
        }
        return shift;
    }

    /** The run holding the unpadded output position {@code relative}. */
    private static int runAt(long[] from, long relative) {
        int i = java.util.Arrays.binarySearch(from, relative);
        return i >= 0 ? i : -i - 2;
    }

    private static long outputOffset(List<long[]> runs, Sample s) {
        int lo = 0;
        int hi = runs.size() - 1;
        while (lo < hi) { // last run starting at or before the sample, in (file, start) order
            int mid = (lo + hi + 1) >>> 1;
            long[] r = runs.get(mid);
            if (r[0] < s.file() || r[0] == s.file() && r[1] <= s.offset()) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        long[] r = runs.get(lo);
        return r[3] + (s.offset() - r[1]);
    }

    private static Boxes moov(List<Output> tracks, List<long[]> runs, List<Integer> offsetTables) {
        Boxes b = new Boxes().begin("moov");
        // the movie counts in the picture's own units: the edit lists' durations (in movie units) then end
        // the picture exactly where the clip ends. In milliseconds they rounded up to 1 ms past it, so the
        // reference frames hidden at the end (see hideAfter) fell inside the edit: ffmpeg and Chromium
        // decoded and showed them, one unit apart, which a frame-rate timebase cannot tell apart
        long movieTimescale = tracks.stream().filter(o -> o.track().kind() == Track.Kind.VIDEO).findFirst()
                .map(o -> mediaTimescale(o.track())).orElse(MOVIE_TIMESCALE);
        long movieDuration = 0;
        for (Output o : tracks) {
            movieDuration = Math.max(movieDuration, Math.round(o.seconds() * movieTimescale));
        }
        boolean wide = movieDuration > 0xFFFFFFFFL;
        b.beginFull("mvhd", wide ? 1 : 0, 0);
        times(b, wide).u32(movieTimescale);
        duration(b, wide, movieDuration).u32(0x00010000).u16(0x0100).zeros(10);
        matrix(b);
        b.zeros(24).u32(tracks.size() + 1).end();
        int id = 1;
        int sounds = 0;
        for (Output o : tracks) {
            boolean sound = o.track().kind() == Track.Kind.AUDIO;
            trak(b, o, id++, sound && sounds++ > 0, sound && tracks.stream().filter(x -> x.track().kind() == Track.Kind.AUDIO).count() > 1,
                    runs, offsetTables, movieTimescale, wide);
        }
        return b.end();
    }

    /**
     * {@code alternative}: a sound track after the first, written as ffmpeg does: not enabled, in the same
     * alternate group as the first ({@code grouped}), so players play the first and offer the others.
     */
    private static void trak(Boxes b, Output o, int id, boolean alternative, boolean grouped, List<long[]> runs,
                             List<Integer> offsetTables, long movieTimescale, boolean wide) {
        Track t = o.track();
        List<Sample> samples = t.samples();
        int n = samples.size();
        boolean video = t.kind() == Track.Kind.VIDEO;
        // decode times: the presentation times in increasing order; B-frames, shown before frames decoded
        // earlier, get negative composition offsets (ctts version 1, as OBS's hybrid MP4 and ffmpeg's
        // negative_cts_offsets write) instead of a delay: the first frame in the file is shown at 0 in
        // every track, so a player ignoring edit lists still starts picture and sound together
        // pictures in 1/90000 s where the source counts coarser (Matroska: milliseconds), see below
        long timescale = mediaTimescale(t);
        long scale = timescale / t.timescale();
        long presentFrom = o.presentFrom() * scale;
        long end = presentFrom + Math.round(o.seconds() * timescale);
        long[] pts = new long[n];
        for (int i = 0; i < n; i++) {
            pts[i] = samples.get(i).pts() * scale;
        }
        if (video) {
            hideAfter(pts, end);
        }
        long[] sorted = pts.clone();
        Arrays.sort(sorted);
        long base = sorted[0];
        long[] durations = new long[n];
        for (int i = 0; i + 1 < n; i++) {
            durations[i] = sorted[i + 1] - sorted[i];
        }
        durations[n - 1] = n > 1 ? durations[n - 2] : Math.max(1, timescale / 30);
        if (video) {
            durations[n - 1] = Math.max(1, end - sorted[n - 1]); // the last picture lasts to the end, not a frame past it
        }
        long mediaDuration = sorted[n - 1] - base + durations[n - 1];
        // the picture's edit ends exactly at `end` (the movie counts in its units): frames from there on are outside
        // a sound track ends where its last frame does when the recording's sound stops before its picture
        // (OBS's does): its edit does not promise sound past that
        long trackDuration = video ? end - presentFrom : Math.min(Math.round(o.seconds() * movieTimescale),
                Math.max(0, Math.round((base + mediaDuration - presentFrom) * (double) movieTimescale / timescale)));

        b.begin("trak");
        b.beginFull("tkhd", wide ? 1 : 0, alternative ? 2 : 3);
        times(b, wide).u32(id).u32(0);
        duration(b, wide, trackDuration).zeros(8).u16(0).u16(grouped ? 1 : 0).u16(video ? 0 : 0x0100).u16(0);
        matrix(b);
        b.u32(video ? (long) t.width() << 16 : 0).u32(video ? (long) t.height() << 16 : 0).end();
        long mediaTime = presentFrom - base;
        b.begin("edts").beginFull("elst", wide ? 1 : 0, 0).u32(1);
        if (wide) {
            b.u64(trackDuration).u64(mediaTime);
        } else {
            b.u32(trackDuration).u32(mediaTime);
        }
        b.u32(0x00010000).end().end();
        b.begin("mdia");
        b.beginFull("mdhd", 0, 0).u32(0).u32(0).u32(timescale).u32(mediaDuration).u16(0x55C4).u16(0).end();
        b.beginFull("hdlr", 0, 0).u32(0).ascii(video ? "vide" : "soun").zeros(12)
                .ascii(video ? "VideoHandler" : "SoundHandler").u8(0).end();
        b.begin("minf");
        if (video) {
            b.beginFull("vmhd", 0, 1).zeros(8).end();
        } else {
            b.beginFull("smhd", 0, 0).zeros(4).end();
        }
        b.begin("dinf").beginFull("dref", 0, 0).u32(1).beginFull("url ", 0, 1).end().end().end();
        b.begin("stbl");
        b.beginFull("stsd", 0, 0).u32(1).bytes(t.sampleEntry()).end();
        runLengths(b.beginFull("stts", 0, 0), durations).end();
        if (video) {
            long[] offsets = new long[n];
            boolean any = false;
            long least = 0;
            long most = 0;
            for (int i = 0; i < n; i++) {
                offsets[i] = pts[i] - sorted[i];
                any |= offsets[i] != 0;
                least = Math.min(least, offsets[i]);
                most = Math.max(most, offsets[i]);
            }
            if (any) {
                runLengths(b.beginFull("ctts", least < 0 ? 1 : 0, 0), offsets).end();
                // the bounds of the offsets, which players use to place decoding before presentation
                b.beginFull("cslg", 0, 0).u32(-least).u32(least).u32(most).u32(0).u32(mediaDuration).end();
            }
            int keys = 0;
            for (Sample s : samples) {
                keys += s.key() ? 1 : 0;
            }
            b.beginFull("stss", 0, 0).u32(keys);
            for (int i = 0; i < n; i++) {
                if (samples.get(i).key()) {
                    b.u32(i + 1);
                }
            }
            b.end();
        }
        b.beginFull("stsz", 0, 0).u32(0).u32(n);
        for (Sample s : samples) {
            b.u32(s.size());
        }
        b.end();
        b.beginFull("stsc", 0, 0).u32(1).u32(1).u32(1).u32(1).end();
        b.beginFull("co64", 0, 0).u32(n);
        offsetTables.add(b.size());
        for (Sample s : samples) {
            b.u64(outputOffset(runs, s));
        }
        b.end();
        b.end().end().end().end();
    }

    /** A track's units in the clip: pictures in 1/90000 s where the source counts coarser (Matroska: milliseconds). */
    private static long mediaTimescale(Track t) {
        boolean video = t.kind() == Track.Kind.VIDEO;
        long scale = video && t.timescale() < 90_000 && 90_000 % t.timescale() == 0 ? 90_000 / t.timescale() : 1;
        return t.timescale() * scale;
    }

    /** Creation and modification time (zero), 64-bit in a version 1 box. */
    private static Boxes times(Boxes b, boolean wide) {
        return wide ? b.u64(0).u64(0) : b.u32(0).u32(0);
    }

    private static Boxes duration(Boxes b, boolean wide, long duration) {
        return wide ? b.u64(duration) : b.u32(duration);
    }

    /**
     * Frames shown at or after {@code end} are in the clip only because frames before the end are
     * predicted from them (a P-frame decoded before the B-frames shown ahead of it). Shown at their own
     * times they play past the end wherever the edit list's end is not honoured (Chromium reports the
     * clip a frame longer, Firefox and ffmpeg's -ignore_editlist play them): they are given one unit
     * each (1/90000 s for Matroska sources), in their order, right at the end instead.
     */
    static void hideAfter(long[] pts, long end) {
        long[] after = Arrays.stream(pts).filter(p -> p >= end).sorted().toArray();
        for (int i = 0; i < pts.length; i++) {
            if (pts[i] >= end) {
                pts[i] = end + Arrays.binarySearch(after, pts[i]);
            }
        }
    }

    private static Boxes runLengths(Boxes b, long[] values) {
        int entries = 0;
        for (int i = 0; i < values.length; i++) {
            if (i == 0 || values[i] != values[i - 1]) {
                entries++;
            }
        }
        b.u32(entries);
        int i = 0;
        while (i < values.length) {
            int j = i;
            while (j < values.length && values[j] == values[i]) {
                j++;
            }
            b.u32(j - i).u32(values[i]);
            i = j;
        }
        return b;
    }

    private static void matrix(Boxes b) {
        b.u32(0x00010000).u32(0).u32(0).u32(0).u32(0x00010000).u32(0).u32(0).u32(0).u32(0x40000000);
    }
}
