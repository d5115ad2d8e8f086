package org.artifactpromoter.pipeline;

import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.ActionCategory;
import software.amazon.awssdk.services.codepipeline.model.ActionExecutionDetail;
import software.amazon.awssdk.services.codepipeline.model.ActionExecutionStatus;
import software.amazon.awssdk.services.codepipeline.model.JobDetails;
import software.amazon.awssdk.services.codepipeline.model.ListActionExecutionsResponse;
import software.amazon.awssdk.services.codepipeline.model.PipelineContext;

/**
 * Finds who approved the pipeline execution a job belongs to: GetJobDetails names the pipeline and
 * execution, ListActionExecutions lists that execution's actions, and the succeeded manual approval
 * (the one in this action's stage first, else the latest) says who approved it in {@code
 * updatedBy}. A promotion goes ahead without it; the summary says why it is not recorded.
 */
final class Approvals {
  private static final System.Logger LOG = System.getLogger(Approvals.class.getName());

  /** An execution has a few dozen actions; this bounds a runaway listing. */
  private static final int MAX_PAGES = 10;

  private final CodePipelineClient codePipeline;

  Approvals(CodePipelineClient codePipeline) {
    this.codePipeline = codePipeline;
  }

  /** Who approved, or why that is unknown. */
  record Approval(String approvedBy, String unknownBecause) {
    static Approval by(String who) {
      return new Approval(who, null);
    }

    static Approval unknown(String because) {
      return new Approval(null, because);
    }
  }

  Approval find(String jobId) {
    JobDetails details;
    try {
      details = codePipeline.getJobDetails(r -> r.jobId(jobId)).jobDetails();
    } catch (RuntimeException e) {
      return failed("GetJobDetails", e);
    }
    PipelineContext pipeline =
        details == null || details.data() == null ? null : details.data().pipelineContext();
    if (pipeline == null
        || pipeline.pipelineName() == null
        || pipeline.pipelineExecutionId() == null) {
      return Approval.unknown("CodePipeline did not say which pipeline execution ran this job");
    }
    String stage = pipeline.stage() == null ? null : pipeline.stage().name();
    Optional<ActionExecutionDetail> approval;
    try {
      approval = latestApproval(pipeline.pipelineName(), pipeline.pipelineExecutionId(), stage);
    } catch (RuntimeException e) {
      return failed("ListActionExecutions", e);
    }
    return approval
        .map(a -> Approval.by(a.updatedBy()))
        .orElseGet(
            () ->
                Approval.unknown(
                    "pipeline execution "
                        + pipeline.pipelineExecutionId()
                        + " has no approved manual approval action"));
  }

  private Optional<ActionExecutionDetail> latestApproval(
      String pipelineName, String executionId, String stage) {
    ActionExecutionDetail best = null;
    String nextToken = null;
    Comparator<ActionExecutionDetail> preference =
        Comparator.comparing(
                (ActionExecutionDetail a) -> stage != null && stage.equals(a.stageName()))
            .thenComparing(a -> a.lastUpdateTime() == null ? Instant.MIN : a.lastUpdateTime());
    for (int page = 0; page < MAX_PAGES; page++) {
      final String token = nextToken;
      ListActionExecutionsResponse response =
          codePipeline.listActionExecutions(
              r ->
                  r.pipelineName(pipelineName)
                      .filter(f -> f.pipelineExecutionId(executionId))
                      .nextToken(token));
      for (ActionExecutionDetail action : response.actionExecutionDetails()) {
        boolean approved =
            action.input() != null
                && action.input().actionTypeId() != null
                && action.input().actionTypeId().category() == ActionCategory.APPROVAL
                && action.status() == ActionExecutionStatus.SUCCEEDED
                && action.updatedBy() != null
                && !action.updatedBy().isBlank();
        if (approved && (best == null || preference.compare(action, best) > 0)) {
          best = action;
        }
      }
      nextToken = response.nextToken();
      if (nextToken == null) {
        break;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Any failure, not only the SDK's: the approver is a record, never a reason to stop. */
  private static Approval failed(String call, RuntimeException e) {
    String reason =
        e instanceof AwsServiceException service && service.awsErrorDetails() != null
            ? service.awsErrorDetails().errorCode()
            : e.getClass().getSimpleName();
    LOG.log(Level.WARNING, "could not find the approver: {0} failed ({1})", call, reason);
    return Approval.unknown(call + " failed (" + reason + ")");
  }
}
