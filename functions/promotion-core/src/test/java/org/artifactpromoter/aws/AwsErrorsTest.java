package org.artifactpromoter.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.model.S3Exception;

class AwsErrorsTest {
  private static final String ROLE = "arn:aws:iam::222222222222:role/artifact-promotion-stage";

  @Test
  void headDeniedWithoutBody_isAccessDenied_namingRoleBucketKeyAndPolicy() {
    S3Exception bare =
        (S3Exception)
            S3Exception.builder()
                .statusCode(403)
                .awsErrorDetails(AwsErrorDetails.builder().build())
                .build();

    PromotionException refusal =
        AwsErrors.translate(
            bare,
            StorePrincipal.promotionRole(ROLE),
            "Reading",
            "stage-artifacts",
            "drop/orders-api.zip");

    assertThat(refusal.code()).isEqualTo(ErrorCode.ACCESS_DENIED);
    assertThat(refusal.getMessage())
        .contains(
            "s3://stage-artifacts/drop/orders-api.zip",
            "the promotion role " + ROLE,
            "HTTP 403 without an error body",
            "promotion-role/policies/access.json.tftpl")
        .doesNotContain("null");
  }

  @Test
  void deniedToOwnCredentials_namesThemAndTheBuildPolicy_notThePromotionRole() {
    S3Exception denied =
        (S3Exception)
            S3Exception.builder()
                .statusCode(403)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied").build())
                .build();

    PromotionException refusal =
        AwsErrors.translate(
            denied,
            StorePrincipal.OWN_CREDENTIALS,
            "Publishing to",
            "dev-artifacts",
            "drop/orders-api.zip");

    assertThat(refusal.code()).isEqualTo(ErrorCode.ACCESS_DENIED);
    assertThat(refusal.getMessage())
        .contains(
            "s3://dev-artifacts/drop/orders-api.zip",
            "credentials this command runs with",
            "(AccessDenied)",
            "build-publish.json.tftpl")
        .doesNotContain("promotion role", "null");
  }
}
