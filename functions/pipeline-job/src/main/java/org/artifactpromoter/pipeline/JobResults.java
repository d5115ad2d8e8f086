package org.artifactpromoter.pipeline;

import java.lang.System.Logger.Level;
import java.time.Duration;
import org.artifactpromoter.aws.AttemptLog;
import org.artifactpromoter.pipeline.JobResult.Continuing;
import org.artifactpromoter.pipeline.JobResult.Failed;
import org.artifactpromoter.pipeline.JobResult.Succeeded;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.InvalidJobStateException;
import software.amazon.awssdk.services.codepipeline.model.JobNotFoundException;

/**
 * Sends a job's result to CodePipeline. The client's retry strategy already retries throttling and
 * server errors a few times; when it gives up on one of those, this retries the whole call a
 * bounded number of times while the invocation has time. It never throws: a handler that threw
 * after its work was done would be invoked again by Lambda's asynchronous retries.
 */
final class JobResults {
  private static final System.Logger LOG = System.getLogger(JobResults.class.getName());
  static final int MAX_ROUNDS = 3;
  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

  private final CodePipelineClient codePipeline;
  private final Sleeper sleeper;

  JobResults(CodePipelineClient codePipeline) {
    this(codePipeline, Thread::sleep);
  }

  JobResults(CodePipelineClient codePipeline, Sleeper sleeper) {
    this.codePipeline = codePipeline;
    this.sleeper = sleeper;
  }

  /** Pauses between rounds; tests replace it. */
  interface Sleeper {
    void sleep(long millis) throws InterruptedException;
  }

  /**
   * Reports {@code result} for {@code jobId}; returns whether CodePipeline accepted it (or had
   * already recorded a result for the job).
   */
  boolean report(String jobId, JobResult result, Deadline deadline) {
    Duration backoff = FIRST_BACKOFF;
    for (int round = 1; ; round++) {
      try {
        send(jobId, result);
        return true;
      } catch (InvalidJobStateException e) {
        // The job is no longer in progress: an earlier attempt whose answer was lost was recorded,
        // this is a replay of a finished job, or the job timed out. Sending again cannot help.
        LOG.log(
            Level.WARNING,
            "CodePipeline job {0}: result not accepted, the job is no longer in progress ({1})",
            jobId,
            errorCode(e));
        return round > 1 || e.numAttempts() != null && e.numAttempts() > 1;
      } catch (JobNotFoundException e) {
        LOG.log(
            Level.WARNING,
            "CodePipeline job {0}: result not accepted, CodePipeline does not know the job",
            jobId);
        return false;
      } catch (SdkException e) {
        boolean transient_ = isTransient(e);
        if (!transient_ || round >= MAX_ROUNDS || !deadline.hasTimeFor(backoff.plusSeconds(5))) {
          LOG.log(
              Level.ERROR,
              "CodePipeline job {0}: could not send the result ({1}) after {2} round(s); the job"
                  + " will time out in CodePipeline",
              jobId,
              describe(e),
              round);
          return false;
        }
        LOG.log(
            Level.WARNING,
            "CodePipeline job {0}: sending the result failed ({1}); retrying in {2} ms",
            jobId,
            describe(e),
            backoff.toMillis());
        try {
          sleeper.sleep(backoff.toMillis());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return false;
        }
        backoff = backoff.multipliedBy(2);
      } catch (RuntimeException e) {
        LOG.log(
            Level.ERROR,
            "CodePipeline job {0}: could not send the result ({1})",
            jobId,
            e.getClass().getName());
        return false;
      }
    }
  }

  private void send(String jobId, JobResult result) {
    if (result instanceof Succeeded s) {
      codePipeline.putJobSuccessResult(
          r -> {
            r.jobId(jobId)
                .overrideConfiguration(AttemptLog.forPromotion(s.externalExecutionId()))
                .executionDetails(
                    d ->
                        d.summary(s.summary())
                            .externalExecutionId(s.externalExecutionId())
                            .percentComplete(100));
            if (!s.outputVariables().isEmpty()) {
              r.outputVariables(s.outputVariables());
            }
          });
    } else if (result instanceof Continuing c) {
      codePipeline.putJobSuccessResult(
          r ->
              r.jobId(jobId)
                  .overrideConfiguration(AttemptLog.forPromotion(c.externalExecutionId()))
                  .continuationToken(c.continuationToken())
                  .executionDetails(
                      d ->
                          d.summary(c.summary())
                              .externalExecutionId(c.externalExecutionId())
                              .percentComplete(c.percentComplete())));
    } else if (result instanceof Failed f) {
      codePipeline.putJobFailureResult(
          r ->
              r.jobId(jobId)
                  .overrideConfiguration(AttemptLog.forPromotion(f.externalExecutionId()))
                  .failureDetails(
                      d ->
                          d.type(f.type())
                              .message(f.message())
                              .externalExecutionId(f.externalExecutionId())));
    }
  }

  /** Throttling, a server error or a connection problem: worth another round. */
  static boolean isTransient(SdkException e) {
    if (e instanceof AwsServiceException service) {
      return service.isThrottlingException() || service.statusCode() >= 500;
    }
    return e instanceof SdkClientException;
  }

  private static String errorCode(AwsServiceException e) {
    return e.awsErrorDetails() == null
        ? String.valueOf(e.statusCode())
        : e.awsErrorDetails().errorCode();
  }

  /** Names the failure without its message, which may quote the request. */
  private static String describe(SdkException e) {
    return e instanceof AwsServiceException service
        ? "HTTP " + service.statusCode() + " " + errorCode(service)
        : e.getClass().getSimpleName();
  }
}
