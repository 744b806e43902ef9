package de.scheincam.web;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void plainSecretMatchesOnlyItself() {
        Secret s = Secret.of(" open-sesame ");
        assertThat(s.matches(b("open-sesame"))).isTrue();
        assertThat(s.matches(b("open-sesam"))).isFalse();
        assertThat(Secret.of("  ")).isNull();
    }

    @Test
    void hashedSecretMatchesTheOriginalAndNotOthersAndHidesIt() {
        String stored = Secret.hash("open-sesame");
        assertThat(stored).startsWith("pbkdf2-sha256:210000:").doesNotContain("open-sesame");
        assertThat(Secret.hash("open-sesame")).as("fresh salt").isNotEqualTo(stored);
        Secret s = Secret.of(stored);
        assertThat(s.matches(b("open-sesame"))).isTrue();
        assertThat(s.matches(b("open-sesame"))).as("again, from the remembered match").isTrue();
        assertThat(s.matches(b("Open-sesame"))).isFalse();
        assertThat(s.matches(b(stored))).as("the stored form is not a credential").isFalse();
    }

    @Test
    void malformedHashIsRefusedAtStart() {
        assertThatThrownBy(() -> Secret.of("pbkdf2-sha256:abc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pbkdf2-sha256:<iterations>:<salt>:<hash>");
    }
}
