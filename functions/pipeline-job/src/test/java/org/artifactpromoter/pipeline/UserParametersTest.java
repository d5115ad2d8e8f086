package org.artifactpromoter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.promotion.ConfigDocuments;
import org.artifactpromoter.promotion.PromotionConfig;
import org.artifactpromoter.promotion.PromotionRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class UserParametersTest {
  static final PromotionConfig CONFIG = ConfigDocuments.full();
  private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

  @Test
  void parse_readsFunctionFromAndTo() {
    UserParameters parameters =
        UserParameters.parse("{\"function\":\"orders-api\",\"from\":\"dev\",\"to\":\"stage\"}");

    assertThat(parameters).isEqualTo(new UserParameters("orders-api", "dev", "stage"));
  }

  @Test
  void toRequest_carriesTheExecutionsRevision() {
    PromotionRequest request =
        new UserParameters("orders-api", "dev", "stage").toRequest(COMMIT.toUpperCase(), CONFIG);

    assertThat(request.revision()).isEqualTo(COMMIT);
    assertThat(request.dryRun()).isFalse();
    assertThat(new UserParameters("orders-api", "stage", "prod").toRequest(null, CONFIG).revision())
        .isNull();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"  "})
  void parse_whenMissing_saysWhatToSet(String missing) {
    assertThatThrownBy(() -> UserParameters.parse(missing))
        .isInstanceOfSatisfying(
            PromotionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
              assertThat(e.getMessage())
                  .contains("UserParameters are missing")
                  .contains("\"function\"");
            });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "orders-api dev stage",
        "{\"function\":\"orders-api\",",
        "[\"orders-api\"]",
        "{\"function\":\"a\",\"function\":\"b\",\"from\":\"dev\",\"to\":\"stage\"}"
      })
  void parse_whenNotOneJsonObject_refuses(String malformed) {
    assertThatThrownBy(() -> UserParameters.parse(malformed))
        .isInstanceOfSatisfying(
            PromotionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
              assertThat(e.getMessage()).contains("UserParameters");
            });
  }

  @Test
  void parse_refusesUnknownFieldsNamingThem() {
    assertThatThrownBy(
            () ->
                UserParameters.parse(
                    "{\"function\":\"orders-api\",\"from\":\"dev\",\"to\":\"stage\","
                        + "\"revision\":\""
                        + COMMIT
                        + "\"}"))
        .hasMessageContaining("unknown field(s) [revision]")
        .hasMessageContaining("[from, function, to]");
  }

  @Test
  void parse_refusesMissingAndNonStringFields() {
    assertThatThrownBy(() -> UserParameters.parse("{\"function\":\"orders-api\",\"from\":\"dev\"}"))
        .hasMessageContaining("missing \"to\"");
    assertThatThrownBy(
            () -> UserParameters.parse("{\"function\":7,\"from\":\"dev\",\"to\":\"stage\"}"))
        .hasMessageContaining("\"function\" must be a string");
  }

  @Test
  void parse_refusesOversizeParameters() {
    String huge =
        "{\"function\":\"orders-api\",\"from\":\"dev\",\"to\":\"" + "x".repeat(1000) + "\"}";

    assertThatThrownBy(() -> UserParameters.parse(huge)).hasMessageContaining("longer than 1000");
  }

  @Test
  void toRequest_appliesThePromotionRules() {
    assertThatThrownBy(
            () -> new UserParameters("orders-api", "dev", "prod").toRequest(null, CONFIG))
        .isInstanceOfSatisfying(
            PromotionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.PROMOTION_NOT_ALLOWED);
              assertThat(e.getMessage()).startsWith("The Invoke action's UserParameters");
            });
    assertThatThrownBy(
            () -> new UserParameters("Orders API", "dev", "stage").toRequest(null, CONFIG))
        .isInstanceOfSatisfying(
            PromotionException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
    assertThatThrownBy(
            () -> new UserParameters("orders-api", "qa", "stage").toRequest(null, CONFIG))
        .hasMessageContaining("unknown environment \"qa\"");
  }
}
