package org.artifactpromoter.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.artifactpromoter.provenance.ProvenanceException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProvenanceStatementTest {
  private static final String SHA256 =
      "da2d9102ea2b5d4e8a9a1b0bb1b9e2d1d4f6c0d7f1b8e9a2c3d4e5f60718293a";
  private static final String REVISION = "19f1a9f2c3d4e5f60718293a4b5c6d7e8f901234";

  private static final ProvenanceStatement STATEMENT =
      new ProvenanceStatement(
          "orders-api",
          "orders-api.zip",
          SHA256,
          "https://git.example/acme/orders-api.git",
          REVISION,
          "arn:aws:codebuild:us-east-1:222222222222:project/orders-api-build",
          "arn:aws:codebuild:us-east-1:222222222222:build/orders-api-build:0b9d");

  @Test
  void toJson_isAnInTotoStatementWithASlsaProvenancePredicate_inCanonicalForm() {
    assertThat(new String(STATEMENT.toJson(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"_type\":\"https://in-toto.io/Statement/v1\","
                + "\"predicate\":{"
                + "\"buildDefinition\":{"
                + "\"buildType\":\"urn:artifact-promoter:build-type:codebuild-package:v1\","
                + "\"externalParameters\":{\"function\":\"orders-api\","
                + "\"source\":{\"repository\":\"https://git.example/acme/orders-api.git\","
                + "\"revision\":\""
                + REVISION
                + "\"}},"
                + "\"resolvedDependencies\":[{\"digest\":{\"gitCommit\":\""
                + REVISION
                + "\"},"
                + "\"uri\":\"https://git.example/acme/orders-api.git\"}]},"
                + "\"runDetails\":{"
                + "\"builder\":{\"id\":\"arn:aws:codebuild:us-east-1:222222222222:project/orders-api-build\"},"
                + "\"metadata\":{\"invocationId\":\"arn:aws:codebuild:us-east-1:222222222222:build/orders-api-build:0b9d\"}}},"
                + "\"predicateType\":\"https://slsa.dev/provenance/v1\","
                + "\"subject\":[{\"digest\":{\"sha256\":\""
                + SHA256
                + "\"},"
                + "\"name\":\"orders-api.zip\"}]}");
  }

  @Test
  void toJson_isTheSameBytesEveryTime_andReadsBack() {
    ProvenanceStatement same =
        new ProvenanceStatement(
            STATEMENT.function(),
            STATEMENT.packageName(),
            STATEMENT.sha256(),
            STATEMENT.repository(),
            STATEMENT.revision(),
            STATEMENT.builderId(),
            STATEMENT.buildId());

    assertThat(same.toJson()).isEqualTo(STATEMENT.toJson());
    assertThat(ProvenanceStatement.fromJson(STATEMENT.toJson())).isEqualTo(STATEMENT);
  }

  @Test
  void toJson_escapesNonAsciiSoTheBytesDoNotDependOnAnEncoding() {
    ProvenanceStatement withUnicode =
        new ProvenanceStatement(
            "orders-api", "paquete-ñ.zip", SHA256, null, REVISION, "builder", null);

    String json = new String(withUnicode.toJson(), StandardCharsets.US_ASCII);

    assertThat(json).contains("paquete-\\u00F1.zip").doesNotContain("resolvedDependencies");
    assertThat(ProvenanceStatement.fromJson(withUnicode.toJson())).isEqualTo(withUnicode);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[]",
        "{\"_type\":\"https://in-toto.io/Statement/v0.1\"}",
        "{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicateType\":\"https://slsa.dev/provenance/v0.2\"}",
        "{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicateType\":\"https://slsa.dev/provenance/v1\","
            + "\"subject\":[{\"name\":\"a\",\"digest\":{\"sha256\":\""
            + SHA256
            + "\"}},"
            + "{\"name\":\"b\",\"digest\":{\"sha256\":\""
            + SHA256
            + "\"}}]}",
        "{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicateType\":\"https://slsa.dev/provenance/v1\","
            + "\"subject\":[{\"name\":\"a\",\"digest\":{\"sha512\":\"00\"}}]}",
        "{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicateType\":\"https://slsa.dev/provenance/v1\","
            + "\"subject\":[{\"name\":\"a\",\"digest\":{\"sha256\":\""
            + SHA256
            + "\"}}],"
            + "\"predicate\":{\"buildDefinition\":{\"externalParameters\":{\"function\":7}}}}"
      })
  void fromJson_refusesWhatIsNotOurProvenanceStatement(String json) {
    assertThatThrownBy(() -> ProvenanceStatement.fromJson(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            ProvenanceException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_STATEMENT))
        .hasMessageStartingWith("The signed provenance statement ");
  }

  @Test
  void constructor_refusesAnUppercaseDigestOrAShortRevision() {
    assertThatThrownBy(
            () ->
                new ProvenanceStatement(
                    "orders-api", "p.zip", SHA256.toUpperCase(), null, REVISION, "b", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sha256");
    assertThatThrownBy(
            () -> new ProvenanceStatement("orders-api", "p.zip", SHA256, null, "abc", "b", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("revision");
  }
}
