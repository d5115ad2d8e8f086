package org.artifactpromoter.cli;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CLI is built from the core and the function (pipeline-job), not from the Lambda packaging
 * module: neither the Lambda handler nor the Lambda runtime's types are on its class path. This
 * module's test class path is its dependencies', so a dependency on promote-lambda fails here.
 */
class CliDependenciesTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "org.artifactpromoter.lambda.PromoteHandler",
        "org.artifactpromoter.lambda.PromotionFailedException",
        "com.amazonaws.services.lambda.runtime.Context"
      })
  void theLambdaModuleAndRuntimeAreNotOnTheClassPath(String className) {
    assertThatThrownBy(() -> Class.forName(className)).isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void theFunctionIsOnTheClassPath() throws ClassNotFoundException {
    // The negative checks above mean something only if the lookup itself works.
    Class.forName("org.artifactpromoter.function.PromoteFunction");
  }
}
