package de.scheincam.schedule;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The week as a venue plays it: for each weekday its recording windows, e.g.
 * {@code Tu-Fr 19:50-22:10; Sa 19:50-22:15; Su 15:00-17:30, 19:50-22:10}.
 * <p>
 * The setting {@code scheincam.schedule.windows} is written in this form: entries separated by
 * {@code ;}, each a day list (two-letter names, English {@code Mo Tu We Th Fr Sa Su} or German
 * {@code Mo Di Mi Do Fr Sa So}, any case; single days, ranges such as {@code Tu-Fr} or {@code Fr-Mo},
 * comma-separated) followed by one or more windows {@code HH:MM[:SS]-HH:MM[:SS]}. A window whose end
 * is not after its start ends the next day. Each day is named at most once; its windows may not
 * overlap each other nor the windows of the following day they run into.
 */
public final class WeekWindows {

    /** One window of a weekday, in wall-clock time; the end is on the next day when not after the start. */
    public record Daily(LocalTime start, LocalTime end) {

        public Daily {
            if (start.equals(end)) {
                throw new IllegalArgumentException("a window needs different start and end times");
            }
        }

        public boolean overMidnight() {
            return !end.isAfter(start);
        }

        /** Length in wall-clock time (a DST change on the day makes the real length differ by an hour). */
        public Duration length() {
            Duration d = Duration.between(start, end);
            return d.isNegative() || d.isZero() ? d.plusDays(1) : d;
        }

        @Override
        public String toString() {
            return text(start) + "-" + text(end);
        }
    }

    public static final WeekWindows NONE = new WeekWindows(Map.of());

    private static final String[] ENGLISH = {"mo", "tu", "we", "th", "fr", "sa", "su"};
    private static final String[] GERMAN = {"mo", "di", "mi", "do", "fr", "sa", "so"};
    private static final Pattern ENTRY = Pattern.compile("^([A-Za-z][A-Za-z,\\-\\s]*?)\\s+(\\d.*)$");
    private static final Pattern WINDOW = Pattern.compile("^(\\d{1,2}:\\d{2}(?::\\d{2})?)\\s*-\\s*(\\d{1,2}:\\d{2}(?::\\d{2})?)$");

    private final Map<DayOfWeek, List<Daily>> days;

    private WeekWindows(Map<DayOfWeek, List<Daily>> days) {
        EnumMap<DayOfWeek, List<Daily>> copy = new EnumMap<>(DayOfWeek.class);
        days.forEach((d, w) -> {
            if (!w.isEmpty()) {
                List<Daily> sorted = new ArrayList<>(w);
                sorted.sort(Comparator.comparing(Daily::start));
                copy.put(d, List.copyOf(sorted));
            }
        });
        this.days = Collections.unmodifiableMap(copy);
        checkOverlaps();
    }

    /** The one-window-for-every-chosen-day schedule of scheincam.schedule.start-time/end-time/weekdays. */
    public static WeekWindows every(Set<DayOfWeek> weekdays, LocalTime start, LocalTime end) {
        Map<DayOfWeek, List<Daily>> map = new EnumMap<>(DayOfWeek.class);
        Daily window = new Daily(start, end);
        weekdays.forEach(d -> map.put(d, List.of(window)));
        return new WeekWindows(map);
    }

    /** Reads the compact form; blank is no windows at all. Errors name the part that is wrong. */
    public static WeekWindows parse(String text) {
        Map<DayOfWeek, List<Daily>> map = new EnumMap<>(DayOfWeek.class);
        if (text == null || text.isBlank()) {
            return NONE;
        }
        for (String rawEntry : text.split(";")) {
            String entry = rawEntry.trim();
            if (entry.isEmpty()) {
                continue;
            }
            Matcher m = ENTRY.matcher(entry);
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + entry + "': days, then windows, e.g. 'Sa 19:50-22:15'");
            }
            List<DayOfWeek> entryDays = days(m.group(1));
            List<Daily> windows = new ArrayList<>();
            for (String w : m.group(2).split(",")) {
                windows.add(window(w.trim()));
            }
            for (DayOfWeek d : entryDays) {
                if (map.put(d, windows) != null) {
                    throw new IllegalArgumentException("'" + entry + "': " + name(d) + " is named twice");
                }
            }
        }
        return new WeekWindows(map);
    }

    public List<Daily> on(DayOfWeek day) {
        return days.getOrDefault(day, List.of());
    }

    public boolean isEmpty() {
        return days.isEmpty();
    }

    /** The days with at least one window. */
    public Set<DayOfWeek> days() {
        return days.keySet();
    }

    /** True when every day that has windows has the same one window: what a single start/end cron can say. */
    public boolean sameWindowEveryDay() {
        return days.values().stream().distinct().count() <= 1 && days.values().stream().allMatch(w -> w.size() == 1);
    }

    /** The canonical compact form: consecutive days with the same windows as ranges, Monday first. */
    @Override
    public String toString() {
        List<String> entries = new ArrayList<>();
        DayOfWeek[] week = DayOfWeek.values();
        int i = 0;
        while (i < week.length) {
            List<Daily> w = on(week[i]);
            if (w.isEmpty()) {
                i++;
                continue;
            }
            int j = i;
            while (j + 1 < week.length && on(week[j + 1]).equals(w)) {
                j++;
            }
            String range = j == i ? name(week[i]) : j == i + 1 ? name(week[i]) + "," + name(week[j])
                    : name(week[i]) + "-" + name(week[j]);
            entries.add(range + " " + String.join(", ", w.stream().map(Daily::toString).toList()));
            i = j + 1;
        }
        return String.join("; ", entries);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WeekWindows other && other.days.equals(days);
    }

    @Override
    public int hashCode() {
        return days.hashCode();
    }

    /** English two-letter name, as in the compact form and RFC 5545's BYDAY. */
    public static String name(DayOfWeek day) {
        String n = ENGLISH[day.getValue() - 1];
        return Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }

    static String text(LocalTime t) {
        return t.getSecond() == 0 ? String.format(Locale.ROOT, "%02d:%02d", t.getHour(), t.getMinute())
                : String.format(Locale.ROOT, "%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond());
    }

    private static List<DayOfWeek> days(String text) {
        List<DayOfWeek> out = new ArrayList<>();
        for (String part : text.replaceAll("\\s", "").split(",")) {
            if (part.isEmpty()) {
                continue;
            }
            String[] range = part.split("-", -1);
            if (range.length == 1) {
                out.add(day(range[0]));
            } else if (range.length == 2) {
                DayOfWeek from = day(range[0]);
                DayOfWeek to = day(range[1]);
                for (DayOfWeek d = from; ; d = d.plus(1)) {
                    out.add(d);
                    if (d == to) {
                        break;
                    }
                }
            } else {
                throw new IllegalArgumentException("'" + part + "' is not a day or a range of days such as Tu-Fr");
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "': name at least one day");
        }
        return out;
    }

    private static DayOfWeek day(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (int i = 0; i < 7; i++) {
            if (ENGLISH[i].equals(n) || GERMAN[i].equals(n)) {
                return DayOfWeek.of(i + 1);
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not a day (Mo Tu We Th Fr Sa Su, or Mo Di Mi Do Fr Sa So)");
    }

    private static Daily window(String text) {
        Matcher m = WINDOW.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a window HH:MM-HH:MM");
        }
        try {
            LocalTime start = LocalTime.parse(pad(m.group(1)));
            LocalTime end = LocalTime.parse(pad(m.group(2)));
            if (start.equals(end)) {
                throw new IllegalArgumentException("'" + text + "': the end must differ from the start");
            }
            return new Daily(start, end);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a window HH:MM-HH:MM (00:00 … 23:59)");
        }
    }

    private static String pad(String t) {
        return t.indexOf(':') == 1 ? "0" + t : t;
    }

    /** Windows of one day overlap neither each other nor those of the next day that a late window runs into. */
    private void checkOverlaps() {
        for (DayOfWeek d : DayOfWeek.values()) {
            List<Daily> today = on(d);
            for (int i = 0; i + 1 < today.size(); i++) {
                Daily a = today.get(i);
                Daily b = today.get(i + 1);
                if (a.overMidnight() || b.start().isBefore(a.end())) {
                    throw new IllegalArgumentException(name(d) + ": " + a + " and " + b + " overlap");
                }
            }
            if (!today.isEmpty() && today.get(today.size() - 1).overMidnight()) {
                Daily late = today.get(today.size() - 1);
                List<Daily> tomorrow = on(d.plus(1));
                if (!tomorrow.isEmpty() && tomorrow.get(0).start().isBefore(late.end())) {
                    throw new IllegalArgumentException(name(d) + " " + late + " runs into " + name(d.plus(1)) + " "
                            + tomorrow.get(0));
                }
            }
        }
    }
}
