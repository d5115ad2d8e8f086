package org.artifactpromoter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.codepipeline.model.FailureType;

class JobResultTest {
  @ParameterizedTest
  @CsvSource({
    "INVALID_REQUEST, ConfigurationError",
    "PROMOTION_NOT_ALLOWED, ConfigurationError",
    "ACCESS_DENIED, PermissionError",
    "REVISION_NOT_FOUND, JobFailed",
    "INTEGRITY_MISMATCH, JobFailed",
    "CONFLICT, JobFailed",
    "INTERNAL, JobFailed"
  })
  void failureType_mapsEveryErrorCode(ErrorCode code, String type) {
    assertThat(JobResult.failureType(code)).isEqualTo(FailureType.fromValue(type));
  }

  @Test
  void failed_leadsTheMessageWithTheErrorCode() {
    JobResult.Failed failed =
        JobResult.failed(
            new PromotionException(ErrorCode.ACCESS_DENIED, "Reading s3://b/k was denied."),
            "job-1");

    assertThat(failed.type()).isEqualTo(FailureType.PERMISSION_ERROR);
    assertThat(failed.message()).isEqualTo("ACCESS_DENIED: Reading s3://b/k was denied.");
    assertThat(failed.externalExecutionId()).isEqualTo("job-1");
  }

  @Test
  void texts_areCutToCodePipelinesLimits() {
    JobResult.Failed failed = new JobResult.Failed(FailureType.JOB_FAILED, "m".repeat(9000), "x");
    JobResult.Succeeded succeeded = new JobResult.Succeeded("s".repeat(3000), Map.of(), "x");
    JobResult.Continuing continuing = new JobResult.Continuing("t", "c".repeat(3000), 140, "x");

    assertThat(failed.message()).hasSize(JobResult.MAX_MESSAGE).endsWith("...");
    assertThat(succeeded.summary()).hasSize(JobResult.MAX_SUMMARY);
    assertThat(continuing.summary()).hasSize(JobResult.MAX_SUMMARY);
    assertThat(continuing.percentComplete()).isEqualTo(99);
  }
}
