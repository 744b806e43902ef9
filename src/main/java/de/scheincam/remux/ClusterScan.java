package de.scheincam.remux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Byte access to a file for a forward walk over its element headers, read in large sequential pieces.
 * Reading a cluster this way costs a fraction of touching its pages through a memory mapping: page
 * faults are dear (on virtual machines especially), and a read of 1 MB is one system call.
 */
final class ClusterScan {

    /** For walking a cluster's blocks: 1 MB a read, a piece that still fits the CPU's caches. */
    static final int CLUSTER_PIECE = 1 << 20;
    /** For reading one element's header (ID and size, at most 12 bytes). */
    static final int HEADER_PIECE = 16;

    private final FileChannel channel;
    private final int piece;
    private final ByteBuffer buffer;
    private long start;
    private int length;
    private long limit;

    ClusterScan(FileChannel channel, int piece) {
        this.channel = channel;
        this.piece = piece;
        this.buffer = ByteBuffer.allocateDirect(piece);
    }

    /** Reads stop at {@code end}: a walk inside one element (a cluster) must not read the next. */
    void limit(long end) {
        limit = end;
        if (start + length > end) {
            length = (int) Math.max(0, end - start);
        }
    }

    byte get(long pos) {
        if (pos < start || pos >= start + length) {
            fill(pos);
        }
        return buffer.get((int) (pos - start));
    }

    private void fill(long pos) {
        if (pos >= limit) {
            throw new UnsupportedSource("an element runs past its end at " + pos);
        }
        buffer.clear();
        buffer.limit((int) Math.min(piece, limit - pos));
        try {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, pos + buffer.position()) < 0) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start = pos;
        length = buffer.position();
        if (length == 0) {
            throw new UnsupportedSource("the file ends inside a cluster at " + pos);
        }
    }
}
