package de.scheincam.shows;

import java.util.ArrayList;
import java.util.List;

import de.scheincam.clips.ShowParts;

/**
 * A show's parts as frames and clips by show read them: each recording in order, with why nothing was
 * recorded before it (the show's gap that ends where it begins), in the words a job's note uses.
 */
public class ShowClipParts implements ShowParts {

    private final Shows shows;

    public ShowClipParts(Shows shows) {
        this.shows = shows;
    }

    @Override
    public List<Part> parts(String id) {
        Show show = shows.find(id);
        List<Part> parts = new ArrayList<>();
        for (Show.Part p : show.parts()) {
            String reason = null;
            for (Show.Gap g : show.gaps()) {
                if (g.endTime() != null && g.endTime().equals(p.startTime())) {
                    reason = words(g.reason());
                }
            }
            parts.add(new Part(p.filename(), p.startTime(), p.endTime(), reason));
        }
        return parts;
    }

    /** "obs-lost" → "OBS lost", "app-restarted" → "app restarted", "stopped-by-hand" → "stopped by hand". */
    static String words(String reason) {
        return reason == null ? null : reason.replace('-', ' ').replaceFirst("^obs\\b", "OBS");
    }
}
