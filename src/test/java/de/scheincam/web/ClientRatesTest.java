package de.scheincam.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientRatesTest {

    /** A clock the test moves. */
    private static final class Hands extends Clock {
        Instant now = Instant.parse("2025-01-24T19:50:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final Hands clock = new Hands();

    private ClientRates rates(String trustedProxies) {
        return new ClientRates(List.of(new ClientRates.Rate("frames", 3, 60), new ClientRates.Rate("exports", 2, 6),
                new ClientRates.Rate("downloads", 5, 0)), new ClientAddress(trustedProxies), clock);
    }

    @Test
    void theExpensiveCallsAreKnownByMethodAndPath() {
        ClientRates rates = new ClientRates(List.of(new ClientRates.Rate("frames", 1, 1), new ClientRates.Rate("filmstrips", 1, 1),
                new ClientRates.Rate("exports", 1, 1), new ClientRates.Rate("downloads", 1, 1)), new ClientAddress(""), clock);
        assertThat(rates.kindOf("POST", "/api/videos/frame")).isEqualTo("frames");
        assertThat(rates.kindOf("GET", "/api/videos/25-01-24_19-50-00/filmstrip")).isEqualTo("filmstrips");
        assertThat(rates.kindOf("GET", "/api/videos/25-01-24_19-50-00/filmstrip/sprite")).isEqualTo("filmstrips");
        assertThat(rates.kindOf("POST", "/api/videos/export")).isEqualTo("exports");
        assertThat(rates.kindOf("GET", "/api/videos/25-01-24_19-50-00/download")).isEqualTo("downloads");
        assertThat(rates.kindOf("HEAD", "/api/exports/abc/download")).isEqualTo("downloads");
        assertThat(rates.kindOf("GET", "/api/ping")).isNull();
        assertThat(rates.kindOf("GET", "/api/videos")).isNull();
        assertThat(rates.kindOf("GET", "/api/recordings/preview")).as("one shared screenshot: as cheap as a ping").isNull();
        assertThat(rates.kindOf("GET", "/api/exports/abc")).as("an export's progress").isNull();
    }

    @Test
    void aClientGetsItsBurstThenOneTokenAtTheRefillRateAndIsToldWhen() {
        ClientRates rates = rates("");
        for (int i = 0; i < 3; i++) {
            assertThat(rates.refusal("frames", "10.0.0.5", null)).isNull();
        }
        ApiProblem refused = rates.refusal("frames", "10.0.0.5", null);
        assertThat(refused.getStatus()).isEqualTo(429);
        assertThat(refused.getRetryAfter()).isEqualTo(1); // 60 a minute: the next in a second
        assertThat(refused.getMessage()).isEqualTo("Too many frames asked for by 10.0.0.5: at most 60 a minute (3 at once);"
                + " try again in 1 s.");
        assertThat(rates.refusal("frames", "10.0.0.6", null)).as("another client").isNull();
        assertThat(rates.refusal("exports", "10.0.0.5", null)).as("another kind").isNull();

        clock.now = clock.now.plusSeconds(1);
        assertThat(rates.refusal("frames", "10.0.0.5", null)).isNull();
        assertThat(rates.refusal("frames", "10.0.0.5", null)).isNotNull();

        assertThat(rates.refusal("exports", "10.0.0.5", null)).isNull();
        // 6 a minute is one every 10 s; a tenth of one has come back in the second that passed
        assertThat(rates.refusal("exports", "10.0.0.5", null).getRetryAfter()).isEqualTo(9);
        clock.now = clock.now.plusMillis(8_500);
        assertThat(rates.refusal("exports", "10.0.0.5", null).getRetryAfter()).as("rounded up").isEqualTo(1);
    }

    @Test
    void aClientHoldsAtMostItsSlotsAtOnceAndGetsThemBackWhenAnswered() {
        ClientRates rates = new ClientRates(List.of(new ClientRates.Rate("frames", 100, 6000, 2)), new ClientAddress(""), clock);
        ClientRates.Admission first = rates.admit("frames", "10.0.0.5", null);
        ClientRates.Admission second = rates.admit("frames", "10.0.0.5", null);
        assertThat(first.refusal()).isNull();
        assertThat(second.refusal()).isNull();
        ClientRates.Admission third = rates.admit("frames", "10.0.0.5", null);
        assertThat(third.refusal().getStatus()).isEqualTo(429);
        assertThat(third.refusal().getRetryAfter()).isEqualTo(1);
        assertThat(third.refusal().getMessage()).isEqualTo("Too many frames at once for 10.0.0.5: at most 2 are made for one"
                + " client at a time; ask again once one is answered.");
        assertThat(rates.admit("frames", "10.0.0.6", null).refusal()).as("another client").isNull();
        assertThat(rates.running("frames", "10.0.0.5")).isEqualTo(2);

        first.release().run();
        first.release().run(); // an answer and a closed connection both end it: one slot back, not two
        assertThat(rates.running("frames", "10.0.0.5")).isEqualTo(1);
        ClientRates.Admission again = rates.admit("frames", "10.0.0.5", null);
        assertThat(again.refusal()).isNull();
        assertThat(rates.admit("frames", "10.0.0.5", null).refusal()).isNotNull();
        second.release().run();
        again.release().run();
        assertThat(rates.running("frames", "10.0.0.5")).as("the client is forgotten when idle").isZero();
    }

    @Test
    void aCallRefusedByTheRateGivesItsSlotBack() {
        ClientRates rates = new ClientRates(List.of(new ClientRates.Rate("frames", 1, 1, 3)), new ClientAddress(""), clock);
        assertThat(rates.admit("frames", "10.0.0.5", null).refusal()).isNull();
        ClientRates.Admission refused = rates.admit("frames", "10.0.0.5", null);
        assertThat(refused.refusal().getMessage()).startsWith("Too many frames asked for by 10.0.0.5");
        assertThat(rates.running("frames", "10.0.0.5")).as("only the admitted one holds a slot").isEqualTo(1);
    }

    @Test
    void zeroPerMinuteIsNoLimit() {
        ClientRates rates = rates("");
        assertThat(rates.kindOf("GET", "/api/videos/x/download")).isNull();
        for (int i = 0; i < 100; i++) {
            assertThat(rates.refusal("downloads", "10.0.0.5", null)).isNull();
        }
        assertThat(rates.tracked("downloads")).isZero();
    }

    @Test
    void clientsAreWhoTrustedProxiesSayAndNoOneElse() {
        ClientRates behindProxy = rates("127.0.0.1");
        for (int i = 0; i < 3; i++) {
            assertThat(behindProxy.refusal("frames", "127.0.0.1", "10.0.0.5")).isNull();
        }
        assertThat(behindProxy.refusal("frames", "127.0.0.1", "10.0.0.5")).isNotNull();
        assertThat(behindProxy.refusal("frames", "127.0.0.1", "10.0.0.6")).as("another phone behind the proxy").isNull();

        ClientRates direct = rates("");
        for (int i = 0; i < 3; i++) {
            assertThat(direct.refusal("frames", "10.0.0.9", "10.0.0." + i)).isNull();
        }
        assertThat(direct.refusal("frames", "10.0.0.9", "10.0.0.77")).as("a header anyone can write changes nothing").isNotNull();
    }

    @Test
    void quietClientsAreForgotten() {
        ClientRates rates = rates("");
        for (int i = 0; i < 500; i++) {
            rates.refusal("frames", "10.0." + (i / 250) + "." + (i % 250), null);
        }
        assertThat(rates.tracked("frames")).isEqualTo(500);
        clock.now = clock.now.plus(Duration.ofMinutes(2));
        rates.refusal("frames", "10.9.9.9", null);
        assertThat(rates.tracked("frames")).as("only the newcomer").isEqualTo(1);
    }

    @Test
    void aBusyCrowdBeyondTheCapSharesOneBucket() {
        ClientRates rates = rates("");
        for (int i = 0; i < 10_000; i++) {
            assertThat(rates.refusal("frames", "10." + (i / 65536) + "." + (i / 256 % 256) + "." + (i % 256), null)).isNull();
        }
        for (int i = 0; i < 3; i++) {
            assertThat(rates.refusal("frames", "11.0.0." + i, null)).isNull();
        }
        assertThat(rates.refusal("frames", "11.0.0.99", null)).as("the crowd's bucket is empty").isNotNull();
        assertThat(rates.tracked("frames")).isEqualTo(10_001);
    }

    @Test
    void nonsenseRatesAreRefusedAtStart() {
        assertThatThrownBy(() -> new ClientRates.Rate("frames", 0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientRates.Rate("frames", 5, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientRates.Rate("teleports", 5, 5)).isInstanceOf(IllegalArgumentException.class);
    }
}
