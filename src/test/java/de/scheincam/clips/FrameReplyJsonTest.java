package de.scheincam.clips;

import com.fasterxml.jackson.databind.ObjectMapper;
import de.scheincam.web.JsonBodies;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /api/videos/frame}'s answer as a record, in the map's order. */
class FrameReplyJsonTest {

    @Test
    void successImageTimestampFilenameSize() throws Exception {
        ObjectMapper json = JsonBodies.mapper();
        assertThat(json.writeValueAsString(new FrameGrabber.FrameReply(true, "data:image/jpeg;base64,/9j/", "20:31:00",
                "25-01-24_19-50-00.mkv", 640, 360))).isEqualTo("{\"success\":true,\"image\":\"data:image/jpeg;base64,/9j/\","
                + "\"timestamp\":\"20:31:00\",\"filename\":\"25-01-24_19-50-00.mkv\",\"width\":640,\"height\":360}");
    }
}
