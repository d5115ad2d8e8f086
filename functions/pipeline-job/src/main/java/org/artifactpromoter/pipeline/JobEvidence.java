package org.artifactpromoter.pipeline;

import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.artifactpromoter.logsafety.LogSafe;
import org.artifactpromoter.model.Environment;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.promotion.PromotionConfig;
import org.artifactpromoter.promotion.PromotionRequest;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.ActionCategory;
import software.amazon.awssdk.services.codepipeline.model.ActionExecutionDetail;
import software.amazon.awssdk.services.codepipeline.model.ActionExecutionStatus;
import software.amazon.awssdk.services.codepipeline.model.Artifact;
import software.amazon.awssdk.services.codepipeline.model.JobDetails;
import software.amazon.awssdk.services.codepipeline.model.JobNotFoundException;
import software.amazon.awssdk.services.codepipeline.model.ListActionExecutionsResponse;
import software.amazon.awssdk.services.codepipeline.model.PipelineContext;

/**
 * Checks a job event against what CodePipeline itself says, before anything is written (README
 * "Guarantees": only approved, tested bytes move). The event is only a claim: anyone allowed to
 * invoke the function can send one with an invented job id or revision. So:
 *
 * <ol>
 *   <li>GetJobDetails, in the {@code from} environment's account (through its promotion role): the
 *       job exists, belongs to that account, its first input artifact carries the event's revision,
 *       and it runs in one of the pipelines the configuration names for {@code from} and this
 *       function;
 *   <li>ListActionExecutions of that pipeline execution: a Manual approval action that {@code
 *       Succeeded}; its {@code updatedBy} is the approver.
 * </ol>
 *
 * A job that CodePipeline contradicts is refused whatever the destination. Into an environment with
 * {@code requireApproval}, a missing approval or a look-up that fails is refused too ({@code
 * APPROVAL_REQUIRED}, or {@code ACCESS_DENIED} when the role may not ask); elsewhere the approver
 * is only recorded when found.
 */
final class JobEvidence {
  private static final System.Logger LOG = System.getLogger(JobEvidence.class.getName());

  /** An execution has a few dozen actions; this bounds a runaway listing. */
  private static final int MAX_PAGES = 10;

  private static final String MANUAL = "Manual";

  private final CodePipelineClient codePipeline;

  JobEvidence(CodePipelineClient codePipeline) {
    this.codePipeline = codePipeline;
  }

  /**
   * What the event claims: its job id (already checked to be a CodePipeline job id), its account
   * (or null) and its first input artifact's revision.
   */
  record Claim(String jobId, String accountId, String inputRevision) {}

  /**
   * A job CodePipeline confirmed, and who approved its execution.
   *
   * @param inputRevision the first input artifact's revision as CodePipeline has it
   * @param approvedBy the approver, or null when unknown (only where approval is not required)
   * @param unknownBecause why the approver is unknown, or null
   */
  record Verified(String inputRevision, String approvedBy, String unknownBecause) {}

  Verified verify(Claim claim, PromotionRequest request, PromotionConfig config) {
    Environment from = config.require(request.from());
    boolean required = config.approval(request.to()).required();
    if (claim.accountId() != null && !claim.accountId().equals(from.account())) {
      throw refused(
          request,
          "the job event names account "
              + claim.accountId()
              + ", but jobs promoting from "
              + from.name()
              + " run in "
              + from.name()
              + "'s account "
              + from.account()
              + ". Promote from the environment whose pipeline runs the action.");
    }
    JobDetails details;
    try {
      details = codePipeline.getJobDetails(r -> r.jobId(claim.jobId())).jobDetails();
    } catch (JobNotFoundException e) {
      throw refused(
          request,
          "CodePipeline in "
              + from.name()
              + "'s account "
              + from.account()
              + " does not know job "
              + claim.jobId()
              + ". Only a job of a pipeline execution can promote; run the pipeline.");
    } catch (RuntimeException e) {
      return lookupFailed("GetJobDetails", e, request, required, null);
    }
    PipelineContext pipeline =
        details == null || details.data() == null ? null : details.data().pipelineContext();
    if (details == null || !from.account().equals(details.accountId())) {
      throw refused(
          request,
          "CodePipeline says job "
              + claim.jobId()
              + " belongs to account "
              + (details == null ? "(none)" : LogSafe.text(details.accountId(), 20))
              + ", not to "
              + from.name()
              + "'s account "
              + from.account()
              + ".");
    }
    String jobRevision = firstInputRevision(details);
    if (jobRevision == null || !jobRevision.equals(claim.inputRevision())) {
      throw refused(
          request,
          "the event's input artifact revision "
              + LogSafe.text(claim.inputRevision(), 100)
              + " is not the one CodePipeline gave job "
              + claim.jobId()
              + " ("
              + LogSafe.text(jobRevision, 100)
              + "). Only what the pipeline execution carried can be promoted.");
    }
    List<String> pipelines =
        config.approval(from.name()).pipelineNames(request.function(), from.name());
    String pipelineName = pipeline == null ? null : pipeline.pipelineName();
    if (pipelineName == null || !pipelines.contains(pipelineName)) {
      throw refused(
          request,
          "job "
              + claim.jobId()
              + " runs in pipeline "
              + LogSafe.text(pipelineName, 100)
              + ", which is not one of "
              + from.name()
              + "'s pipelines for "
              + request.function()
              + " "
              + pipelines
              + ". Set environments."
              + from.name()
              + ".pipelines in the configuration if this pipeline is "
              + from.name()
              + "'s.");
    }
    String executionId = pipeline.pipelineExecutionId();
    if (executionId == null) {
      return notApproved(request, required, "CodePipeline named no pipeline execution for the job");
    }
    String stage = pipeline.stage() == null ? null : pipeline.stage().name();
    Optional<ActionExecutionDetail> approval;
    try {
      approval = succeededApproval(pipelineName, executionId, stage);
    } catch (RuntimeException e) {
      return lookupFailed("ListActionExecutions", e, request, required, jobRevision);
    }
    if (approval.isEmpty()) {
      return notApproved(
          request,
          required,
          "pipeline execution "
              + LogSafe.text(executionId, 100)
              + " of "
              + pipelineName
              + " has no Manual approval action that succeeded");
    }
    return new Verified(jobRevision, approval.get().updatedBy(), null);
  }

  private static String firstInputRevision(JobDetails details) {
    if (details.data() == null || !details.data().hasInputArtifacts()) {
      return null;
    }
    List<Artifact> artifacts = details.data().inputArtifacts();
    return artifacts.isEmpty() || artifacts.get(0) == null ? null : artifacts.get(0).revision();
  }

  /** The succeeded manual approval: the one in this action's stage first, else the latest. */
  private Optional<ActionExecutionDetail> succeededApproval(
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
        if (isSucceededManualApproval(action, executionId)
            && (best == null || preference.compare(action, best) > 0)) {
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

  private static boolean isSucceededManualApproval(ActionExecutionDetail action, String execution) {
    return action.input() != null
        && action.input().actionTypeId() != null
        && action.input().actionTypeId().category() == ActionCategory.APPROVAL
        && MANUAL.equals(action.input().actionTypeId().provider())
        && action.status() == ActionExecutionStatus.SUCCEEDED
        // The filter asked for this execution; an answer about another is not evidence for it.
        && execution.equals(action.pipelineExecutionId())
        && action.updatedBy() != null
        && !action.updatedBy().isBlank();
  }

  private static Verified notApproved(PromotionRequest request, boolean required, String why) {
    if (required) {
      throw refused(request, why + ". Approve the pipeline's manual approval action, then retry.");
    }
    return new Verified(null, null, why);
  }

  private static Verified lookupFailed(
      String call,
      RuntimeException e,
      PromotionRequest request,
      boolean required,
      String jobRevision) {
    String code =
        e instanceof AwsServiceException service && service.awsErrorDetails() != null
            ? service.awsErrorDetails().errorCode()
            : e.getClass().getSimpleName();
    LOG.log(
        Level.WARNING,
        "could not verify the job''s approval: {0} failed ({1})",
        call,
        LogSafe.text(code, 100));
    String why = call + " failed (" + LogSafe.text(code, 100) + ")";
    if (!required) {
      if ("GetJobDetails".equals(call)) {
        // Nothing about the job could be confirmed, the revision included: the event's stands, as
        // for any promotion into an environment that requires no approval.
        return new Verified(null, null, why);
      }
      return new Verified(jobRevision, null, why);
    }
    boolean denied =
        e instanceof AwsServiceException service
            && (service.statusCode() == 403
                || (service.awsErrorDetails() != null
                    && String.valueOf(service.awsErrorDetails().errorCode())
                        .contains("AccessDenied")));
    String message =
        request.to()
            + " requires an approval, and it could not be verified: "
            + why
            + " in "
            + request.from()
            + "'s account. Nothing was written. "
            + (denied
                ? "Grant the "
                    + request.from()
                    + " promotion role codepipeline:GetJobDetails and"
                    + " codepipeline:ListActionExecutions on the environment's pipelines."
                : "Retry the action.");
    return failWith(denied ? ErrorCode.ACCESS_DENIED : ErrorCode.APPROVAL_REQUIRED, message, e);
  }

  private static Verified failWith(ErrorCode code, String message, RuntimeException cause) {
    throw new PromotionException(code, message, cause);
  }

  private static PromotionException refused(PromotionRequest request, String why) {
    return new PromotionException(
        ErrorCode.APPROVAL_REQUIRED,
        "Promoting "
            + request.function()
            + " "
            + request.from()
            + " -> "
            + request.to()
            + " refused, nothing was written: "
            + why);
  }
}
