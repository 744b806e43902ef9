package de.scheincam.shows;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import de.scheincam.core.Refusal;
import de.scheincam.library.Recording;
import de.scheincam.library.RecordingLibrary;
import de.scheincam.schedule.ShowWindow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shows: the library's recordings grouped into evenings (ShowGrouping), each kept as a JSON in
 * {@code videos/shows/}. {@link #refresh} keeps them true as recordings appear, grow, finish or are
 * deleted (the library calls it as a recording is probed or removed, a timer and every read call it too;
 * it does nothing while the library is unchanged). Guarded by the library's own lock, the one lock both
 * take, so neither can wait for the other. At start it
 * repairs: recordings without a show (a library from before shows, files written while the app was
 * down) are grouped by the rule, show files whose recordings are gone are removed. Thread-safe.
 */
public class Shows {

    private static final Logger LOG = LoggerFactory.getLogger(Shows.class);
    private static final Comparator<Recording> OLDEST_FIRST =
            Comparator.comparing(Recording::startTime).thenComparing(Recording::name);
    private static final DateTimeFormatter TITLE = DateTimeFormatter.ofPattern("EEEE, dd.MM.yyyy · HH:mm", Locale.GERMAN);
    /** A break shorter than this between two parts (a file split) is no gap anyone would notice. */
    private static final double LEAST_GAP_SECONDS = 1.0;

    private final RecordingLibrary library;
    private final ShowGrouping grouping;
    private final ShowStore store;
    private final Clock clock;
    private final ZoneId zone;
    /** At most this many acts in a lineup, each name at most this long. */
    private static final int MAX_ACTS = 100;
    private static final int MAX_NAME = 200;

    private List<Recording> source;
    /** The shows by id, newest first. */
    private volatile Map<String, Show> shows = Map.of();
    private volatile Map<String, List<Recording>> partsById = Map.of();
    /** What is on disk, by id (acts are kept here, not derived from the recordings). */
    private final Map<String, Show> written;
    /** Whether acts were suggested from the sound, by id (kept in the show's file; absent: not yet). */
    private final Map<String, String> suggestion = new HashMap<>();

    /** Acts were suggested from the sound (source {@code suggested}). */
    public static final String SUGGESTION_MADE = "made";
    /** The sound could not be read: not tried again. */
    public static final String SUGGESTION_REFUSED = "refused";
    /** The operator set the acts (PUT, next): never suggested, even when the lineup is emptied. */
    public static final String SUGGESTION_NOT_WANTED = "operator";

    public Shows(RecordingLibrary library, ShowGrouping grouping, ShowStore store, Clock clock, ZoneId zone) {
        this.library = library;
        this.grouping = grouping;
        this.store = store;
        this.clock = clock;
        this.zone = zone;
        this.written = new HashMap<>();
        store.readKept().forEach((id, kept) -> {
            written.put(id, kept.show());
            if (kept.suggestion() != null) {
                suggestion.put(id, kept.suggestion());
            }
        });
        refresh();
    }

    /** Brings the shows up to the library's state; cheap when nothing changed. */
    public void refresh() {
        synchronized (library) {
            refreshLocked();
        }
    }

    private void refreshLocked() {
        List<Recording> now = library.list();
        if (now == source) {
            return;
        }
        if (library.placeUnplaced()) {
            now = library.list();
        }
        Map<String, List<Recording>> groups = new HashMap<>();
        for (Recording r : now) {
            if (r.showId() != null) { // else placed once its end is known
                groups.computeIfAbsent(r.showId(), k -> new ArrayList<>()).add(r);
            }
        }
        List<Show> built = new ArrayList<>();
        Map<String, List<Recording>> parts = new HashMap<>();
        for (Map.Entry<String, List<Recording>> group : groups.entrySet()) {
            List<Recording> ordered = new ArrayList<>(group.getValue());
            ordered.sort(OLDEST_FIRST);
            parts.put(group.getKey(), List.copyOf(ordered));
            built.add(build(group.getKey(), ordered));
        }
        built.sort(Comparator.comparing(Show::startTime).thenComparing(Show::id).reversed());
        Map<String, Show> byId = new LinkedHashMap<>();
        for (Show show : built) {
            byId.put(show.id(), show);
            Show before = written.get(show.id());
            if (before == null || !before.structure().equals(show.structure())) {
                store.write(show, suggestion.get(show.id()));
                written.put(show.id(), show);
            }
        }
        for (String gone : new ArrayList<>(written.keySet())) {
            if (!byId.containsKey(gone)) {
                store.delete(gone);
                written.remove(gone);
                suggestion.remove(gone);
                LOG.info("Show {} has no recordings any more: removed", gone);
            }
        }
        shows = byId;
        partsById = parts;
        source = now;
    }

    private Show build(String id, List<Recording> ordered) {
        List<Show.Part> parts = new ArrayList<>();
        List<Show.Gap> gaps = new ArrayList<>();
        double recorded = 0;
        boolean inProgress = false;
        Recording previous = null;
        for (Recording r : ordered) {
            LocalDateTime end = library.endOf(r);
            parts.add(new Show.Part(r.filename(), r.startTime(), r.inProgress() ? null : end));
            recorded += r.duration() != null ? r.duration() : Duration.between(r.startTime(), end).toMillis() / 1000.0;
            inProgress |= r.inProgress();
            if (previous != null) {
                double seconds = Duration.between(r.startTime(), preciseEnd(previous)).toMillis() / -1000.0;
                if (seconds >= LEAST_GAP_SECONDS) {
                    gaps.add(new Show.Gap(library.endOf(previous), r.startTime(), Math.round(seconds * 10) / 10.0, r.gapReason()));
                }
            }
            previous = r;
        }
        Recording first = ordered.get(0);
        LocalDateTime end = inProgress ? null : library.endOf(previous);
        Show kept = written.get(id);
        List<Show.Act> acts = kept == null || kept.acts() == null ? List.of() : kept.acts();
        if (kept != null && SUGGESTION_MADE.equals(suggestion.get(id)) && !kept.parts().equals(parts)) {
            // suggested for other recordings (the show went on after them): suggested anew once it is finished
            acts = List.of();
            suggestion.remove(id);
        }
        return new Show(id, title(first.startTime()), first.startTime(), end, Math.round(recorded * 10) / 10.0, inProgress,
                List.copyOf(parts), List.copyOf(gaps), acts);
    }

    /** Its end to the millisecond where its length is known (the gap's seconds), else as well as known. */
    private LocalDateTime preciseEnd(Recording r) {
        return r.duration() != null ? r.startTime().plusNanos(Math.round(r.duration() * 1_000_000_000L)) : library.endOf(r);
    }

    /** The programme calendar's name for the show, else its day and time ("Freitag, 04.12.2026 · 19:50"). */
    private String title(LocalDateTime start) {
        ShowWindow window = grouping.windowAt(start);
        return window != null && window.title() != null ? window.title() : TITLE.format(start);
    }

    /** {@code GET /api/shows}: newest first. */
    public ShowListing listing() {
        refresh();
        List<Show> all = List.copyOf(shows.values());
        return new ShowListing(all, all.size());
    }

    /** {@code GET /api/shows/{id}}. */
    public Show find(String id) {
        requireWellFormed(id);
        refresh();
        Show show = shows.get(id);
        if (show == null) {
            throw Refusal.notFound("No show with the id '" + id + "'.");
        }
        return show;
    }

    /**
     * The recordings of show {@code id}, oldest first (what a clip or frame by show reads from); refused as
     * {@link #find} refuses.
     */
    public List<Recording> parts(String id) {
        find(id);
        return partsById.getOrDefault(id, List.of());
    }

    private static void requireWellFormed(String id) {
        if (!ShowGrouping.wellFormed(id)) {
            throw Refusal.malformed("'" + (id == null ? "" : id.length() > 40 ? id.substring(0, 40) + "…" : id)
                    + "' is not a show id (like 2026-12-04_19-50).");
        }
    }

    // --- acts ---------------------------------------------------------------------------------------

    /**
     * {@code PUT /api/shows/{id}/acts}: the lineup, in order, replaces the show's acts (source
     * {@code planned}); kept in the show's file. Refused whole, and nothing changed, when an act has no
     * name or ends before it starts.
     */
    public Show setActs(String id, Lineup lineup) {
        synchronized (library) {
            return setActsLocked(id, lineup);
        }
    }

    private Show setActsLocked(String id, Lineup lineup) {
        Show show = find(id);
        if (lineup == null || lineup.acts() == null) {
            throw Refusal.invalid("A JSON body with 'acts' (the lineup, in order) is required.");
        }
        if (lineup.acts().size() > MAX_ACTS) {
            throw Refusal.invalid("Field 'acts': at most " + MAX_ACTS + " acts.");
        }
        List<Show.Act> acts = new ArrayList<>();
        for (int i = 0; i < lineup.acts().size(); i++) {
            Lineup.Entry e = lineup.acts().get(i);
            if (e == null || e.name() == null || e.name().isBlank() || e.name().length() > MAX_NAME) {
                throw Refusal.invalid("Field 'acts[" + i + "].name': a name of 1 to " + MAX_NAME + " characters is required.");
            }
            if (e.startTime() != null && e.endTime() != null && !e.endTime().isAfter(e.startTime())) {
                throw Refusal.invalid("Field 'acts[" + i + "].end_time': must be after its start_time.");
            }
            acts.add(new Show.Act(e.name().strip(), e.startTime(), e.endTime(), "planned"));
        }
        suggestion.put(id, SUGGESTION_NOT_WANTED);
        return withActs(show, acts);
    }

    /**
     * {@code POST /api/shows/current/acts/next}, the operator's one tap: "the next act starts now". The act
     * running (started, not ended) ends now, the one after it in the lineup starts now (both source
     * {@code marked}). Refused when no show is being recorded or the lineup has no act left.
     */
    public Show nextAct() {
        synchronized (library) {
            return nextActLocked();
        }
    }

    private Show nextActLocked() {
        refreshLocked();
        Show show = shows.values().stream().filter(Show::inProgress).findFirst()
                .orElseThrow(() -> Refusal.conflict("No show is being recorded now."));
        LocalDateTime now = LocalDateTime.now(clock.withZone(zone)).withNano(0);
        List<Show.Act> acts = new ArrayList<>(show.acts());
        int running = -1;
        for (int i = 0; i < acts.size(); i++) {
            if (acts.get(i).startTime() != null && acts.get(i).endTime() == null) {
                running = i;
            }
        }
        int next = running + 1;
        if (running < 0) {
            next = 0;
            while (next < acts.size() && acts.get(next).endTime() != null) {
                next++;
            }
        }
        if (running < 0 && next >= acts.size()) {
            throw Refusal.conflict("The lineup of show " + show.id() + " has no act left to start; set it with PUT /api/shows/"
                    + show.id() + "/acts.");
        }
        if (running >= 0) {
            Show.Act r = acts.get(running);
            acts.set(running, new Show.Act(r.name(), r.startTime(), now, "marked"));
        }
        if (next < acts.size()) {
            Show.Act n = acts.get(next);
            acts.set(next, new Show.Act(n.name(), now, null, "marked"));
        }
        suggestion.put(show.id(), SUGGESTION_NOT_WANTED);
        return withActs(show, acts);
    }

    /**
     * The name of the act {@link #nextAct} just started in {@code show} (the one running: started, not
     * ended), or null when the tap ended the last act; what becomes the recording's chapter.
     */
    public String startedAct(Show show) {
        String name = null;
        for (Show.Act act : show.acts()) {
            if (act.startTime() != null && act.endTime() == null) {
                name = act.name();
            }
        }
        return name;
    }

    private Show withActs(Show show, List<Show.Act> acts) {
        Show changed = new Show(show.id(), show.title(), show.startTime(), show.endTime(), show.recordedSeconds(),
                show.inProgress(), show.parts(), show.gaps(), List.copyOf(acts));
        store.write(changed, suggestion.get(changed.id())); // on disk first: a failed write changes nothing
        written.put(changed.id(), changed);
        Map<String, Show> updated = new LinkedHashMap<>(shows);
        updated.put(changed.id(), changed);
        shows = updated;
        return changed;
    }

    // --- suggested acts -------------------------------------------------------------------------------

    /**
     * The finished shows nobody set acts for and no acts were suggested for yet, oldest first, with their
     * recordings' files (what ActProposals reads the sound of). Read under the lock, read from outside it.
     */
    public List<Unsuggested> awaitingSuggestions() {
        synchronized (library) {
            refreshLocked();
            List<Unsuggested> out = new ArrayList<>();
            for (Show show : shows.values()) {
                if (!show.inProgress() && show.endTime() != null && show.acts().isEmpty() && !suggestion.containsKey(show.id())) {
                    List<Unsuggested.Source> sources = new ArrayList<>();
                    for (Recording r : partsById.getOrDefault(show.id(), List.of())) {
                        sources.add(new Unsuggested.Source(library.fileOf(r), r.startTime()));
                    }
                    out.add(0, new Unsuggested(show, List.copyOf(sources)));
                }
            }
            return out;
        }
    }

    /** A show awaiting suggestions and the files of its parts with their wall-clock starts. */
    public record Unsuggested(Show show, List<Source> sources) {
        public record Source(java.nio.file.Path file, LocalDateTime start) {
        }
    }

    /**
     * Keeps {@code acts} (source {@code suggested}) for the show {@code asked} was, unless it changed since
     * (new parts, acts set by the operator meanwhile): then nothing is kept and false is answered.
     */
    public boolean suggestActs(Show asked, List<Show.Act> acts) {
        synchronized (library) {
            refreshLocked();
            Show show = shows.get(asked.id());
            if (show == null || show.inProgress() || !show.parts().equals(asked.parts()) || !show.acts().isEmpty()
                    || suggestion.containsKey(show.id())) {
                return false;
            }
            suggestion.put(show.id(), SUGGESTION_MADE);
            withActs(show, acts);
            return true;
        }
    }

    /** The show's sound could not be read: marked, so it is not tried again (its acts stay empty). */
    public void suggestionRefused(Show asked) {
        synchronized (library) {
            Show show = shows.get(asked.id());
            if (show != null && !suggestion.containsKey(show.id())) {
                suggestion.put(show.id(), SUGGESTION_REFUSED);
                withActs(show, show.acts());
            }
        }
    }
}
