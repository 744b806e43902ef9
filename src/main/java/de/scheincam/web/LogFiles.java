package de.scheincam.web;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The application's log files for the operator (original API: list, read with a tail, delete). Only
 * plain files directly in the logs folder, named like the logging configuration names them; the file
 * being written is emptied rather than deleted.
 */
public class LogFiles {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}\\.log(\\.gz)?");
    private static final int MAX_LINES = 10_000;

    private final Path dir;

    public LogFiles(Path dir) {
        this.dir = dir;
    }

    /** {@code GET /api/admin/logs}: the names, sorted. */
    public record Listing(List<String> logs, int count) {
        public Listing {
            logs = List.copyOf(logs);
        }
    }

    /** {@code DELETE /api/admin/logs}: how many files went (the current log is emptied, not counted). */
    public record Cleared(boolean success, int deleted) {
    }

    public Listing list() {
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    String n = f.getFileName().toString();
                    if (NAME.matcher(n).matches() && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                        names.add(n);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Collections.sort(names);
        return new Listing(names, names.size());
    }

    /** The last {@code lines} lines of a log (default 200, at most 10,000), as text. */
    public String tail(String name, Integer lines) {
        Path file = file(name);
        if (name.endsWith(".gz")) {
            throw ApiProblem.unprocessable("Log '" + name + "' is compressed; download it from the server instead.");
        }
        int wanted = lines == null ? 200 : lines;
        if (wanted < 1 || wanted > MAX_LINES) {
            throw ApiProblem.unprocessable("Parameter 'lines': from 1 to " + MAX_LINES + ".");
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long end = raf.length();
            long pos = end;
            int newlines = 0;
            // read backwards in blocks until enough lines are in view
            while (pos > 0 && newlines <= wanted) {
                int block = (int) Math.min(8192, pos);
                pos -= block;
                byte[] buf = new byte[block];
                raf.seek(pos);
                raf.readFully(buf);
                for (int i = block - 1; i >= 0; i--) {
                    if (buf[i] == '\n' && ++newlines > wanted) {
                        pos += i + 1;
                        break;
                    }
                }
            }
            byte[] text = new byte[(int) (end - pos)];
            raf.seek(pos);
            raf.readFully(text);
            return new String(text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the rolled-over logs and empties the current one. */
    public Cleared clear() {
        List<String> names = list().logs();
        int deleted = 0;
        for (String n : names) {
            Path f = dir.resolve(n);
            try {
                if (n.equals("scheincam.log")) {
                    Files.write(f, new byte[0]);
                } else {
                    Files.deleteIfExists(f);
                    deleted++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Cleared(true, deleted);
    }

    private Path file(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiProblem.badRequest("'" + (name == null ? "" : name.replaceAll("\\p{Cntrl}", "?")) + "' is not a log name.");
        }
        Path f = dir.resolve(name);
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            throw ApiProblem.notFound("No log named '" + name + "'.");
        }
        return f;
    }
}
