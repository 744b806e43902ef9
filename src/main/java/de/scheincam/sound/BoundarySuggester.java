package de.scheincam.sound;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds where acts change in an evening's {@link SoundEnvelope}: between two acts the room either falls
 * quiet (a pause: near silence for a while) or applauds (broadband noise: loud, with a high zero-crossing
 * rate, for a while), or both in turn. A break is such cues close together; the next act starts where
 * the break ends. Short quiet passages and short loud bursts inside an act (a dramatic pause, a laugh, a
 * cymbal) are shorter than the minimum lengths and stay inside the act.
 */
public final class BoundarySuggester {

    private final SuggestSettings settings;

    public BoundarySuggester(SuggestSettings settings) {
        this.settings = settings;
    }

    /** One stretch of quiet or applause, in windows [from, to). */
    private record Cue(int from, int to, boolean applause) {
    }

    public List<SuggestedBoundary> boundaries(SoundEnvelope e) {
        double median = medianLevel(e);
        if (Double.isNaN(median)) {
            return List.of();
        }
        int n = e.windows();
        boolean[] quiet = new boolean[n];
        boolean[] applause = new boolean[n];
        for (int w = 0; w < n; w++) {
            if (!e.known(w)) {
                continue;
            }
            float level = e.levelDb()[w];
            quiet[w] = level < median - settings.pauseBelowMedianDb();
            applause[w] = !quiet[w] && level >= median - settings.applauseBelowMedianDb()
                    && e.crossings()[w] >= settings.applauseCrossings();
        }
        List<Cue> cues = new ArrayList<>();
        cues.addAll(runs(quiet, false, settings.pauseMinSeconds()));
        cues.addAll(runs(applause, true, settings.applauseMinSeconds()));
        cues.sort((a, b) -> Integer.compare(a.from(), b.from()));
        List<SuggestedBoundary> found = new ArrayList<>();
        int merge = windows(settings.mergeSeconds());
        int i = 0;
        while (i < cues.size()) {
            int end = cues.get(i).to();
            double pause = 0;
            double clapping = 0;
            int j = i;
            while (j < cues.size() && cues.get(j).from() <= end + merge) {
                Cue c = cues.get(j);
                end = Math.max(end, c.to());
                double seconds = (c.to() - c.from()) * e.windowSeconds();
                if (c.applause()) {
                    clapping += seconds;
                } else {
                    pause += seconds;
                }
                j++;
            }
            end = extend(end, quiet, applause);
            if (heardAfter(e, end) >= windows(Math.max(settings.pauseMinSeconds(), settings.applauseMinSeconds()))) {
                double confidence = 1 - (1 - score(pause, settings.pauseMinSeconds()))
                        * (1 - score(clapping, settings.applauseMinSeconds()));
                if (confidence >= settings.minConfidence()) {
                    found.add(new SuggestedBoundary(end * e.windowSeconds(), confidence, pause, clapping));
                }
            }
            i = j;
        }
        return apart(found);
    }

    /**
     * The end of a break moved over quiet or applause right after it that is too short to count alone
     * (the last seconds of quiet after applause): the next act starts after them.
     */
    private int extend(int end, boolean[] quiet, boolean[] applause) {
        int bridge = windows(settings.bridgeSeconds());
        int w = end;
        int last = end;
        while (w < quiet.length && w - last <= bridge) {
            if (quiet[w] || applause[w]) {
                last = w + 1;
            }
            w++;
        }
        return last;
    }

    /**
     * Windows of sound heard after a break: an act must follow it for at least as long as the longer of
     * the minimum pause and applause, else the break ends the evening (or the stretch asked about).
     */
    private static int heardAfter(SoundEnvelope e, int end) {
        int heard = 0;
        for (int w = end; w < e.windows(); w++) {
            if (e.known(w)) {
                heard++;
            }
        }
        return heard;
    }

    /**
     * A cue's certainty: one at the minimum length is as likely a boundary as not (0.5), one twice as
     * long 0.9, never 1.
     */
    private static double score(double seconds, double minSeconds) {
        if (seconds < minSeconds) {
            return 0;
        }
        return Math.min(0.9, 0.5 + 0.4 * (seconds - minSeconds) / minSeconds);
    }

    /** Of boundaries closer than the shortest act, the more certain one (the earlier one on a tie). */
    private List<SuggestedBoundary> apart(List<SuggestedBoundary> found) {
        List<SuggestedBoundary> kept = new ArrayList<>();
        for (SuggestedBoundary b : found) {
            SuggestedBoundary last = kept.isEmpty() ? null : kept.get(kept.size() - 1);
            if (last != null && b.seconds() - last.seconds() < settings.minActSeconds()) {
                if (b.confidence() > last.confidence()) {
                    kept.set(kept.size() - 1, b);
                }
            } else {
                kept.add(b);
            }
        }
        return List.copyOf(kept);
    }

    /** Runs of marked windows at least {@code minSeconds} long; gaps up to the bridge do not end a run. */
    private List<Cue> runs(boolean[] marked, boolean applause, double minSeconds) {
        List<Cue> out = new ArrayList<>();
        int bridge = windows(settings.bridgeSeconds());
        int min = windows(minSeconds);
        int w = 0;
        while (w < marked.length) {
            if (!marked[w]) {
                w++;
                continue;
            }
            int start = w;
            int last = w;
            int k = w + 1;
            while (k < marked.length && k - last - 1 <= bridge) {
                if (marked[k]) {
                    last = k;
                }
                k++;
            }
            if (last + 1 - start >= min) {
                out.add(new Cue(start, last + 1, applause));
            }
            w = last + 1;
        }
        return out;
    }

    private int windows(double seconds) {
        return (int) Math.round(seconds / settings.windowSeconds());
    }

    /** The median level of the windows with sound (digital silence, e.g. before OBS's audio starts, left out). */
    static double medianLevel(SoundEnvelope e) {
        float[] levels = new float[e.windows()];
        int n = 0;
        for (float l : e.levelDb()) {
            if (!Float.isNaN(l) && l > SoundEnvelope.DIGITAL_SILENCE_DB) {
                levels[n++] = l;
            }
        }
        if (n == 0) {
            return Double.NaN;
        }
        Arrays.sort(levels, 0, n);
        return levels[n / 2];
    }
}
