package de.scheincam.library;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import de.scheincam.core.Refusal;

/**
 * Recording names: OBS writes {@code yy-MM-dd_HH-mm-ss.<ext>} (venue time), and {@code … (2).<ext>}
 * when a name is taken. Clients name a recording by its base name, with or without extension. Anything
 * that is not a plain file name is refused here, before the library or the file system sees it.
 */
public final class RecordingNames {

    public static final Set<String> CONTAINERS = Set.of("mkv", "mp4", "mov", "flv", "ts");

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 _.()+-]{0,127}");
    private static final Pattern OBS_NAME = Pattern.compile("(\\d{2}-\\d{2}-\\d{2}_\\d{2}-\\d{2}-\\d{2})(?: \\(\\d+\\))?");
    private static final DateTimeFormatter OBS_FORMAT = DateTimeFormatter.ofPattern("yy-MM-dd_HH-mm-ss", Locale.ROOT);

    private RecordingNames() {
    }

    /** The container (extension) of a recording file name, if it is one we record into. */
    public static Optional<String> container(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String ext = fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        return CONTAINERS.contains(ext) ? Optional.of(ext) : Optional.empty();
    }

    public static String baseName(String fileName) {
        return container(fileName).map(ext -> fileName.substring(0, fileName.length() - ext.length() - 1)).orElse(fileName);
    }

    /** A client-supplied name reduced to a base name, or a 400 that says why. */
    public static String requireBaseName(String requested) {
        if (requested == null || requested.isBlank()) {
            throw Refusal.malformed("A recording name is required.");
        }
        if (requested.length() > 128 || !SAFE.matcher(requested).matches() || requested.contains("..")) {
            throw Refusal.malformed("'" + printable(requested) + "' is not a recording name"
                    + " (expected e.g. 25-01-24_19-50-00 or 25-01-24_19-50-00.mkv).");
        }
        return baseName(requested);
    }

    /** The start encoded in an OBS-style name, if the name is one. */
    public static Optional<LocalDateTime> startFromName(String baseName) {
        Matcher m = OBS_NAME.matcher(baseName);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDateTime.parse(m.group(1), OBS_FORMAT));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String printable(String s) {
        String cut = s.length() > 60 ? s.substring(0, 60) + "…" : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
