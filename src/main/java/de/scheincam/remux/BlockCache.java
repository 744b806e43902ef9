package de.scheincam.remux;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parsed blocks of Matroska clusters, kept so that a clip is cut without reading the recording's
 * container again: the least recently used clusters are dropped once {@code maxBlocks} blocks are held
 * (about 11 bytes each; an hour of 30 fps picture with AAC sound has about 280 000). Thread-safe.
 */
final class BlockCache {

    private final long maxBlocks;
    private final LinkedHashMap<MatroskaReader.Cluster, Integer> held = new LinkedHashMap<>(256, 0.75f, true);
    private long blocks;

    BlockCache(long maxBlocks) {
        this.maxBlocks = maxBlocks;
    }

    synchronized MatroskaReader.Blocks get(MatroskaReader.Cluster cluster) {
        MatroskaReader.Blocks b = cluster.blocks;
        if (b != null) {
            held.get(cluster); // most recently used
        }
        return b;
    }

    synchronized void put(MatroskaReader.Cluster cluster, MatroskaReader.Blocks b) {
        if (cluster.blocks != null || maxBlocks <= 0) {
            return;
        }
        cluster.blocks = b;
        held.put(cluster, b.count);
        blocks += b.count;
        Iterator<Map.Entry<MatroskaReader.Cluster, Integer>> oldest = held.entrySet().iterator();
        while (blocks > maxBlocks && held.size() > 1 && oldest.hasNext()) {
            Map.Entry<MatroskaReader.Cluster, Integer> e = oldest.next();
            if (e.getKey() == cluster) {
                continue;
            }
            e.getKey().blocks = null;
            blocks -= e.getValue();
            oldest.remove();
        }
    }

    synchronized long size() {
        return blocks;
    }
}
