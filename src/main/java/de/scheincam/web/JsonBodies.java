package de.scheincam.web;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one reading of a request body, before the contract's validator or any route sees it: UTF-8 and
 * nothing else (Jackson's own decoder takes an overlong "\xC0\xAF" for '/'), one JSON value with
 * nothing after it, no key twice in an object (the validator and the routes would otherwise each pick
 * their own of the two: {"password":"wrong","password":"right"}), and an object at the top. Refusals
 * are 400 for what is not JSON, 422 for JSON of the wrong shape.
 */
public final class JsonBodies {

    private final ObjectMapper strict;

    public JsonBodies(ObjectMapper json) {
        this.strict = strict(json);
    }

    /**
     * The app's one ObjectMapper (bound as {@code json}; the routes' Jackson data format discovers it):
     * java.time as ISO text, and strict wherever JSON is read — nothing after the value ({"…"} x), no key
     * twice (the login's password). Every answer the API writes goes through it.
     */
    public static ObjectMapper mapper() {
        return strict(new ObjectMapper().registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
                .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS));
    }

    /** {@code json} with the strict reading switched on (a copy: {@code json} itself is unchanged). */
    public static ObjectMapper strict(ObjectMapper json) {
        ObjectMapper copy = json.copy()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        copy.getFactory().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
        return copy;
    }

    /** The body as text, once it has been read as one JSON object; throws ApiProblem (400, 422) otherwise. */
    public String object(byte[] body) {
        String text = utf8(body);
        JsonNode node;
        try {
            node = strict.readTree(text);
        } catch (JsonProcessingException e) {
            throw ApiProblem.badRequest("The request body is not valid JSON: " + shorten(e.getOriginalMessage()) + ".");
        }
        if (node != null && !node.isMissingNode() && !node.isObject()) {
            String type = node.getNodeType().name().toLowerCase(Locale.ROOT);
            throw ApiProblem.unprocessable("The request body must be a JSON object, not " + (type.equals("array") ? "an " : "a ")
                    + type + ".");
        }
        return text;
    }

    private static String utf8(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        try {
            return decoder.decode(in).toString();
        } catch (CharacterCodingException e) {
            throw ApiProblem.badRequest("The request body is not valid UTF-8 (at byte " + in.position() + ").");
        }
    }

    private static String shorten(String message) {
        String m = message == null ? "malformed" : message.replaceAll("\\s+", " ");
        int source = m.indexOf(" at [Source");
        m = source > 0 ? m.substring(0, source) : m;
        return m.length() > 200 ? m.substring(0, 200) + "…" : m;
    }
}
