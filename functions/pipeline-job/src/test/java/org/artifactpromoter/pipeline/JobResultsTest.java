package org.artifactpromoter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.codepipeline.model.FailureType;
import software.amazon.awssdk.services.codepipeline.model.PutJobFailureResultRequest;
import software.amazon.awssdk.services.codepipeline.model.PutJobSuccessResultRequest;

class JobResultsTest {
  private final List<Long> sleeps = new ArrayList<>();
  private static final Deadline NO_DEADLINE = Deadline.none();

  private JobResults results(FakeCodePipeline codePipeline) {
    return new JobResults(codePipeline, sleeps::add);
  }

  @Test
  void report_whenThrottledBeyondTheSdksRetries_retriesBoundedAndIsAcceptedOnce() {
    FakeCodePipeline codePipeline =
        new FakeCodePipeline()
            .thenFail(FakeCodePipeline.serviceError(400, "ThrottlingException"))
            .thenFail(FakeCodePipeline.serviceError(503, "ServiceUnavailable"));

    boolean accepted =
        results(codePipeline)
            .report("job", new JobResult.Succeeded("done", Map.of("a", "b"), "job-x"), NO_DEADLINE);

    assertThat(accepted).isTrue();
    assertThat(codePipeline.requests)
        .hasSize(3)
        .allMatch(PutJobSuccessResultRequest.class::isInstance);
    assertThat(sleeps).containsExactly(1000L, 2000L);
    PutJobSuccessResultRequest sent = (PutJobSuccessResultRequest) codePipeline.requests.get(2);
    assertThat(sent.jobId()).isEqualTo("job");
    assertThat(sent.outputVariables()).containsEntry("a", "b");
    assertThat(sent.executionDetails().externalExecutionId()).isEqualTo("job-x");
    assertThat(sent.continuationToken()).isNull();
  }

  @Test
  void report_givesUpAfterMaxRoundsWithoutThrowing() {
    FakeCodePipeline codePipeline = new FakeCodePipeline();
    for (int i = 0; i < 10; i++) {
      codePipeline.thenFail(SdkClientException.create("connection refused"));
    }

    boolean accepted =
        results(codePipeline)
            .report(
                "job",
                new JobResult.Failed(FailureType.JOB_FAILED, "INTERNAL: x", "job-x"),
                NO_DEADLINE);

    assertThat(accepted).isFalse();
    assertThat(codePipeline.requests)
        .hasSize(JobResults.MAX_ROUNDS)
        .allMatch(PutJobFailureResultRequest.class::isInstance);
  }

  @Test
  void report_whenTheJobIsNoLongerInProgress_doesNotSendAgain() {
    FakeCodePipeline codePipeline =
        new FakeCodePipeline().thenFail(FakeCodePipeline.invalidJobState());

    boolean accepted =
        results(codePipeline)
            .report("job", new JobResult.Continuing("token", "copying", 40, "job-x"), NO_DEADLINE);

    assertThat(accepted).isFalse();
    assertThat(codePipeline.requests).hasSize(1);
    PutJobSuccessResultRequest sent = (PutJobSuccessResultRequest) codePipeline.requests.get(0);
    assertThat(sent.continuationToken()).isEqualTo("token");
    assertThat(sent.executionDetails().percentComplete()).isEqualTo(40);
    assertThat(sent.hasOutputVariables()).isFalse();
  }

  @Test
  void report_whenAnEarlierRoundWasRecorded_takesInvalidJobStateAsAccepted() {
    FakeCodePipeline codePipeline =
        new FakeCodePipeline()
            .thenFail(SdkClientException.create("read timed out"))
            .thenFail(FakeCodePipeline.invalidJobState());

    assertThat(
            results(codePipeline)
                .report("job", new JobResult.Succeeded("done", Map.of(), "job-x"), NO_DEADLINE))
        .isTrue();
    assertThat(codePipeline.requests).hasSize(2);
  }

  @Test
  void report_doesNotRetryARequestCodePipelineRefused() {
    FakeCodePipeline codePipeline =
        new FakeCodePipeline().thenFail(FakeCodePipeline.serviceError(400, "ValidationException"));

    assertThat(
            results(codePipeline)
                .report("job", new JobResult.Succeeded("done", Map.of(), "job-x"), NO_DEADLINE))
        .isFalse();
    assertThat(codePipeline.requests).hasSize(1);
    assertThat(sleeps).isEmpty();
  }
}
