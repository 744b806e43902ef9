package de.scheincam.watchdog;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The watchdog's latest look at the show: its state, the problems found, how many checks in a row had
 * one (only while recording) and when it looked (absent before the first check).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Verdict(State state, List<String> problems,
                      // spelt out: the naming strategy would write "failures_in_arow"
                      @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("failures_in_a_row") Integer failuresInARow,
                      @JsonInclude(JsonInclude.Include.NON_NULL) Instant checkedAt) {

    /** Not recording (nothing to judge), all well, a problem, a problem for K checks in a row. */
    public enum State {
        IDLE, OK, WARNING, FAILING;

        /** As the API, the events and the metrics' tag write it. */
        @JsonValue
        public String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Verdict {
        problems = List.copyOf(problems);
    }

    /** Before the first check. */
    static final Verdict NONE_YET = new Verdict(State.IDLE, List.of(), null, null);

    static Verdict idle(Instant checkedAt) {
        return new Verdict(State.IDLE, List.of(), null, checkedAt);
    }
}
