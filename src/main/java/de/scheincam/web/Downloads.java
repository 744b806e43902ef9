package de.scheincam.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import de.scheincam.clips.ExportJob;
import de.scheincam.clips.ExportJobs;
import de.scheincam.library.Recording;
import de.scheincam.library.RecordingLibrary;

/**
 * Downloads of recordings and clips, with single HTTP byte ranges (206) so browsers can seek in a
 * video and resume a download. Multi-range requests get the whole file (allowed by RFC 9110).
 * Only the file and the range are decided here; the bytes are sent by {@link FileTransfers}. A
 * recording still being written is sent as far as it is written when asked for (its size then).
 */
public class Downloads {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
    private static final Map<String, String> TYPES = Map.of(
            "mp4", "video/mp4", "mkv", "video/x-matroska", "mov", "video/quicktime",
            "flv", "video/x-flv", "ts", "video/mp2t");

    private final RecordingLibrary library;
    private final ExportJobs exports;
    private final String downloadPrefix;

    public Downloads(RecordingLibrary library, ExportJobs exports, String downloadPrefix) {
        this.library = library;
        this.exports = exports;
        this.downloadPrefix = downloadPrefix;
    }

    public FileResponse recording(String name, String range) {
        Recording r = library.find(name);
        String friendly = downloadPrefix + "_" + r.startTime().toLocalDate() + "_"
                + String.format(Locale.ROOT, "%02d-%02d", r.startTime().getHour(), r.startTime().getMinute())
                + "." + r.container();
        return send(library.fileOf(r), TYPES.getOrDefault(r.container(), "application/octet-stream"), friendly, range);
    }

    public FileResponse export(String jobId, String range) {
        ExportJob job = exports.downloadable(jobId);
        return send(exports.clipFile(job.jobId()), "video/mp4", job.downloadName(), range);
    }

    private static FileResponse send(Path file, String type, String friendlyName, String range) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw ApiProblem.notFound("The file is gone.");
        }
        try {
            long size = Files.size(file);
            long first = 0;
            long last = size - 1;
            int status = 200;
            String contentRange = null;
            Matcher m = range == null ? null : RANGE.matcher(range.trim());
            if (m != null && m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
                if (m.group(1).isEmpty()) {
                    first = Math.max(0, size - Long.parseLong(m.group(2)));
                } else {
                    first = Long.parseLong(m.group(1));
                    if (!m.group(2).isEmpty()) {
                        last = Math.min(last, Long.parseLong(m.group(2)));
                    }
                }
                if (first >= size || first > last) {
                    throw new ApiProblem(416, "Range " + range + " is outside the file (" + size + " bytes).");
                }
                status = 206;
                contentRange = "bytes " + first + "-" + last + "/" + size;
            }
            return new FileResponse(status, type, disposition(friendlyName), contentRange, file, first, last - first + 1);
        } catch (NumberFormatException e) {
            throw new ApiProblem(416, "Range " + range + " is not a byte range.");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** attachment; with an ASCII fallback and the RFC 5987 form for any non-ASCII name. */
    static String disposition(String name) {
        String ascii = name.replaceAll("[^A-Za-z0-9._-]", "_");
        String encoded = java.net.URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }
}
