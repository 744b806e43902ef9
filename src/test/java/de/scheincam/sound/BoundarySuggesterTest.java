package de.scheincam.sound;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The suggester on envelopes built window by window: what is a break between acts and what stays inside an act. */
class BoundarySuggesterTest {

    private static final SuggestSettings SETTINGS = new SuggestSettings(0.5, 25, 4, 0.2, 10, 4, 1, 5, 60, 0.5);
    private final BoundarySuggester suggester = new BoundarySuggester(SETTINGS);

    /** A stretch of the envelope: seconds at one level and zero-crossing rate. */
    private record Part(double seconds, float level, float crossings) {
    }

    private static Part act(double seconds) {
        return new Part(seconds, -22, 0.03f);
    }

    private static Part quiet(double seconds) {
        return new Part(seconds, -65, 0.05f);
    }

    private static Part applause(double seconds) {
        return new Part(seconds, -18, 0.4f);
    }

    private static Part hole(double seconds) {
        return new Part(seconds, Float.NaN, Float.NaN);
    }

    private static SoundEnvelope envelope(Part... parts) {
        List<Float> l = new ArrayList<>();
        List<Float> c = new ArrayList<>();
        for (Part p : parts) {
            for (int i = 0; i < Math.round(p.seconds() / 0.5); i++) {
                l.add(p.level());
                c.add(p.crossings());
            }
        }
        float[] level = new float[l.size()];
        float[] crossings = new float[c.size()];
        for (int i = 0; i < level.length; i++) {
            level[i] = l.get(i);
            crossings[i] = c.get(i);
        }
        return new SoundEnvelope(0.5, level, crossings);
    }

    private List<Double> times(SoundEnvelope e) {
        return suggester.boundaries(e).stream().map(SuggestedBoundary::seconds).toList();
    }

    @Test
    void theNextActStartsWhereAPauseEnds() {
        List<SuggestedBoundary> found = suggester.boundaries(envelope(act(100), quiet(6), act(100)));
        assertThat(found).extracting(SuggestedBoundary::seconds).containsExactly(106.0);
        assertThat(found.get(0).pauseSeconds()).isEqualTo(6.0);
        assertThat(found.get(0).applauseSeconds()).isZero();
        assertThat(found.get(0).confidence()).isBetween(0.5, 0.9);
    }

    @Test
    void applauseFollowedByShortQuietIsOneBreakThatEndsAfterTheQuiet() {
        List<SuggestedBoundary> found = suggester.boundaries(envelope(act(100), applause(8), quiet(2), act(100)));
        assertThat(found).extracting(SuggestedBoundary::seconds).containsExactly(110.0);
        assertThat(found.get(0).applauseSeconds()).isEqualTo(8.0);
    }

    @Test
    void applauseAndPauseTogetherAreMoreCertainThanEitherAlone() {
        double both = suggester.boundaries(envelope(act(100), applause(5), quiet(5), act(100))).get(0).confidence();
        double applauseAlone = suggester.boundaries(envelope(act(100), applause(5), act(100))).get(0).confidence();
        double pauseAlone = suggester.boundaries(envelope(act(100), quiet(5), act(100))).get(0).confidence();
        assertThat(both).isGreaterThan(applauseAlone).isGreaterThan(pauseAlone);
    }

    @Test
    void shortQuietAndShortLoudNoiseStayInsideTheAct() {
        assertThat(times(envelope(act(100), quiet(3), act(50), applause(3), act(100)))).isEmpty();
    }

    @Test
    void aBreakThatEndsTheEveningSuggestsNothing() {
        assertThat(times(envelope(act(100), applause(10), act(1)))).isEmpty();
    }

    @Test
    void ofTwoBreaksCloserThanTheShortestActTheMoreCertainOneIsKept() {
        assertThat(times(envelope(act(100), quiet(4), act(30), applause(6), quiet(4), act(100)))).containsExactly(144.0);
    }

    @Test
    void aHoleInTheSoundIsNoPause() {
        assertThat(times(envelope(act(100), hole(30), act(100)))).isEmpty();
    }

    @Test
    void levelsAreRelativeToTheEveningsMedian() {
        // the same evening 20 dB quieter (a lower microphone gain): the same boundary
        SoundEnvelope loud = envelope(act(100), quiet(6), act(100));
        float[] quieter = loud.levelDb().clone();
        for (int i = 0; i < quieter.length; i++) {
            quieter[i] -= 20;
        }
        assertThat(times(new SoundEnvelope(0.5, quieter, loud.crossings()))).containsExactly(106.0);
    }

    @Test
    void silenceThroughoutSuggestsNothing() {
        assertThat(times(envelope(hole(100)))).isEmpty();
    }

    @Test
    void settingsShorterThanAWindowAreRefused() {
        assertThatThrownBy(() -> new SuggestSettings(0.5, 25, 0.2, 0.2, 10, 4, 1, 5, 60, 0.5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
