package de.scheincam.frames;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import de.scheincam.web.JsonBodies;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A filmstrip's description as a record writes what its map wrote, and descriptions kept on disk by
 * the map-building code are read back (the cache survives the change) and written unchanged.
 */
class FilmstripJsonTest {

    private static final String EXPECTED = "{\"filename\":\"25-01-24_19-50-00.mkv\",\"every_seconds\":60,\"tile_width\":160,"
            + "\"tile_height\":90,\"columns\":10,\"count\":3,\"times\":[\"19:50:00\",\"19:51:00\",\"19:52:00\"],"
            + "\"offsets\":[0,60,120],\"sprite_url\":\"/api/videos/25-01-24_19-50-00/filmstrip/sprite?every=60\"}";

    private final ObjectMapper json = JsonBodies.mapper();

    @Test
    void theDescriptionInTheMapsOrder() throws Exception {
        Filmstrips.Description d = new Filmstrips.Description("25-01-24_19-50-00.mkv", 60, 160, 90, 10, 3,
                List.of("19:50:00", "19:51:00", "19:52:00"), List.of(0L, 60L, 120L),
                "/api/videos/25-01-24_19-50-00/filmstrip/sprite?every=60");
        assertThat(json.writeValueAsString(d)).isEqualTo(EXPECTED);
    }

    @Test
    void aDescriptionKeptByTheOldCodeIsReadBack() throws Exception {
        // what Filmstrips wrote beside a sprite before: its map, put in this order
        Map<String, Object> old = new LinkedHashMap<>();
        old.put("filename", "25-01-24_19-50-00.mkv");
        old.put("every_seconds", 60);
        old.put("tile_width", 160);
        old.put("tile_height", 90);
        old.put("columns", 10);
        old.put("count", 3);
        old.put("times", List.of("19:50:00", "19:51:00", "19:52:00"));
        old.put("offsets", List.of(0L, 60L, 120L));
        old.put("sprite_url", "/api/videos/25-01-24_19-50-00/filmstrip/sprite?every=60");
        byte[] onDisk = json.writeValueAsBytes(old);
        assertThat(new String(onDisk, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(EXPECTED);
        Filmstrips.Description read = json.readValue(onDisk, Filmstrips.Description.class);
        assertThat(read.count()).isEqualTo(3);
        assertThat(json.writeValueAsString(read)).isEqualTo(EXPECTED);
    }
}
