package org.artifactpromoter.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class SigningKeyArnTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "arn:aws:kms:us-east-1:111111111111:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
        "arn:aws:kms:eu-central-1:111111111111:key/mrk-0f1e2d3c4b5a69788796a5b4c3d2e1f0",
        "arn:aws-us-gov:kms:us-gov-west-1:111111111111:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
      })
  void parse_acceptsKeyArns_andPrintsThemBack(String arn) {
    SigningKeyArn parsed = SigningKeyArn.parse(arn);

    assertThat(parsed.toString()).isEqualTo(arn);
    assertThat(parsed.account()).isEqualTo("111111111111");
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(
      strings = {
        "arn:aws:kms:us-east-1:111111111111:alias/provenance",
        "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
        "alias/provenance",
        "arn:aws:kms:us-east-1:1111:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
        " arn:aws:kms:us-east-1:111111111111:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
        "arn:aws:kms:us-east-1:111111111111:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\n"
      })
  void parse_refusesAliasesKeyIdsAndAnythingElse(String arn) {
    assertThatThrownBy(() -> SigningKeyArn.parse(arn))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be a KMS key ARN")
        .hasMessageContaining("alias can be re-pointed");
  }
}
