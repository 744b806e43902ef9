package de.scheincam.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PathParametersTest {

    @Test
    void theContractsPathParametersAreTheOnesDecoded() {
        assertThat(PathParameters.names()).contains("filename", "job_id", "name");
    }

    @Test
    void escapesAreDecodedStrictlyAndAPlusStaysAPlus() {
        assertThat(PathParameters.decode("filename", "25-01-24_19-50-00%20(2)")).isEqualTo("25-01-24_19-50-00 (2)");
        assertThat(PathParameters.decode("filename", "B%C3%BChne+1")).isEqualTo("Bühne+1");
        assertThatThrownBy(() -> PathParameters.decode("filename", "x%2")).isInstanceOf(ApiProblem.class)
                .hasMessageContaining("broken %-escape");
        assertThatThrownBy(() -> PathParameters.decode("filename", "x%zz1")).isInstanceOf(ApiProblem.class);
        assertThatThrownBy(() -> PathParameters.decode("filename", "x%C3%28")).isInstanceOf(ApiProblem.class)
                .hasMessageContaining("not UTF-8");
    }
}
