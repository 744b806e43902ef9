package de.scheincam.settings;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import de.scheincam.core.Refusal;
import de.scheincam.schedule.ScheduleSettings;
import de.scheincam.schedule.WeekWindows;

/**
 * What a setting's value is and the one check it passes, whether it comes from {@code PUT /api/settings}
 * (JSON, already shaped by the contract) or from settings.properties (text, which nothing else checks).
 * Both ways meet in {@link #parse}: JSON is first turned into the text the properties file holds.
 *
 * @param <T> the value as the beans use it
 */
public interface SettingKind<T> {

    /** The value from its text in a properties file; refuses it naming {@code field}. */
    T parse(String field, String text);

    /** The text a properties file holds for the value. */
    String text(T value);

    /** The value as {@code GET /api/settings} answers it. */
    default Object json(T value) {
        return text(value);
    }

    /** The JSON a client sent, as properties text; refuses a value of the wrong JSON type. */
    String fromJson(String field, Object json);

    SettingKind<LocalTime> TIME = new OfString<>("a time HH:MM[:SS] is required") {
        @Override
        public LocalTime parse(String field, String text) {
            return ScheduleSettings.time(field, text);
        }

        @Override
        public String text(LocalTime value) {
            return value.toString();
        }
    };

    /** A time of day, or "" for none; kept normalised (HH:MM[:SS]). */
    SettingKind<String> OPTIONAL_TIME = new OfString<>("a time HH:MM[:SS] or \"\" is required") {
        @Override
        public String parse(String field, String text) {
            return text.isBlank() ? "" : ScheduleSettings.time(field, text).toString();
        }

        @Override
        public String text(String value) {
            return value;
        }
    };

    /** Weekdays as the original API numbers them: 0 = Monday … 6 = Sunday. */
    SettingKind<Set<DayOfWeek>> WEEKDAYS = new SettingKind<>() {
        private static final String NEEDED = "a list of numbers 0 (Monday) … 6 (Sunday) is required.";

        @Override
        public Set<DayOfWeek> parse(String field, String text) {
            try {
                return ScheduleSettings.weekdays(text);
            } catch (IllegalArgumentException e) {
                throw Refusal.invalid("Field '" + field + "': each of 0 (Monday) … 6 (Sunday) at most once.");
            }
        }

        @Override
        public String text(Set<DayOfWeek> value) {
            return numbers(value).stream().map(String::valueOf).collect(Collectors.joining(","));
        }

        @Override
        public Object json(Set<DayOfWeek> value) {
            return numbers(value);
        }

        @Override
        public String fromJson(String field, Object json) {
            if (!(json instanceof List<?> list)) {
                throw Refusal.invalid("Field '" + field + "': " + NEEDED);
            }
            List<String> parts = new ArrayList<>();
            for (Object o : list) {
                if (!(o instanceof Integer)) {
                    throw Refusal.invalid("Field '" + field + "': " + NEEDED);
                }
                parts.add(o.toString());
            }
            return String.join(",", parts);
        }

        private static List<Integer> numbers(Set<DayOfWeek> days) {
            return days.stream().map(d -> d.getValue() - 1).sorted().toList();
        }
    };

    /** Per-day windows, e.g. "Tu-Fr 19:50-22:10; Sa 19:50-22:15"; "" for none. */
    SettingKind<WeekWindows> WINDOWS = new OfString<>("a text such as \"Tu-Fr 19:50-22:10; Sa 19:50-22:15\" "
            + "(or \"\" for one window on every weekday) is required") {
        @Override
        public WeekWindows parse(String field, String text) {
            if (text.length() > 1000) {
                throw Refusal.invalid("Field '" + field + "': at most 1000 characters.");
            }
            try {
                return WeekWindows.parse(text);
            } catch (IllegalArgumentException e) {
                throw Refusal.invalid("Field '" + field + "': " + e.getMessage() + ".");
            }
        }

        @Override
        public String text(WeekWindows value) {
            return value.toString();
        }
    };

    SettingKind<Integer> DAYS = new Whole(1, 3650, "a whole number of days from 1 to 3650 is required");

    SettingKind<Integer> PORT = new Whole(1, 65535, "a port number from 1 to 65535 is required");

    SettingKind<Boolean> BOOLEAN = new SettingKind<>() {
        @Override
        public Boolean parse(String field, String text) {
            return switch (text.trim()) {
                case "true" -> true;
                case "false" -> false;
                default -> throw Refusal.invalid("Field '" + field + "': true or false is required.");
            };
        }

        @Override
        public String text(Boolean value) {
            return value.toString();
        }

        @Override
        public Object json(Boolean value) {
            return value;
        }

        @Override
        public String fromJson(String field, Object json) {
            if (!(json instanceof Boolean b)) {
                throw Refusal.invalid("Field '" + field + "': true or false is required.");
            }
            return b.toString();
        }
    };

    SettingKind<String> HOST = new OfString<>("a host name or IP address is required") {
        @Override
        public String parse(String field, String text) {
            if (!text.matches("[A-Za-z0-9.:\\-\\[\\]]{1,253}")) {
                throw Refusal.invalid("Field '" + field + "': a host name or IP address is required.");
            }
            return text;
        }

        @Override
        public String text(String value) {
            return value;
        }
    };

    /** A password: set, never shown ({@link #json} says only whether one is set). */
    SettingKind<String> SECRET = new OfString<>("a text of at most 256 characters is required") {
        @Override
        public String parse(String field, String text) {
            if (text.length() > 256) {
                throw Refusal.invalid("Field '" + field + "': a text of at most 256 characters is required.");
            }
            return text;
        }

        @Override
        public String text(String value) {
            return value;
        }

        @Override
        public Object json(String value) {
            return !value.isEmpty();
        }
    };

    /** Where a calendar is read: an http(s) URL, a file (relative to the home), or "" for none. */
    SettingKind<String> LOCATION = new OfString<>("an http(s) URL, a file name or \"\" is required") {
        @Override
        public String parse(String field, String text) {
            String t = text.trim();
            if (t.length() > 2000 || t.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw Refusal.invalid("Field '" + field + "': an http(s) URL or a file name of at most 2000 characters is required.");
            }
            if (t.matches("(?i)[a-z][a-z0-9+.-]*://.*")) {
                try {
                    java.net.URI uri = new java.net.URI(t);
                    if (!uri.getScheme().matches("(?i)https?") || uri.getHost() == null) {
                        throw new java.net.URISyntaxException(t, "not http(s) with a host");
                    }
                } catch (java.net.URISyntaxException e) {
                    throw Refusal.invalid("Field '" + field + "': '" + t + "' is not an http(s) URL with a host.");
                }
            }
            return t;
        }

        @Override
        public String text(String value) {
            return value;
        }
    };

    /** A kind whose JSON is a string. */
    abstract class OfString<T> implements SettingKind<T> {
        private final String needed;

        OfString(String needed) {
            this.needed = needed;
        }

        @Override
        public String fromJson(String field, Object json) {
            if (!(json instanceof String s)) {
                throw Refusal.invalid("Field '" + field + "': " + needed + ".");
            }
            return s;
        }
    }

    /** A whole number in a range. */
    final class Whole implements SettingKind<Integer> {
        private final int min;
        private final int max;
        private final String needed;

        Whole(int min, int max, String needed) {
            this.min = min;
            this.max = max;
            this.needed = needed;
        }

        @Override
        public Integer parse(String field, String text) {
            try {
                int n = Integer.parseInt(text.trim());
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // refused below
            }
            throw Refusal.invalid("Field '" + field + "': " + needed + ".");
        }

        @Override
        public String text(Integer value) {
            return value.toString();
        }

        @Override
        public Object json(Integer value) {
            return value;
        }

        @Override
        public String fromJson(String field, Object json) {
            if (!(json instanceof Integer n)) {
                throw Refusal.invalid("Field '" + field + "': " + needed + ".");
            }
            return n.toString();
        }
    }
}
