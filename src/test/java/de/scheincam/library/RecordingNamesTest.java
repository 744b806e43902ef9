package de.scheincam.library;

import java.time.LocalDateTime;

import de.scheincam.core.Refusal;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordingNamesTest {

    @Test
    void obsNamesGiveTheirStartIncludingTheDuplicateSuffix() {
        assertThat(RecordingNames.startFromName("25-01-24_19-50-00")).hasValue(LocalDateTime.parse("2025-01-24T19:50:00"));
        assertThat(RecordingNames.startFromName("25-01-24_19-50-00 (2)")).hasValue(LocalDateTime.parse("2025-01-24T19:50:00"));
        assertThat(RecordingNames.startFromName("show")).isEmpty();
        assertThat(RecordingNames.startFromName("25-13-40_19-50-00")).isEmpty();
    }

    @Test
    void baseNamesDropOnlyRecordingExtensions() {
        assertThat(RecordingNames.requireBaseName("25-01-24_19-50-00.mkv")).isEqualTo("25-01-24_19-50-00");
        assertThat(RecordingNames.requireBaseName("25-01-24_19-50-00 (2).MP4")).isEqualTo("25-01-24_19-50-00 (2)");
        assertThat(RecordingNames.requireBaseName("25-01-24_19-50-00")).isEqualTo("25-01-24_19-50-00");
        assertThat(RecordingNames.container("a.json")).isEmpty();
    }

    @Test
    void anythingButAPlainNameIsRefused() {
        for (String bad : new String[] {"../x", "a/b", "/etc/passwd", ".hidden", "a\\b", "a..b", "x\u0000y", "", " ", "ü"}) {
            assertThatThrownBy(() -> RecordingNames.requireBaseName(bad)).as(bad).isInstanceOf(Refusal.class)
                    .extracting(e -> ((Refusal) e).kind()).isEqualTo(Refusal.Kind.MALFORMED);
        }
    }
}
