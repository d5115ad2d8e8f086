package org.artifactpromoter.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.System.Logger.Level;
import java.util.Optional;
import javax.inject.Inject;
import org.artifactpromoter.logsafety.LogSafe;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.promotion.PromotionIds;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.FailureType;

/**
 * A CodePipeline Invoke action's job: runs its work and reports exactly one of PutJobSuccessResult
 * (done, or continue with a token) and PutJobFailureResult, to the pipeline's account.
 *
 * <p>Nothing escapes {@link #handle}: the result is reported on every path, and a handler that
 * threw after reporting would be retried by Lambda. The event is never logged (it carries {@code
 * artifactCredentials}).
 */
public final class CodePipelineJobHandler {
  public static final String EVENT_KEY = CodePipelineEvent.KEY;

  private static final System.Logger LOG = System.getLogger(CodePipelineJobHandler.class.getName());

  private final JobWork work;
  private final PipelineClients clients;

  @Inject
  public CodePipelineJobHandler(JobWork work, PipelineClients clients) {
    this.work = work;
    this.clients = clients;
  }

  /** Handles one job event; never throws. */
  public void handle(JsonNode event, Invocation invocation) {
    Optional<String> id = CodePipelineEvent.jobId(event);
    if (id.isEmpty()) {
      LOG.log(Level.ERROR, "CodePipeline event without a job id: there is no job to report to");
      return;
    }
    if (!LogSafe.isCodePipelineJobId(id.get())) {
      // Not a job CodePipeline could have sent: it is neither logged (it could forge log lines)
      // nor reported (CodePipeline knows no such job, and the call would only echo it back).
      LOG.log(
          Level.ERROR,
          "CodePipeline event whose job id is not a CodePipeline job id (a UUID): refused, nothing"
              + " was written or reported");
      return;
    }
    String jobId = LogSafe.requireCodePipelineJobId(id.get());
    String promotionId = PromotionIds.forJob(jobId);
    CodePipelineClient client =
        clients.forJob(
            CodePipelineEvent.accountId(event).orElse(null),
            AccountPipelineClients.accountOf(invocation.functionArn()),
            promotionId);
    JobRun run = new JobRun(jobId, promotionId, invocation.deadline(), new JobEvidence(client));
    JobResult result;
    try {
      result = work.run(event, run);
    } catch (PromotionException e) {
      result = JobResult.failed(e, promotionId);
    } catch (Throwable e) {
      // Deliberately broad: whatever went wrong, the job gets its one result.
      LOG.log(Level.ERROR, "CodePipeline job " + jobId + ": unexpected failure", e);
      result =
          new JobResult.Failed(
              FailureType.JOB_FAILED,
              ErrorCode.INTERNAL
                  + ": Unexpected failure ("
                  + e.getClass().getSimpleName()
                  + "). No partial artifact is visible. Retry the action; if it fails again, look"
                  + " for job "
                  + jobId
                  + " in the promote function's logs.",
              promotionId);
    }
    boolean accepted;
    try {
      accepted = new JobResults(client).report(jobId, result, invocation.deadline());
    } catch (Throwable e) {
      accepted = false;
    }
    String outcome = result.outcome() + (accepted ? "" : " (result not accepted by CodePipeline)");
    LOG.log(Level.INFO, "CodePipeline job {0}{1}: {2}", jobId, run.described(), outcome);
  }
}
