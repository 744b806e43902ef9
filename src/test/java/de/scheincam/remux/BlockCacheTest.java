package de.scheincam.remux;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What is kept of recordings' frame positions stays within its bound, letting go of the least recently used. */
class BlockCacheTest {

    private static MatroskaReader.Cluster cluster(long at, int blocks) {
        MatroskaReader.Cluster c = new MatroskaReader.Cluster(at, at + 1000, at);
        c.blocks = new MatroskaReader.Blocks(blocks, new int[blocks], new int[blocks], new short[blocks], new byte[blocks]);
        return c;
    }

    /** What clusters of {@code frames} frames in all cost. */
    private static long cost(int frames) {
        return 96 * (frames / 40) + 11L * frames;
    }

    @Test
    void holdsAtMostItsBoundAndLetsGoOfTheLeastRecentlyUsed() {
        BlockCache cache = new BlockCache(cost(100));
        List<MatroskaReader.Cluster> clusters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clusters.add(cluster(i * 1000L, 40));
            assertThat(cache.add(clusters.get(i))).isTrue();
        }
        // 120 frames > 100: the first cluster went, and its blocks with it
        assertThat(cache.frames()).isEqualTo(80);
        assertThat(clusters.get(0).blocks).isNull();
        assertThat(clusters.get(1).blocks).isNotNull();

        // using the second makes the third the oldest
        cache.touch(clusters.get(1));
        MatroskaReader.Cluster fourth = cluster(3000, 40);
        cache.add(fourth);
        assertThat(clusters.get(2).blocks).isNull();
        assertThat(clusters.get(1).blocks).isNotNull();
        assertThat(fourth.blocks).isNotNull();
        assertThat(cache.frames()).isEqualTo(80);
    }

    @Test
    void addingTwiceCountsOnce() {
        BlockCache cache = new BlockCache(cost(100));
        MatroskaReader.Cluster c = cluster(0, 30);
        cache.add(c);
        cache.add(c);
        assertThat(cache.frames()).isEqualTo(30);
    }

    @Test
    void anEntryLargerThanTheBoundIsStillUsedButTheRestGoes() {
        BlockCache cache = new BlockCache(cost(100));
        MatroskaReader.Cluster small = cluster(0, 10);
        cache.add(small);
        MatroskaReader.Cluster big = cluster(1000, 500);
        cache.add(big);
        assertThat(small.blocks).isNull();
        assertThat(big.blocks).isNotNull();
        assertThat(cache.frames()).isEqualTo(500);
    }

    @Test
    void aRemovedEntryIsLetGoAtOnce() {
        BlockCache cache = new BlockCache(cost(100));
        MatroskaReader.Cluster c = cluster(0, 40);
        cache.add(c);
        assertThat(cache.bytes()).isEqualTo(cost(40));
        cache.remove(c);
        assertThat(c.blocks).isNull();
        assertThat(cache.frames()).isZero();
        assertThat(cache.bytes()).isZero();
    }

    @Test
    void noMemoryMeansNothingIsHeld() {
        BlockCache cache = new BlockCache(0);
        assertThat(cache.add(cluster(0, 10))).isFalse();
        assertThat(cache.frames()).isZero();
    }
}
