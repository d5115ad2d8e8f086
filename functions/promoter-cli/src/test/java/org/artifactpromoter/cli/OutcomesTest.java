package org.artifactpromoter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.artifactpromoter.model.ErrorCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class OutcomesTest {

  @ParameterizedTest
  @CsvSource({
    "INVALID_REQUEST, 2",
    "PROMOTION_NOT_ALLOWED, 3",
    "REVISION_NOT_FOUND, 3",
    "INTEGRITY_MISMATCH, 3",
    "CONFLICT, 3",
    "ACCESS_DENIED, 4",
    "INTERNAL, 1"
  })
  void exitCode_isTheOneTheHelpFooterDocuments(ErrorCode code, int exitCode) {
    assertThat(Outcomes.exitCode(code)).isEqualTo(exitCode);
  }

  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  void exitCode_ofEveryFailure_isNotSuccess(ErrorCode code) {
    assertThat(Outcomes.exitCode(code)).isNotEqualTo(Outcomes.EXIT_OK).isBetween(1, 4);
  }
}
