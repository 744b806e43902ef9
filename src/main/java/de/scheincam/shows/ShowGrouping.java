package de.scheincam.shows;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import de.scheincam.library.Recording;
import de.scheincam.library.ShowPlacement;
import de.scheincam.schedule.ShowWindow;
import de.scheincam.schedule.WeeklySchedule;

/**
 * The rule that makes recordings one show. Two recordings, one after the other, are the same show when
 * they both overlap the same schedule window (however long OBS was away in between), and, where at
 * least one of them lies outside every window, when the break between them is shorter than the
 * maximum gap (a sound check, a manual restart). Recordings in two different windows are two shows.
 * <p>
 * A show's id is its first part's start, {@code yyyy-MM-dd_HH-mm} (URL-safe), with {@code -2}, {@code -3}…
 * in the rare case that two shows start in the same minute. It is given when a part is recorded and kept
 * in the part's metadata, so it stays the same whatever the schedule says later.
 */
public class ShowGrouping implements ShowPlacement {

    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyy-MM-dd_HH-mm");
    /** What a show id looks like; anything else cannot name a show. */
    static final Pattern ID_PATTERN = Pattern.compile("\\d{4}-\\d{2}-\\d{2}_\\d{2}-\\d{2}(-\\d{1,4})?");

    private final Duration maxGap;
    private final ZoneId zone;
    private final Supplier<WeeklySchedule> schedule;
    private final Function<Recording, LocalDateTime> endOf;

    /**
     * {@code schedule}: the windows as they are now; {@code endOf}: where a recording ends as far as is
     * known (RecordingLibrary.endOf: for one not probed yet, when its file last changed).
     */
    public ShowGrouping(Duration maxGap, ZoneId zone, Supplier<WeeklySchedule> schedule, Function<Recording, LocalDateTime> endOf) {
        this.maxGap = maxGap;
        this.zone = zone;
        this.schedule = schedule;
        this.endOf = endOf;
    }

    /** Whether {@code later} (starting after {@code earlier} did) belongs to {@code earlier}'s show. */
    public boolean together(Recording earlier, Recording later) {
        LocalDateTime earlierEnd = endOf.apply(earlier);
        List<ShowWindow> first = windows(earlier.startTime(), earlierEnd);
        List<ShowWindow> second = windows(later.startTime(), endOf.apply(later));
        for (ShowWindow w : first) {
            if (second.stream().anyMatch(o -> o.start().toInstant().equals(w.start().toInstant()))) {
                return true;
            }
        }
        if (!first.isEmpty() && !second.isEmpty()) {
            return false;
        }
        return Duration.between(earlierEnd, later.startTime()).compareTo(maxGap) < 0;
    }

    /** The windows a recording from {@code start} to {@code end} overlaps (one that has just begun: its first second). */
    private List<ShowWindow> windows(LocalDateTime start, LocalDateTime end) {
        LocalDateTime until = end.isAfter(start) ? end : start.plusSeconds(1);
        return schedule.get().windows(start.atZone(zone).toInstant(), until.atZone(zone).toInstant());
    }

    /** The window a show starting at {@code start} lies in, if any (for its title). */
    ShowWindow windowAt(LocalDateTime start) {
        List<ShowWindow> w = windows(start, start);
        return w.isEmpty() ? null : w.get(0);
    }

    /** A new show's id: its start's minute, unless another show has that already. */
    public static String newId(LocalDateTime start, Set<String> taken) {
        String id = ID.format(start);
        for (int n = 2; taken.contains(id); n++) {
            id = ID.format(start) + "-" + n;
        }
        return id;
    }

    /** Whether {@code id} has the form of a show id. */
    public static boolean wellFormed(String id) {
        return id != null && ID_PATTERN.matcher(id).matches();
    }

    /**
     * A new recording's show: that of the recording just before it when the rule joins them (then
     * {@code endReason} is why there is a gap), else a new show starting with it.
     */
    @Override
    public Recording place(Recording fresh, List<Recording> others, String endReason) {
        Recording before = null;
        Set<String> taken = new HashSet<>();
        for (Recording r : others) {
            if (r.showId() != null) {
                taken.add(r.showId());
            }
            if (before == null && !r.name().equals(fresh.name()) && !r.startTime().isAfter(fresh.startTime())) {
                before = r;
            }
        }
        if (before != null && before.showId() != null && together(before, fresh)) {
            return fresh.inShow(before.showId(), endReason);
        }
        return fresh.inShow(newId(fresh.startTime(), taken), null);
    }

    @Override
    public Map<String, String> placeAll(List<Recording> all, Predicate<Recording> endUnknown) {
        if (all.stream().allMatch(r -> r.showId() != null)) {
            return Map.of();
        }
        List<Recording> ordered = new ArrayList<>(all);
        ordered.sort(Comparator.comparing(Recording::startTime).thenComparing(Recording::name));
        Set<String> taken = new HashSet<>();
        for (Recording r : ordered) {
            if (r.showId() != null) {
                taken.add(r.showId());
            }
        }
        Map<String, String> placed = new LinkedHashMap<>();
        Recording before = null;
        String beforeId = null;
        for (Recording r : ordered) {
            String id = r.showId();
            if (id == null && endUnknown.test(r)) {
                break; // its end decides about the ones after it: they wait for its probe
            }
            if (id == null) {
                id = before != null && together(before, r) ? beforeId : newId(r.startTime(), taken);
                taken.add(id);
                placed.put(r.name(), id);
            }
            before = r;
            beforeId = id;
        }
        return placed;
    }
}
