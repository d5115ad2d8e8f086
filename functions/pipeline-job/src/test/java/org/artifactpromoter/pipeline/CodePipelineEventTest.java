package org.artifactpromoter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.artifactpromoter.json.Json;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;
import org.junit.jupiter.api.Test;

class CodePipelineEventTest {
  private static final String SECRET = "unitTestSecretAccessKey/DoNotPrint+0123456789";
  private static final String TOKEN = "unitTestSessionToken//DoNotPrint==";

  private static JsonNode fixture() throws IOException {
    try (InputStream in =
        CodePipelineEventTest.class.getResourceAsStream("/events/job-with-unknown-fields.json")) {
      return Json.MAPPER.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void parse_readsTheJobAndIgnoresFieldsAwsAdds() throws IOException {
    CodePipelineEvent.Job job = CodePipelineEvent.parse(fixture()).job();

    assertThat(job.id()).isEqualTo("2d5e7f3a-91b4-4c8e-a6f0-3b2c1d0e9f87");
    assertThat(job.accountId()).isEqualTo("111111111111");
    assertThat(job.data().userParameters())
        .isEqualTo("{\"function\":\"orders-api\",\"from\":\"stage\",\"to\":\"prod\"}");
    assertThat(job.data().actionConfiguration().configuration().functionName())
        .isEqualTo("artifact-promoter-ops");
    assertThat(job.data().inputArtifacts()).hasSize(1);
    CodePipelineEvent.Artifact input = job.data().inputArtifacts().get(0);
    assertThat(input.name()).isEqualTo("SourceArtifact");
    assertThat(input.revision()).isEqualTo("3sL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY");
    assertThat(input.location().type()).isEqualTo("S3");
    assertThat(input.location().s3Location().objectKey())
        .isEqualTo("orders-api-stage/SourceArti/Ab3dE9f.zip");
    assertThat(job.data().outputArtifacts()).isEmpty();
    assertThat(job.data().continuationToken()).isNull();
    assertThat(job.data().encryptionKey().type()).isEqualTo("KMS");
    assertThat(job.data().artifactCredentials().secretAccessKey()).isEqualTo(SECRET);
    assertThat(job.data().artifactCredentials().sessionToken()).isEqualTo(TOKEN);
  }

  @Test
  void toString_neverPrintsArtifactCredentials() throws IOException {
    CodePipelineEvent event = CodePipelineEvent.parse(fixture());

    for (Object printed :
        new Object[] {
          event, event.job(), event.job().data(), event.job().data().artifactCredentials()
        }) {
      assertThat(printed.toString())
          .doesNotContain(SECRET)
          .doesNotContain(TOKEN)
          .doesNotContain("ASIAUNITTESTACCESSKEY");
    }
    assertThat(event.toString()).contains("ArtifactCredentials[redacted]").contains("orders-api");
  }

  @Test
  void serialising_leavesArtifactCredentialsOut() throws IOException {
    String json = Json.write(CodePipelineEvent.parse(fixture()));

    assertThat(json).doesNotContain(SECRET).doesNotContain(TOKEN).contains("SourceArtifact");
  }

  @Test
  void parse_whenShapeIsWrong_namesThePathButNoValue() {
    JsonNode event =
        Json.parseObject(
            "{\"CodePipeline.job\":{\"id\":\"j\",\"data\":{\"artifactCredentials\":"
                + "{\"secretAccessKey\":{\"nested\":\""
                + SECRET
                + "\"}}}}}",
            "test");

    assertThatThrownBy(() -> CodePipelineEvent.parse(event))
        .isInstanceOfSatisfying(
            PromotionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
              assertThat(e.getMessage())
                  .contains("\"CodePipeline.job.data.artifactCredentials.secretAccessKey\"")
                  .doesNotContain(SECRET);
            });
  }

  @Test
  void jobId_isReadEvenWhenTheRestIsMalformed() {
    JsonNode event = Json.parseObject("{\"CodePipeline.job\":{\"id\":\"abc\",\"data\":7}}", "t");

    assertThat(CodePipelineEvent.jobId(event)).contains("abc");
    assertThat(CodePipelineEvent.jobId(Json.parseObject("{\"CodePipeline.job\":{}}", "t")))
        .isEmpty();
  }

  @Test
  void parse_whenDataIsAbsent_givesEmptyDefaults() {
    CodePipelineEvent.Job job =
        CodePipelineEvent.parse(Json.parseObject("{\"CodePipeline.job\":{\"id\":\"j\"}}", "t"))
            .job();

    assertThat(job.data().inputArtifacts()).isEmpty();
    assertThat(job.data().userParameters()).isNull();
  }
}
