package org.artifactpromoter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.promotion.PromotionConfig;
import org.artifactpromoter.promotion.PromotionRequest;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.codepipeline.model.ActionCategory;
import software.amazon.awssdk.services.codepipeline.model.ActionExecutionDetail;
import software.amazon.awssdk.services.codepipeline.model.ActionExecutionStatus;
import software.amazon.awssdk.services.codepipeline.model.JobDetails;

/** The checks of a job against what CodePipeline says, with a small fake of its client. */
class JobEvidenceTest {
  private static final String JOB = "5f0e4c1a-7b2d-4e3f-9a8b-1c2d3e4f5a6b";
  private static final String COMMIT = "356a192b7913b04c54574d18c28d46e6395428ab";
  private static final String EXECUTION = "8c1d3a2e-5f6b-4a7c-9d8e-0f1a2b3c4d5e";
  private static final String APPROVER = "arn:aws:iam::222222222222:user/alice";
  private static final String DEV = "222222222222";

  private final FakeCodePipeline codePipeline = new FakeCodePipeline();

  private static PromotionConfig config(boolean stageRequiresApproval) {
    StringBuilder envs = new StringBuilder();
    String[][] all = {{"dev", DEV}, {"stage", "333333333333"}, {"prod", "444444444444"}};
    for (String[] env : all) {
      envs.append(envs.length() == 0 ? "" : ",")
          .append(
              String.format(
                  "\"%s\":{\"account\":\"%s\",\"region\":\"us-east-1\",\"bucket\":\"acme-%s\","
                      + "\"role\":\"arn:aws:iam::%s:role/p\",\"externalId\":\"ext-1\"%s}",
                  env[0],
                  env[1],
                  env[0],
                  env[1],
                  env[0].equals("stage") && !stageRequiresApproval
                      ? ",\"requireApproval\":false"
                      : ""));
    }
    return PromotionConfig.parse(
        "{\"environments\":{"
            + envs
            + "},\"promotions\":{\"dev\":[\"stage\"],\"stage\":[\"prod\"]}}");
  }

  private static PromotionRequest devToStage(PromotionConfig config) {
    return PromotionRequest.of("orders-api", "dev", "stage", COMMIT, false, null, config);
  }

  private void jobInDev(String pipeline, String revision) {
    codePipeline.job =
        JobDetails.builder()
            .id(JOB)
            .accountId(DEV)
            .data(
                d ->
                    d.inputArtifacts(a -> a.name("SourceArtifact").revision(revision))
                        .pipelineContext(
                            p ->
                                p.pipelineName(pipeline)
                                    .pipelineExecutionId(EXECUTION)
                                    .stage(s -> s.name("Promote"))))
            .build();
  }

  private static ActionExecutionDetail approval(
      String execution, ActionExecutionStatus status, String provider) {
    return ActionExecutionDetail.builder()
        .pipelineExecutionId(execution)
        .stageName("Promote")
        .actionName("Approve")
        .status(status)
        .updatedBy(APPROVER)
        .lastUpdateTime(Instant.parse("2026-01-01T00:00:00Z"))
        .input(
            i ->
                i.actionTypeId(
                    t ->
                        t.category(ActionCategory.APPROVAL)
                            .owner("AWS")
                            .provider(provider)
                            .version("1")))
        .build();
  }

  private JobEvidence.Verified verify(PromotionConfig config, String claimedRevision) {
    return new JobEvidence(codePipeline)
        .verify(new JobEvidence.Claim(JOB, DEV, claimedRevision), devToStage(config), config);
  }

  private static void assertRefused(Runnable call, ErrorCode code, String... messageParts) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            PromotionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(code);
              assertThat(e.getMessage()).contains(messageParts);
            });
  }

  @Test
  void verify_whenTheExecutionWasApproved_namesTheApprover() {
    jobInDev("orders-api-dev", COMMIT);
    codePipeline.actions.add(approval(EXECUTION, ActionExecutionStatus.SUCCEEDED, "Manual"));

    JobEvidence.Verified verified = verify(config(true), COMMIT);

    assertThat(verified.approvedBy()).isEqualTo(APPROVER);
    assertThat(verified.inputRevision()).isEqualTo(COMMIT);
  }

  @Test
  void verify_whenCodePipelineDoesNotKnowTheJob_refusesWhateverTheDestination() {
    assertRefused(
        () -> verify(config(true), COMMIT),
        ErrorCode.APPROVAL_REQUIRED,
        "does not know job " + JOB);
    assertRefused(() -> verify(config(false), COMMIT), ErrorCode.APPROVAL_REQUIRED, "job " + JOB);
  }

  @Test
  void verify_whenTheEventsRevisionIsNotTheJobs_refuses() {
    jobInDev("orders-api-dev", COMMIT);
    codePipeline.actions.add(approval(EXECUTION, ActionExecutionStatus.SUCCEEDED, "Manual"));
    String other = "1b6453892473a467d07372d45eb05abc2031647a";

    assertRefused(
        () -> verify(config(true), other),
        ErrorCode.APPROVAL_REQUIRED,
        "is not the one CodePipeline gave job");
  }

  @Test
  void verify_whenTheJobRunsInAnotherEnvironmentsPipeline_refuses() {
    jobInDev("orders-api-stage", COMMIT);
    codePipeline.actions.add(approval(EXECUTION, ActionExecutionStatus.SUCCEEDED, "Manual"));

    assertRefused(
        () -> verify(config(true), COMMIT),
        ErrorCode.APPROVAL_REQUIRED,
        "runs in pipeline orders-api-stage, which is not one of dev's pipelines for orders-api"
            + " [orders-api-dev]");
  }

  @Test
  void verify_whenTheEventClaimsAnotherAccount_refusesBeforeAskingCodePipeline() {
    jobInDev("orders-api-dev", COMMIT);
    PromotionConfig config = config(true);

    assertRefused(
        () ->
            new JobEvidence(codePipeline)
                .verify(
                    new JobEvidence.Claim(JOB, "333333333333", COMMIT), devToStage(config), config),
        ErrorCode.APPROVAL_REQUIRED,
        "names account 333333333333");
    assertThat(codePipeline.requests).isEmpty();
  }

  @Test
  void verify_withoutASucceededManualApproval_refusesWhereApprovalIsRequired() {
    jobInDev("orders-api-dev", COMMIT);
    // Rejected, still waiting, of another execution, or not a manual approval: none is evidence.
    codePipeline.actions.add(approval(EXECUTION, ActionExecutionStatus.FAILED, "Manual"));
    codePipeline.actions.add(approval(EXECUTION, ActionExecutionStatus.IN_PROGRESS, "Manual"));
    codePipeline.actions.add(
        approval(
            "00000000-0000-4000-8000-000000000000", ActionExecutionStatus.SUCCEEDED, "Manual"));
    codePipeline.actions.add(approval(EXECUTION, ActionExecutionStatus.SUCCEEDED, "Custom"));

    assertRefused(
        () -> verify(config(true), COMMIT),
        ErrorCode.APPROVAL_REQUIRED,
        "has no Manual approval action that succeeded");
  }

  @Test
  void verify_withoutApproval_whereNoneIsRequired_goesAheadWithoutAnApprover() {
    jobInDev("orders-api-dev", COMMIT);

    JobEvidence.Verified verified = verify(config(false), COMMIT);

    assertThat(verified.approvedBy()).isNull();
    assertThat(verified.unknownBecause()).contains("has no Manual approval action that succeeded");
  }

  @Test
  void verify_whenTheLookupIsDenied_failsWithAccessDeniedWhereApprovalIsRequired() {
    jobInDev("orders-api-dev", COMMIT);
    codePipeline.listFailure = FakeCodePipeline.serviceError(400, "AccessDeniedException");

    assertRefused(
        () -> verify(config(true), COMMIT),
        ErrorCode.ACCESS_DENIED,
        "ListActionExecutions failed (AccessDeniedException)",
        "Nothing was written");
    assertThat(verify(config(false), COMMIT).unknownBecause())
        .isEqualTo("ListActionExecutions failed (AccessDeniedException)");
  }

  @Test
  void verify_acceptsPipelinesTheConfigurationNames() {
    PromotionConfig config =
        PromotionConfig.parse(
            "{\"environments\":{\"dev\":{\"account\":\""
                + DEV
                + "\",\"region\":\"us-east-1\",\"bucket\":\"acme-dev\",\"role\":\"arn:aws:iam::"
                + DEV
                + ":role/p\",\"externalId\":\"ext-1\",\"pipelines\":[\"{function}-main\"]},"
                + "\"stage\":{\"account\":\"333333333333\",\"region\":\"us-east-1\",\"bucket\":"
                + "\"acme-stage\",\"role\":\"arn:aws:iam::333333333333:role/p\",\"externalId\":"
                + "\"ext-1\"}},\"promotions\":{\"dev\":[\"stage\"]}}");
    jobInDev("orders-api-main", COMMIT);
    codePipeline.actions.add(approval(EXECUTION, ActionExecutionStatus.SUCCEEDED, "Manual"));

    assertThat(verify(config, COMMIT).approvedBy()).isEqualTo(APPROVER);
    assertThat(config.approval("dev").pipelineNames("orders-api", "dev"))
        .isEqualTo(List.of("orders-api-main"));
  }
}
