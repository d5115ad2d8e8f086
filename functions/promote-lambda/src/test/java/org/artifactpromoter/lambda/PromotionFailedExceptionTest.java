package org.artifactpromoter.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import org.artifactpromoter.function.PromoteFunction;
import org.junit.jupiter.api.Test;

class PromotionFailedExceptionTest {
  @Test
  void theCliReportsTheSameErrorTypeAsTheLambda() {
    // The CLI's `invoke` prints what `aws lambda invoke` would show without depending on this
    // module: the name it prints must stay this class's.
    assertThat(PromotionFailedException.class.getName())
        .isEqualTo(PromoteFunction.FUNCTION_ERROR_TYPE);
  }

  @Test
  void aRefusalCarriesItsErrorJsonAndNoStackTrace() {
    PromotionFailedException e = new PromotionFailedException("{\"status\":\"FAILED\"}");

    assertThat(e.getMessage()).isEqualTo("{\"status\":\"FAILED\"}");
    assertThat(e.getStackTrace()).isEmpty();
  }
}
