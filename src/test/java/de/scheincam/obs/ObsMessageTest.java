package de.scheincam.obs;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.scheincam.web.JsonBodies;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The messages to OBS as records write what the ObjectNodes built before wrote (built here as they were). */
class ObsMessageTest {

    private final ObjectMapper json = JsonBodies.mapper();

    @Test
    void identifyWithAndWithoutAuthentication() throws Exception {
        ObjectNode old = json.createObjectNode().put("op", 1);
        ObjectNode d = old.putObject("d").put("rpcVersion", 1).put("eventSubscriptions", 0x7FF);
        assertThat(json.writeValueAsString(ObsMessage.identify(0x7FF, null))).isEqualTo(json.writeValueAsString(old))
                .isEqualTo("{\"op\":1,\"d\":{\"rpcVersion\":1,\"eventSubscriptions\":2047}}");
        d.put("authentication", "abc=");
        assertThat(json.writeValueAsString(ObsMessage.identify(0x7FF, "abc="))).isEqualTo(json.writeValueAsString(old));
    }

    @Test
    void reidentify() throws Exception {
        ObjectNode old = json.createObjectNode().put("op", 3);
        old.putObject("d").put("eventSubscriptions", 0x7FF | 1 << 16);
        assertThat(json.writeValueAsString(ObsMessage.reidentify(0x7FF | 1 << 16))).isEqualTo(json.writeValueAsString(old));
    }

    @Test
    void aRequestWithAndWithoutData() throws Exception {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("sourceName", "Program");
        data.put("imageWidth", 160);
        for (Map<String, ?> requestData : java.util.List.of(Map.<String, Object>of(), data)) {
            ObjectNode old = json.createObjectNode().put("op", 6);
            old.putObject("d").put("requestType", "GetSourceScreenshot").put("requestId", "7")
                    .set("requestData", json.valueToTree(requestData));
            assertThat(json.writeValueAsString(ObsMessage.request("GetSourceScreenshot", "7", requestData)))
                    .isEqualTo(json.writeValueAsString(old));
        }
        assertThat(json.writeValueAsString(ObsMessage.request("GetRecordStatus", "1", Map.of())))
                .isEqualTo("{\"op\":6,\"d\":{\"requestType\":\"GetRecordStatus\",\"requestId\":\"1\",\"requestData\":{}}}");
    }
}
