package de.scheincam.library;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import de.scheincam.web.JsonBodies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/videos} as a record writes what its map wrote (the empty one: run once before the change). */
class ListingJsonTest {

    private final ObjectMapper json = JsonBodies.mapper();
    @TempDir
    Path dir;

    @Test
    void videosThenTotal() throws Exception {
        RecordingLibrary library = new RecordingLibrary(dir, ZoneId.of("Europe/Berlin"), Duration.ofSeconds(5),
                Clock.systemUTC(), new MetadataStore(dir, json));
        assertThat(json.writeValueAsString(library.listing())).isEqualTo("{\"videos\":[],\"total\":0}");
        Recording one = json.readValue("{\"filename\":\"25-01-24_19-50-00.mkv\",\"name\":\"25-01-24_19-50-00\","
                + "\"start_time\":\"2025-01-24T19:50:00\",\"size\":12}", Recording.class);
        String recording = json.writeValueAsString(one);
        assertThat(json.writeValueAsString(library.listing(List.of(one))))
                .isEqualTo("{\"videos\":[" + recording + "],\"total\":1}");
    }
}
