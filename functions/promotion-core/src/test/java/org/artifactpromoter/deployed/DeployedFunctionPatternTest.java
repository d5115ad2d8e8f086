package org.artifactpromoter.deployed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DeployedFunctionPatternTest {
  @Test
  void byDefault_theFunctionIsNamedFunctionDashEnvironment() {
    assertThat(DeployedFunctionPattern.of(null).resolve("orders-api", "prod"))
        .isEqualTo("orders-api-prod");
    assertThat(DeployedFunctionPattern.defaultPattern().toString())
        .isEqualTo("{function}-{environment}");
  }

  @ParameterizedTest
  @CsvSource({
    "{function}-live,orders-api-live",
    "{function},orders-api",
    "acme_{environment}_{function},acme_stage_orders-api",
    "{function}-{environment}-v2,orders-api-stage-v2",
  })
  void aValidPattern_resolves(String pattern, String name) {
    assertThat(DeployedFunctionPattern.of(pattern).resolve("orders-api", "stage")).isEqualTo(name);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|is empty",
        "orders-live|has no {function}",
        "{function}-{function}|has {function} more than once",
        "{function}-{environment}-{environment}|has {environment} more than once",
        "{function}-{region}|has the unknown placeholder {region}",
        "{Function}|has the unknown placeholder {Function}",
        "{function}:live|has characters a function name cannot hold",
        "arn:aws:lambda:us-east-1:111111111111:function:{function}|has characters",
        "{function}/x|has characters",
        "{function} live|has characters",
        "{function}-{|has characters",
        "{function}}|has characters",
        "{function}-ä|has characters",
      })
  void anInvalidPattern_isRefused_namingTheProblem(String pattern, String problem) {
    assertThatThrownBy(() -> DeployedFunctionPattern.of(pattern))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(problem)
        .hasMessageContaining("for example \"{function}-live\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{function}-{environment}-deployed-function-with-a-rather-long-suffix-x"})
  void aPatternGivingANameOver64Characters_isRefusedWhenResolved(String pattern) {
    DeployedFunctionPattern valid = DeployedFunctionPattern.of(pattern);
    assertThatThrownBy(() -> valid.resolve("orders-api", "production"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 64");
  }
}
