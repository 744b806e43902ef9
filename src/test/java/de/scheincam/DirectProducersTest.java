package de.scheincam;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code direct:} endpoint a route consumes has a producer one grep finds: a step in routes/
 * ({@code to}, {@code toD}, …), the contract-first REST block (an operationId in openapi.yaml is served
 * by {@code direct:<operationId>}), or a named constant in the Java (de.scheincam.FlowInlets), which the
 * consuming route names in a comment.
 */
class DirectProducersTest {

    private static final Pattern CONSUMED = Pattern.compile("from:\\s*\\n\\s*uri:\\s*\"?(direct:[A-Za-z0-9_-]+)");

    private static String all(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(suffix)).sorted().map(f -> {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).collect(Collectors.joining("\n"));
        }
    }

    @Test
    void everyConsumedDirectEndpointHasAProducerToGrepFor() throws IOException {
        String routes = all(Path.of("routes"), ".camel.yaml");
        String java = all(Path.of("src/main/java"), ".java");
        String contract = Files.readString(Path.of("src/main/resources/openapi.yaml"));
        List<String> consumed = new ArrayList<>();
        Matcher m = CONSUMED.matcher(routes);
        while (m.find()) {
            consumed.add(m.group(1));
        }
        assertThat(consumed).as("the routes consume direct endpoints").contains("direct:obs-events", "direct:alert", "direct:events");
        List<String> orphans = new ArrayList<>();
        for (String endpoint : consumed) {
            String name = endpoint.substring("direct:".length());
            boolean fromRoutes = Pattern.compile("uri:\\s*\"?" + Pattern.quote(endpoint) + "\\b(?!-)").matcher(routes).results().count() > 1;
            boolean fromContract = Pattern.compile("operationId:\\s*" + Pattern.quote(name) + "\\s*$", Pattern.MULTILINE).matcher(contract).find();
            boolean fromJava = java.contains("\"" + endpoint + "\"");
            if (!fromRoutes && !fromContract && !fromJava) {
                orphans.add(endpoint);
            }
        }
        assertThat(orphans).as("direct endpoints without a producer one grep finds").isEmpty();
    }
}
