package de.scheincam.frames;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Whether an MP4/MOV file is fragmented (OBS's fragmented and hybrid MP4): then it can be read up to
 * its last complete fragment while still being written; a plain MP4 has no index until it is finished.
 * Reads only box headers: the top level, and the children of {@code moov}.
 */
public final class Mp4Fragments {

    private static final int MAX_BOXES = 64;

    private Mp4Fragments() {
    }

    public static boolean present(Path file) {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            long pos = 0;
            for (int i = 0; i < MAX_BOXES && pos + 8 <= size; i++) {
                Box box = Box.read(in, pos, size);
                if (box == null) {
                    return false;
                }
                if (box.type.equals("moof") || box.type.equals("mfra")) {
                    return true;
                }
                if (box.type.equals("moov") && containsChild(in, box, "mvex")) {
                    return true;
                }
                pos = box.end;
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean containsChild(FileChannel in, Box parent, String type) throws IOException {
        long pos = parent.start + parent.header;
        for (int i = 0; i < MAX_BOXES && pos + 8 <= parent.end; i++) {
            Box child = Box.read(in, pos, parent.end);
            if (child == null) {
                return false;
            }
            if (child.type.equals(type)) {
                return true;
            }
            pos = child.end;
        }
        return false;
    }

    private record Box(String type, long start, int header, long end) {

        /** The box at {@code pos}, or null if its header is not there (yet) or makes no sense. */
        static Box read(FileChannel in, long pos, long limit) throws IOException {
            ByteBuffer head = ByteBuffer.allocate(16);
            if (in.read(head, pos) < 8) {
                return null;
            }
            head.flip();
            long size = Integer.toUnsignedLong(head.getInt());
            byte[] type = new byte[4];
            head.get(type);
            int header = 8;
            if (size == 1) {
                if (head.remaining() < 8) {
                    return null;
                }
                size = head.getLong();
                header = 16;
            } else if (size == 0) {
                size = limit - pos; // to the end of the file (e.g. an mdat still being written)
            }
            if (size < header) {
                return null;
            }
            return new Box(new String(type, java.nio.charset.StandardCharsets.ISO_8859_1), pos, header,
                    Math.min(limit, pos + size));
        }
    }
}
