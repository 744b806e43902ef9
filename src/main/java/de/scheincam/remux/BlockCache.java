package de.scheincam.remux;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the frames of recent recordings lie, kept so that a clip is cut without reading the
 * recording's container again: Matroska clusters' parsed blocks (about 11 bytes a frame) and finished
 * MP4s' sample tables (about 21). The least recently used entries are let go once {@code maxBytes} are
 * held; an hour of 30 fps picture with AAC sound has about 280 000 frames. Thread-safe.
 */
final class BlockCache {

    /** Something held: how many frames it knows, what it costs, and how to let go of it. */
    interface Entry {
        int frames();

        long bytes();

        void release();
    }

    private final long maxBytes;
    private final LinkedHashMap<Entry, long[]> held = new LinkedHashMap<>(256, 0.75f, true);
    private long frames;
    private long bytes;

    BlockCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Marks {@code e} as just used. */
    synchronized void touch(Entry e) {
        held.get(e);
    }

    /** Holds {@code e}, letting go of the least recently used others beyond the bound; false when nothing may be held. */
    synchronized boolean add(Entry e) {
        if (maxBytes <= 0) {
            return false;
        }
        if (held.containsKey(e)) {
            held.get(e);
            return true;
        }
        long[] cost = {e.frames(), e.bytes()};
        held.put(e, cost);
        frames += cost[0];
        bytes += cost[1];
        Iterator<Map.Entry<Entry, long[]>> oldest = held.entrySet().iterator();
        while (bytes > maxBytes && oldest.hasNext()) {
            Map.Entry<Entry, long[]> o = oldest.next();
            if (o.getKey() != e) {
                oldest.remove();
                drop(o.getKey(), o.getValue());
            }
        }
        return true;
    }

    /** Lets go of {@code e} now (its recording was deleted). */
    synchronized void remove(Entry e) {
        long[] cost = held.remove(e);
        if (cost != null) {
            drop(e, cost);
        }
    }

    private void drop(Entry e, long[] cost) {
        e.release();
        frames -= cost[0];
        bytes -= cost[1];
    }

    /** Frames whose positions are held. */
    synchronized long frames() {
        return frames;
    }

    synchronized long bytes() {
        return bytes;
    }
}
