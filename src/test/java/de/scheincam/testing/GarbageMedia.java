package de.scheincam.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Recordings that are real at the head and garbage behind it, as a damaged disk or a crafted upload
 * leaves them: the zeros are sparse (RandomAccessFile.setLength), so a 20 GB file costs no disk.
 */
public final class GarbageMedia {

    public static final long TWENTY_GB = 20L << 30;

    private GarbageMedia() {
    }

    /** The first {@code headBytes} of {@code source}, then zeros up to {@code length}. */
    public static void realHead(Path source, long headBytes, Path out, long length) {
        try {
            byte[] data = Files.readAllBytes(source);
            try (RandomAccessFile f = new RandomAccessFile(out.toFile(), "rw")) {
                f.write(data, 0, (int) Math.min(headBytes, data.length));
                f.setLength(length);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A plain MP4 whose moov is at the end (as OBS writes it when it finishes): the real head (ftyp, the
     * mdat's first {@code headBytes}), zeros up to {@code length} minus the moov, the real moov last. The
     * mdat becomes a 64-bit box over all of it (in place of the 8-byte free box ffmpeg reserves for
     * that), so every sample offset still points where it did, now mostly into zeros.
     */
    public static void moovLastWithZeros(Path source, long headBytes, Path out, long length) {
        try {
            byte[] data = Files.readAllBytes(source);
            long mdat = -1;
            long moov = -1;
            long moovSize = 0;
            for (long pos = 0; pos + 8 <= data.length; ) {
                ByteBuffer b = ByteBuffer.wrap(data, (int) pos, 8);
                long size = Integer.toUnsignedLong(b.getInt());
                String type = new String(data, (int) pos + 4, 4, StandardCharsets.ISO_8859_1);
                if (type.equals("mdat")) {
                    mdat = pos;
                } else if (type.equals("moov")) {
                    moov = pos;
                    moovSize = size;
                }
                if (size < 8) {
                    throw new IllegalArgumentException(source + ": box " + type + " of size " + size);
                }
                pos += size;
            }
            String before = new String(data, (int) mdat - 4, 4, StandardCharsets.ISO_8859_1);
            if (mdat < 8 || moov < mdat || !(before.equals("free") || before.equals("wide"))) {
                throw new IllegalArgumentException(source + " is not ftyp, free, mdat, moov");
            }
            long moovAt = length - moovSize;
            try (RandomAccessFile f = new RandomAccessFile(out.toFile(), "rw")) {
                f.write(data, 0, (int) Math.min(mdat + 8 + headBytes, moov));
                f.seek(mdat - 8);
                f.writeInt(1);
                f.write("mdat".getBytes(StandardCharsets.ISO_8859_1));
                f.writeLong(moovAt - (mdat - 8));
                f.setLength(moovAt);
                f.seek(moovAt);
                f.write(data, (int) moov, (int) moovSize);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Matroska file as it was, but every byte from its first Cluster up to its Cues zero. */
    public static void mkvClustersZeroed(Path source, Path out) {
        try {
            byte[] data = Files.readAllBytes(source);
            int firstCluster = Media.indexOf(data, new byte[] {0x1F, 0x43, (byte) 0xB6, 0x75});
            int cues = lastIndexOf(data, new byte[] {0x1C, 0x53, (byte) 0xBB, 0x6B});
            if (firstCluster < 0 || cues < firstCluster) {
                throw new IllegalArgumentException(source + ": no clusters before cues");
            }
            java.util.Arrays.fill(data, firstCluster, cues, (byte) 0);
            Files.write(out, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int lastIndexOf(byte[] data, byte[] what) {
        outer:
        for (int i = data.length - what.length; i >= 0; i--) {
            for (int j = 0; j < what.length; j++) {
                if (data[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
