package de.scheincam.cleanup;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import de.scheincam.web.JsonBodies;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a cleanup run removed, in the map's order: recordings, exports, logs. */
class RetentionJsonTest {

    private final ObjectMapper json = JsonBodies.mapper();

    @Test
    void recordingsExportsLogs() throws Exception {
        assertThat(json.writeValueAsString(new Retention.Removed(List.of("25-01-01_19-50-00.mkv"), List.of("a1b2"), List.of())))
                .isEqualTo("{\"recordings\":[\"25-01-01_19-50-00.mkv\"],\"exports\":[\"a1b2\"],\"logs\":[]}");
    }
}
