package org.artifactpromoter.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import javax.inject.Inject;
import org.artifactpromoter.announce.PromotionAnnouncer;
import org.artifactpromoter.events.PromotionEvent;
import org.artifactpromoter.logging.LogContext;
import org.artifactpromoter.logsafety.LogSafe;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.promotion.PromotionIds;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;

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

  /**
   * Time kept back from announcing the outcome, after the job result was reported: the runtime
   * needs it to return before the invocation's timeout.
   */
  static final Duration RETURN_RESERVE = Duration.ofSeconds(1);

  /** The most an announcement may take when the invocation has no deadline (a local run). */
  static final Duration MAX_ANNOUNCING = Duration.ofSeconds(10);

  private final JobWork work;
  private final PipelineClients clients;
  private final PromotionAnnouncer announcer;

  @Inject
  public CodePipelineJobHandler(
      JobWork work, PipelineClients clients, PromotionAnnouncer announcer) {
    this.work = work;
    this.clients = clients;
    this.announcer = announcer;
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
    try (LogContext.Scope scope =
        LogContext.builder().jobId(jobId).promotionId(promotionId).open()) {
      handle(event, invocation, jobId, promotionId);
    }
  }

  private void handle(JsonNode event, Invocation invocation, String jobId, String promotionId) {
    CodePipelineClient client =
        clients.forJob(
            CodePipelineEvent.accountId(event).orElse(null),
            AccountPipelineClients.accountOf(invocation.functionArn()),
            promotionId);
    JobRun run = new JobRun(jobId, promotionId, invocation.deadline(), new JobEvidence(client));
    JobResult result;
    PromotionException failure = null;
    try {
      result = work.run(event, run);
    } catch (PromotionException e) {
      failure = e;
      result = JobResult.failed(e, promotionId);
    } catch (Throwable e) {
      // Deliberately broad: whatever went wrong, the job gets its one result.
      LOG.log(Level.ERROR, "CodePipeline job " + jobId + ": unexpected failure", e);
      failure =
          new PromotionException(
              ErrorCode.INTERNAL,
              "Unexpected failure ("
                  + e.getClass().getSimpleName()
                  + "). No partial artifact is visible. Retry the action; if it fails again, look"
                  + " for job "
                  + jobId
                  + " in the promote function's logs.",
              e);
      result = JobResult.failed(failure, promotionId);
    }
    boolean accepted;
    try {
      accepted = new JobResults(client).report(jobId, result, invocation.deadline());
    } catch (Throwable e) {
      accepted = false;
    }
    String outcome = result.outcome() + (accepted ? "" : " (result not accepted by CodePipeline)");
    LOG.log(Level.INFO, "CodePipeline job {0}{1}: {2}", jobId, run.described(), outcome);
    // After the job's result, which has to arrive: the announcement gets the time that is left.
    announce(run, failure, invocation.deadline());
  }

  /** A continuing job has no outcome yet: its last invocation announces it. */
  private void announce(JobRun run, PromotionException failure, Deadline deadline) {
    PromotionEvent event;
    try {
      if (failure != null) {
        event = PromotionAnnouncer.refused(failure, run.attempt());
      } else if (run.result().isPresent()) {
        event = PromotionAnnouncer.succeeded(run.result().get(), run.attempt());
      } else {
        return;
      }
    } catch (RuntimeException e) {
      // The outcome stands and was reported; an event we cannot describe is only logged.
      LOG.log(Level.WARNING, "no promotion event for job {0}: {1}", run.jobId, e.toString());
      return;
    }
    Duration left = deadline.remaining().minus(RETURN_RESERVE);
    announcer.announce(event, left.compareTo(MAX_ANNOUNCING) > 0 ? MAX_ANNOUNCING : left);
  }
}
