package de.scheincam.remux;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The parsed clusters kept for exports stay within their bound, dropping the least recently used. */
class BlockCacheTest {

    private static MatroskaReader.Cluster cluster(long at) {
        return new MatroskaReader.Cluster(at, at + 1000, at);
    }

    private static MatroskaReader.Blocks blocks(int count) {
        return new MatroskaReader.Blocks(count, new int[count], new int[count], new short[count], new byte[count]);
    }

    @Test
    void holdsAtMostItsBoundAndDropsTheLeastRecentlyUsed() {
        BlockCache cache = new BlockCache(100);
        List<MatroskaReader.Cluster> clusters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clusters.add(cluster(i * 1000L));
            cache.put(clusters.get(i), blocks(40));
        }
        // 120 blocks > 100: the first cluster went
        assertThat(cache.size()).isEqualTo(80);
        assertThat(cache.get(clusters.get(0))).isNull();
        assertThat(clusters.get(0).blocks).as("its blocks are released, not only forgotten").isNull();

        // using the second makes the third the oldest
        assertThat(cache.get(clusters.get(1))).isNotNull();
        MatroskaReader.Cluster fourth = cluster(3000);
        cache.put(fourth, blocks(40));
        assertThat(cache.get(clusters.get(2))).isNull();
        assertThat(cache.get(clusters.get(1))).isNotNull();
        assertThat(cache.get(fourth)).isNotNull();
        assertThat(cache.size()).isEqualTo(80);
    }

    @Test
    void aClusterLargerThanTheBoundIsStillUsedOnceButEvictsTheRest() {
        BlockCache cache = new BlockCache(100);
        MatroskaReader.Cluster small = cluster(0);
        cache.put(small, blocks(10));
        MatroskaReader.Cluster big = cluster(1000);
        cache.put(big, blocks(500));
        assertThat(cache.get(small)).isNull();
        assertThat(cache.get(big)).isNotNull();
        assertThat(cache.size()).isEqualTo(500);
    }

    @Test
    void noMemoryMeansNothingIsKept() {
        BlockCache cache = new BlockCache(0);
        MatroskaReader.Cluster c = cluster(0);
        cache.put(c, blocks(10));
        assertThat(cache.get(c)).isNull();
        assertThat(cache.size()).isZero();
    }
}
