package de.scheincam.sound;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.scheincam.core.Refusal;
import de.scheincam.testing.ActShow;
import de.scheincam.testing.GarbageMedia;
import de.scheincam.testing.Media;
import de.scheincam.testing.ObsCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The sound envelope against what Debian's ffmpeg (a tool we did not write) measures on the same file:
 * the length, the mean level (volumedetect) and every window's RMS level (astats reset per window), on
 * real OBS recordings of every kind (track 1 of the two-track one: the camera's noise, not the 880 Hz
 * of track 2) and on the generated show. And the read limit: a real head, then 20 GB of zeros, stops.
 */
class SoundReaderIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double WINDOW = 0.5;
    /** dB: AAC decoders (ours and Debian's) agree to far less; float sums over 24 000 samples do too. */
    private static final double LEVEL_TOLERANCE_DB = 0.1;

    @TempDir
    Path dir;

    @Test
    void envelopeOfRealObsRecordingsMatchesFfmpeg() {
        ObsCorpus corpus = ObsCorpus.get();
        for (ObsCorpus.Source s : corpus.sources()) {
            SoundEnvelope ours = compareWithFfmpeg(s.id(), s.path());
            if (s.audioTracks() > 1) {
                // the match above tells the tracks apart: track 2 (880 Hz) has other levels than ours
                List<Double> second = windowLevels(s.path(), "0:a:1", 24_000);
                double apart = 0;
                for (int w = 0; w < Math.min(ours.windows(), second.size()) - 1; w++) {
                    apart = Math.max(apart, Math.abs(ours.levelDb()[w] - second.get(w)));
                }
                assertThat(apart).as(s.id() + ": track 2 differs from what we read").isGreaterThan(1.0);
            }
        }
    }

    @Test
    void envelopeOfTheGeneratedShowMatchesFfmpeg() {
        compareWithFfmpeg("act-show", ActShow.file());
    }

    @Test
    void aRecordingWithoutSoundIsRefused() {
        Path silentFilm = dir.resolve("no-sound.mkv");
        Media.run(List.of(Media.FFMPEG.ffmpeg(), "-hide_banner", "-v", "error", "-y", "-f", "lavfi",
                "-i", "testsrc2=s=320x180:r=5:d=3", "-c:v", "libx264", "-preset", "ultrafast", silentFilm.toString()));
        assertThatThrownBy(() -> new SoundReader(WINDOW, Duration.ofSeconds(5)).envelope(silentFilm))
                .isInstanceOf(Refusal.class).hasMessageContaining("has no sound")
                .extracting(e -> ((Refusal) e).kind()).isEqualTo(Refusal.Kind.INVALID);
    }

    @Test
    void aRealHeadFollowedByZerosStopsAtTheReadLimit() {
        Path garbage = dir.resolve("garbage.mkv");
        GarbageMedia.realHead(ActShow.file(), 2 << 20, garbage, GarbageMedia.TWENTY_GB);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> new SoundReader(WINDOW, Duration.ofSeconds(2)).envelope(garbage))
                .isInstanceOf(Refusal.class).hasMessageContaining("is damaged")
                .extracting(e -> ((Refusal) e).kind()).isEqualTo(Refusal.Kind.DAMAGED);
        ActSuggestionsIT.figure("garbage (2 MB real, then 20 GB of zeros) refused after %.1f s (read limit 2 s)",
                (System.nanoTime() - t0) / 1e9);
    }

    @Test
    void aStretchInTheMiddleHasTheSameWindowsAsTheWhole() {
        Path show = ActShow.file();
        SoundReader reader = new SoundReader(WINDOW, Duration.ofSeconds(5));
        SoundEnvelope whole = reader.envelope(show, Duration.ZERO, Duration.ofSeconds(700));
        SoundEnvelope part = reader.envelope(show, Duration.ofSeconds(600), Duration.ofSeconds(630));
        assertThat(part.windows()).isEqualTo(60);
        // after a seek the samples are placed by Matroska's millisecond timestamps, not counted from the
        // start: a window's edge may move by up to half a millisecond, which moves the level of a window
        // with a steep change at its edge (the start of a laugh, a syllable) by up to tenths of a dB; most
        // windows stay the same (41 of 60 in one run on unseeded noise, 45 or more in others)
        int same = 0;
        for (int w = 0; w < part.windows(); w++) {
            float diff = Math.abs(part.levelDb()[w] - whole.levelDb()[1200 + w]);
            assertThat(diff).as("window %d", w).isLessThanOrEqualTo(0.5f);
            assertThat(part.crossings()[w]).as("window %d", w).isCloseTo(whole.crossings()[1200 + w], within(0.002f));
            same += diff <= 0.01f ? 1 : 0;
        }
        assertThat(same).as("windows within 0.01 dB").isGreaterThanOrEqualTo(30);
    }

    private SoundEnvelope compareWithFfmpeg(String id, Path file) {
        JsonNode audio = probeFirstAudio(file);
        double offset = audio.path("start_time").asDouble() - formatStart(file);
        int rate = audio.path("sample_rate").asInt();
        int channels = audio.path("channels").asInt();
        // windows counted from the first sample, as ffmpeg's chunks of the decoded sound are
        long t0 = System.nanoTime();
        SoundEnvelope ours = new SoundReader(WINDOW, Duration.ofSeconds(5))
                .envelope(file, Duration.ofNanos(Math.round(Math.max(0, offset) * 1e9)), null);
        double readSeconds = (System.nanoTime() - t0) / 1e9;

        String detected = Media.run(List.of(ObsCorpus.FFMPEG, "-hide_banner", "-nostats", "-i", file.toString(),
                "-map", "0:a:0", "-af", "volumedetect", "-f", "null", "-"));
        double meanVolume = number(detected, "mean_volume: (-?[0-9.]+) dB");
        double samples = number(detected, "n_samples: ([0-9]+)") / channels;
        List<Double> theirs = windowLevels(file, "0:a:0", (int) Math.round(rate * WINDOW));

        ActSuggestionsIT.figure("%s: %d windows (ffmpeg %d), %.2f s (ffmpeg %.2f s), mean %.2f dBFS (volumedetect %.2f), read in %.2f s",
                id, ours.windows(), theirs.size(), ours.seconds(), samples / rate, ours.meanLevelDb(), meanVolume, readSeconds);
        assertThat(ours.seconds()).as(id + " length").isCloseTo(samples / rate, within(WINDOW));
        assertThat(ours.meanLevelDb()).as(id + " mean level").isCloseTo(meanVolume, within(0.2));
        int compared = Math.min(ours.windows(), theirs.size()) - 1; // the last window of either may be partial
        assertThat(compared).as(id).isGreaterThanOrEqualTo(theirs.size() - 2);
        double worst = 0;
        for (int w = 0; w < compared; w++) {
            double diff = Math.abs(ours.levelDb()[w] - theirs.get(w));
            if (theirs.get(w) > -100) { // ffmpeg says -inf for digital silence, we say -120
                worst = Math.max(worst, diff);
                assertThat(diff).as("%s window %d: ours %.2f, ffmpeg %.2f", id, w, ours.levelDb()[w], theirs.get(w))
                        .isLessThanOrEqualTo(LEVEL_TOLERANCE_DB);
            }
        }
        ActSuggestionsIT.figure("%s: largest difference of a window's level from ffmpeg's astats %.3f dB", id, worst);
        return ours;
    }

    /** RMS level of each chunk of {@code chunk} samples of a track, as ffmpeg's astats measures it. */
    private List<Double> windowLevels(Path file, String track, int chunk) {
        Path out = dir.resolve("levels-" + Math.abs(file.hashCode()) + "-" + track.replace(':', '-') + ".txt");
        Media.run(List.of(ObsCorpus.FFMPEG, "-hide_banner", "-nostats", "-v", "error", "-i", file.toString(),
                "-map", track, "-af", "asetnsamples=n=" + chunk + ":p=0,astats=metadata=1:reset=1,"
                        + "ametadata=mode=print:key=lavfi.astats.Overall.RMS_level:file=" + out,
                "-f", "null", "-"));
        List<Double> levels = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(out)) {
                if (line.startsWith("lavfi.astats.Overall.RMS_level=")) {
                    String v = line.substring(line.indexOf('=') + 1).trim();
                    levels.add(v.contains("inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(v));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return levels;
    }

    private static JsonNode probeFirstAudio(Path file) {
        try {
            JsonNode j = JSON.readTree(Media.run(List.of(ObsCorpus.FFPROBE, "-v", "error", "-select_streams", "a:0",
                    "-show_entries", "stream=start_time,sample_rate,channels", "-of", "json", file.toString())));
            return j.path("streams").get(0);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static double formatStart(Path file) {
        try {
            JsonNode j = JSON.readTree(Media.run(List.of(ObsCorpus.FFPROBE, "-v", "error",
                    "-show_entries", "format=start_time", "-of", "json", file.toString())));
            return j.path("format").path("start_time").asDouble();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("ffmpeg printed %s in:%n%s", regex, text).isTrue();
        return Double.parseDouble(m.group(1));
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
