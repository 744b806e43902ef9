package de.scheincam.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;

/**
 * Camel's contract-first REST hands the routes each path parameter as it stood in the URL, still
 * percent-encoded: {@code /api/videos/25-01-24_19-50-00%20(2)} arrived as {@code …%20(2)} and was refused,
 * though it names the file OBS writes when it splits a recording or finds the name taken. Decoded here
 * once, for every API route (routes/errors.camel.yaml), strictly: a broken escape or bytes that are not
 * UTF-8 are the client's mistake (400). {@code +} stays a plus, as in any path. The parameters are the
 * contract's own ({@code {name}} in its paths), so a new endpoint's are decoded without a list to keep.
 */
public final class PathParameters {

    private static final String DECODED = "scheincam.pathDecoded";
    private static final Set<String> NAMES = namesInContract();

    private PathParameters() {
    }

    public static void decode(Exchange exchange) {
        if (exchange.getProperty(DECODED) != null) {
            return; // a route the API route calls shares its exchange: decoded once
        }
        exchange.setProperty(DECODED, true);
        for (String name : NAMES) {
            if (exchange.getMessage().getHeader(name) instanceof String value && value.indexOf('%') >= 0) {
                exchange.getMessage().setHeader(name, decode(name, value));
            }
        }
    }

    static Set<String> names() {
        return NAMES;
    }

    static String decode(String name, String value) {
        ByteBuffer bytes = ByteBuffer.allocate(value.length() * 3);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%') {
                if (i + 2 >= value.length() || Character.digit(value.charAt(i + 1), 16) < 0 || Character.digit(value.charAt(i + 2), 16) < 0) {
                    throw new ApiProblem(400, "Path parameter '" + name + "' has a broken %-escape at position " + (i + 1) + ".");
                }
                bytes.put((byte) Integer.parseInt(value.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        bytes.flip();
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new ApiProblem(400, "Path parameter '" + name + "' is not UTF-8 once decoded.");
        }
    }

    private static Set<String> namesInContract() {
        try (InputStream in = PathParameters.class.getResourceAsStream("/openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("openapi.yaml is not on the classpath");
            }
            String contract = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Set<String> names = new TreeSet<>();
            // the paths' keys: "  /videos/{filename}/keep:"
            Matcher path = Pattern.compile("(?m)^  (/\\S*\\{\\S+):\\s*$").matcher(contract);
            while (path.find()) {
                Matcher param = Pattern.compile("\\{([^}/]+)}").matcher(path.group(1));
                while (param.find()) {
                    names.add(param.group(1));
                }
            }
            return Set.copyOf(names);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
