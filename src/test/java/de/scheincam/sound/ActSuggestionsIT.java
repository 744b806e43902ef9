package de.scheincam.sound;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import de.scheincam.testing.ActShow;
import de.scheincam.testing.TestApp;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Act suggestions on a generated evening with known act changes ({@link ActShow}), with the settings the
 * app ships (application.properties): every true change found within ±10 s, at most one false one per
 * hour. Prints FIGURE lines: the errors, the false ones per hour, and how fast the sound is read.
 */
class ActSuggestionsIT {

    static final double TOLERANCE_SECONDS = 10;

    @Test
    void suggestsTheActChangesOfAGeneratedShow() throws IOException {
        Path show = ActShow.file();
        SuggestSettings settings = shipped();
        SoundReader reader = new SoundReader(settings.windowSeconds(), Duration.ofSeconds(5));

        long t0 = System.nanoTime();
        SoundEnvelope envelope = reader.envelope(show);
        double readSeconds = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        List<SuggestedBoundary> found = new BoundarySuggester(settings).boundaries(envelope);
        double suggestSeconds = (System.nanoTime() - t1) / 1e9;

        describePieces(envelope);
        found.forEach(b -> System.out.println("SUGGESTED " + b));
        assertThat(envelope.seconds()).isCloseTo(ActShow.seconds(), org.assertj.core.data.Offset.offset(1.0));

        List<Double> truth = ActShow.boundaries();
        List<SuggestedBoundary> unmatched = new ArrayList<>(found);
        List<Double> errors = new ArrayList<>();
        for (double t : truth) {
            SuggestedBoundary nearest = unmatched.stream()
                    .min((a, b) -> Double.compare(Math.abs(a.seconds() - t), Math.abs(b.seconds() - t))).orElse(null);
            assertThat(nearest).as("a suggestion near the act change at %.1f s", t).isNotNull();
            assertThat(Math.abs(nearest.seconds() - t)).as("error at the act change at %.1f s (suggested %s)", t, nearest)
                    .isLessThanOrEqualTo(TOLERANCE_SECONDS);
            errors.add(Math.abs(nearest.seconds() - t));
            unmatched.remove(nearest);
        }
        double hours = ActShow.seconds() / 3600;
        double falsePerHour = unmatched.size() / hours;
        double mean = errors.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double max = errors.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        figure("act changes %d, found %d, mean error %.2f s, max error %.2f s", truth.size(), errors.size(), mean, max);
        figure("false suggestions %d in %.1f min: %.2f per hour %s", unmatched.size(), ActShow.seconds() / 60,
                falsePerHour, unmatched);
        figure("sound read in %.2f s for %.1f min of show (%.0f × real time), suggestions in %.1f ms",
                readSeconds, ActShow.seconds() / 60, ActShow.seconds() / readSeconds, suggestSeconds * 1000);
        assertThat(falsePerHour).as("false suggestions per hour: %s", unmatched).isLessThanOrEqualTo(1.0);
    }

    /** The bean the shows call: the same show split into two recordings with a hole, in wall-clock time. */
    @Test
    void suggestsAcrossRecordingsInWallClockTime() {
        Path show = ActShow.file();
        ActSuggestions suggestions = new ActSuggestions(shipped(), Duration.ofSeconds(5), 4, 1, 60_000);
        Instant start = Instant.parse("2026-12-04T19:00:00Z");
        List<ActBoundary> found = suggestions.suggest(List.of(new SoundSource(show, start)), start.minusSeconds(60),
                start.plusSeconds((long) ActShow.seconds() + 60));
        List<Double> truth = ActShow.boundaries();
        assertThat(found).hasSizeGreaterThanOrEqualTo(truth.size());
        for (double t : truth) {
            Instant at = start.plusMillis(Math.round(t * 1000));
            assertThat(found).as("a suggestion within 10 s of %s", at)
                    .anyMatch(b -> Math.abs(Duration.between(at, b.at()).toMillis()) <= TOLERANCE_SECONDS * 1000);
        }
        // read once: the second call answers from memory, the same
        assertThat(suggestions.envelope(show)).isSameAs(suggestions.envelope(show));
        // only the stretch asked for: the first two changes
        List<ActBoundary> part = suggestions.suggest(List.of(new SoundSource(show, start)), start,
                start.plusSeconds(420));
        assertThat(part).hasSize(2);
        assertThat(Duration.between(start.plusSeconds(161), part.get(0).at()).abs()).isLessThanOrEqualTo(Duration.ofSeconds(10));
    }

    /**
     * The app binds the bean with its scheincam.suggest.* settings: with pauses counted from 2 s the
     * quiet passage inside the second act (3 s, at 262-265 s) becomes a suggestion too.
     */
    @Test
    void theAppBindsTheBeanWithItsSettings() {
        Path show = ActShow.file();
        Instant start = Instant.parse("2026-12-04T19:00:00Z");
        Instant end = start.plusSeconds((long) ActShow.seconds());
        try (TestApp app = TestApp.start(java.util.Map.of("scheincam.suggest.pause-min-seconds", "2"))) {
            ActSuggestions bean = app.camel().getRegistry().lookupByNameAndType("actSuggestions", ActSuggestions.class);
            assertThat(bean).isNotNull();
            List<ActBoundary> found = bean.suggest(List.of(new SoundSource(show, start)), start, end);
            assertThat(found).anyMatch(b -> Math.abs(Duration.between(start.plusSeconds(265), b.at()).toMillis()) <= 1000);
        }
        ActSuggestions shipped = new ActSuggestions(shipped(), Duration.ofSeconds(5), 4, 1, 60_000);
        assertThat(shipped.suggest(List.of(new SoundSource(show, start)), start, end))
                .noneMatch(b -> Math.abs(Duration.between(start.plusSeconds(265), b.at()).toMillis()) <= 10_000);
    }

    private static void describePieces(SoundEnvelope e) {
        double t = 0;
        for (ActShow.Piece p : ActShow.pieces()) {
            int from = (int) Math.ceil(t / e.windowSeconds()) + 1;
            int to = (int) Math.floor((t + p.seconds()) / e.windowSeconds()) - 1;
            double level = e.slice(from, to).meanLevelDb();
            double minZ = 1;
            double maxZ = 0;
            float minL = 0;
            for (int w = from; w < to; w++) {
                minZ = Math.min(minZ, e.crossings()[w]);
                maxZ = Math.max(maxZ, e.crossings()[w]);
                minL = Math.min(minL, e.levelDb()[w]);
            }
            System.out.printf(Locale.ROOT, "PIECE %-8s at %7.1f s, %6.1f s: level %.1f dB (min %.1f), crossings %.3f … %.3f%n",
                    p.kind(), t, p.seconds(), level, minL, minZ, maxZ);
            t += p.seconds();
        }
        System.out.printf(Locale.ROOT, "MEDIAN %.1f dB%n", BoundarySuggester.medianLevel(e));
    }

    static void figure(String format, Object... args) {
        System.out.println("FIGURE " + String.format(Locale.ROOT, format, args));
    }

    /** The settings as the app ships them. */
    static SuggestSettings shipped() {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("application.properties"))) {
            p.load(in);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        java.util.function.ToDoubleFunction<String> d = k -> Double.parseDouble(p.getProperty("scheincam.suggest." + k).trim());
        return new SuggestSettings(d.applyAsDouble("window-seconds"), d.applyAsDouble("pause-below-median-db"),
                d.applyAsDouble("pause-min-seconds"), d.applyAsDouble("applause-crossings"),
                d.applyAsDouble("applause-below-median-db"), d.applyAsDouble("applause-min-seconds"),
                d.applyAsDouble("bridge-seconds"), d.applyAsDouble("merge-seconds"), d.applyAsDouble("min-act-seconds"),
                d.applyAsDouble("min-confidence"));
    }
}
