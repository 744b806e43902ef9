package de.scheincam.shows;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import de.scheincam.core.Refusal;
import de.scheincam.sound.ActBoundary;
import de.scheincam.sound.ActSuggestions;
import de.scheincam.sound.SoundSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acts suggested from the sound for the finished shows nobody set acts for: the boundaries ActSuggestions
 * hears over the show's recordings cut the show into acts named "1", "2", … (neutral labels: the operator
 * names them when confirming or moving them with {@code PUT /api/shows/{id}/acts}), source
 * {@code suggested}, the first from the show's start, the last to its end. Called by a timer
 * (routes/shows.camel.yaml), one show per call, so reading an evening's sound (seconds) never happens in
 * an HTTP request and the library's lock is not held while it is read. A show whose sound cannot be read
 * is marked and logged once, never tried again.
 */
public class SuggestedActs {

    private static final Logger LOG = LoggerFactory.getLogger(SuggestedActs.class);

    private final Shows shows;
    private final ActSuggestions suggestions;
    private final ZoneId zone;

    public SuggestedActs(Shows shows, ActSuggestions suggestions, ZoneId zone) {
        this.shows = shows;
        this.suggestions = suggestions;
        this.zone = zone;
    }

    /** Suggests the acts of the oldest finished show awaiting them; the show's id, or null when none awaits. */
    public String suggestNext() {
        List<Shows.Unsuggested> waiting = shows.awaitingSuggestions();
        if (waiting.isEmpty()) {
            return null;
        }
        Shows.Unsuggested next = waiting.get(0);
        Show show = next.show();
        List<SoundSource> sources = new ArrayList<>();
        for (Shows.Unsuggested.Source s : next.sources()) {
            sources.add(new SoundSource(s.file(), s.start().atZone(zone).toInstant()));
        }
        List<ActBoundary> boundaries;
        try {
            boundaries = suggestions.suggest(sources, show.startTime().atZone(zone).toInstant(),
                    show.endTime().atZone(zone).toInstant());
        } catch (Refusal e) {
            if (e.kind() == Refusal.Kind.BUSY) {
                return null; // other sound is being read: the next call tries again
            }
            LOG.warn("No acts suggested for show {}: its sound cannot be read ({}); not tried again", show.id(), e.getMessage());
            shows.suggestionRefused(show);
            return show.id();
        }
        List<Show.Act> acts = acts(show, boundaries);
        if (shows.suggestActs(show, acts)) {
            LOG.info("Suggested {} acts for show {} from its sound", acts.size(), show.id());
        }
        return show.id();
    }

    /** [start, b1), [b1, b2), … [bn, end], to the second; boundaries outside the show are left out. */
    List<Show.Act> acts(Show show, List<ActBoundary> boundaries) {
        List<Show.Act> acts = new ArrayList<>();
        LocalDateTime from = show.startTime();
        for (ActBoundary b : boundaries) {
            LocalDateTime at = LocalDateTime.ofInstant(b.at().plusMillis(500), zone).withNano(0);
            if (at.isAfter(from) && at.isBefore(show.endTime())) {
                acts.add(new Show.Act(String.valueOf(acts.size() + 1), from, at, "suggested"));
                from = at;
            }
        }
        acts.add(new Show.Act(String.valueOf(acts.size() + 1), from, show.endTime(), "suggested"));
        return acts;
    }
}
