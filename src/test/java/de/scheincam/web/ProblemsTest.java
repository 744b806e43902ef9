package de.scheincam.web;

import java.util.EnumMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import de.scheincam.core.Refusal.Kind;
import de.scheincam.core.Refusal;
import de.scheincam.obs.ObsRequestFailed;
import de.scheincam.obs.ObsUnavailable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The one table from the domain's kinds of refusal to HTTP, and the sentences clients read. */
class ProblemsTest {

    private final Problems problems = new Problems(new ObjectMapper());

    @Test
    void everyKindOfRefusalHasTheStatusClientsGetToday() {
        Map<Kind, Integer> expected = new EnumMap<>(Kind.class);
        expected.put(Kind.MALFORMED, 400);
        expected.put(Kind.NOT_FOUND, 404);
        expected.put(Kind.CONFLICT, 409);
        expected.put(Kind.INVALID, 422);
        expected.put(Kind.DAMAGED, 422);
        expected.put(Kind.TOO_MANY, 429);
        expected.put(Kind.FAILED, 500);
        expected.put(Kind.REFUSED_BY_OBS, 502);
        expected.put(Kind.BUSY, 503);
        expected.put(Kind.UNAVAILABLE, 503);
        expected.put(Kind.DISK_FULL, 507);
        assertThat(expected).hasSize(Kind.values().length);
        expected.forEach((kind, status) -> assertThat(problems.status(new Refusal(kind, "x"))).as(kind.name()).isEqualTo(status));
    }

    @Test
    void aRefusalIsAnsweredWithItsSentence() {
        assertThat(problems.body(Refusal.notFound("No recording named 'x'.")))
                .isEqualTo("{\"detail\":\"No recording named 'x'.\"}");
        assertThat(problems.body(new ObsUnavailable("not connected")))
                .isEqualTo("{\"detail\":\"OBS is not available: not connected\"}");
        assertThat(problems.status(new ObsUnavailable("not connected"))).isEqualTo(503);
        ObsRequestFailed refused = new ObsRequestFailed("StartRecord", 500, "output running");
        assertThat(problems.status(refused)).isEqualTo(502);
        assertThat(problems.body(refused)).isEqualTo("{\"detail\":\"OBS refused StartRecord (code 500: output running)\"}");
    }

    @Test
    void theWebAdaptersOwnRefusalsAndEverythingElse() {
        assertThat(problems.status(new ApiProblem(415, "x"))).isEqualTo(415);
        assertThat(problems.status(new IllegalStateException("secret"))).isEqualTo(500);
        assertThat(problems.body(new IllegalStateException("secret"))).doesNotContain("secret");
    }
}
