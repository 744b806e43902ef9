package de.scheincam.remux;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the frames of recent recordings lie, kept so that a clip is cut without reading the
 * recording's container again: Matroska clusters' parsed blocks and finished MP4s' sample tables. The
 * least recently used entries are let go once {@code maxFrames} frames are held (about 11 bytes each
 * for Matroska, 21 for MP4; an hour of 30 fps picture with AAC sound has about 280 000). Thread-safe.
 */
final class BlockCache {

    /** Something held: how many frames it weighs, and how to let go of it. */
    interface Entry {
        int frames();

        void release();
    }

    private final long maxFrames;
    private final LinkedHashMap<Entry, Integer> held = new LinkedHashMap<>(256, 0.75f, true);
    private long frames;

    BlockCache(long maxFrames) {
        this.maxFrames = maxFrames;
    }

    /** Marks {@code e} as just used. */
    synchronized void touch(Entry e) {
        held.get(e);
    }

    /** Holds {@code e}, letting go of the least recently used others beyond the bound; false when nothing may be held. */
    synchronized boolean add(Entry e) {
        if (maxFrames <= 0) {
            return false;
        }
        if (held.containsKey(e)) {
            held.get(e);
            return true;
        }
        held.put(e, e.frames());
        frames += e.frames();
        Iterator<Map.Entry<Entry, Integer>> oldest = held.entrySet().iterator();
        while (frames > maxFrames && oldest.hasNext()) {
            Map.Entry<Entry, Integer> o = oldest.next();
            if (o.getKey() == e) {
                continue;
            }
            o.getKey().release();
            frames -= o.getValue();
            oldest.remove();
        }
        return true;
    }

    synchronized long size() {
        return frames;
    }
}
