package de.scheincam;

import java.util.List;

import de.scheincam.testing.ObsCorpus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The real-OBS corpus is what it claims: every file there, in its container, with its tracks (ObsCorpus checks the rest). */
class ObsCorpusIT {

    @Test
    void realObsRecordedEveryKindOfFile() {
        ObsCorpus corpus = ObsCorpus.get();
        assertThat(corpus.sources()).extracting(ObsCorpus.Source::id)
                .containsExactly("mkv-cbr", "mp4-crf", "mp4-frag", "mov-cbr", "mkv-crashed", "mkv-adv-2track");
        for (ObsCorpus.Source s : corpus.sources()) {
            System.out.println("CORPUS " + s);
            assertThat(s.path()).as(s.id()).exists();
            assertThat(s.end()).as(s.id()).isBetween(15.0, 25.0);
            assertThat(s.keyframes().size()).as(s.id()).isGreaterThanOrEqualTo(2);
        }
        assertThat(corpus.source("mkv-crashed").headerDuration()).isEqualTo("N/A");
        assertThat(corpus.source("mkv-adv-2track").tones().get(1)).isEqualTo(880);
        assertThat(corpus.manifestFile()).exists();
    }
}
