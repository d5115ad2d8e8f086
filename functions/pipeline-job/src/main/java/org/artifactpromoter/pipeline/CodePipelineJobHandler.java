package org.artifactpromoter.pipeline;

import static org.artifactpromoter.artifact.ArtifactLayout.dropKey;
import static org.artifactpromoter.artifact.ArtifactLayout.releaseKey;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.inject.Inject;
import org.artifactpromoter.model.ObjectVersion;
import org.artifactpromoter.pipeline.Approvals.Approval;
import org.artifactpromoter.promotion.Continuation;
import org.artifactpromoter.model.Environment;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.promotion.Promoter;
import org.artifactpromoter.promotion.PromotionContext;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.promotion.PromotionIds;
import org.artifactpromoter.promotion.PromotionOutcome;
import org.artifactpromoter.promotion.PromotionRequest;
import org.artifactpromoter.promotion.PromotionResult;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.FailureType;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;

/**
 * A CodePipeline Invoke action's job: translates the job event into one promotion and its outcome
 * into exactly one of PutJobSuccessResult (done, or continue with a token) and PutJobFailureResult.
 *
 * <p>The revision promoted is the one the pipeline execution carried (the first input artifact's
 * revision), never the newest. The promotion id derives from the job id, so a replayed job finds
 * its promotion done ({@code ALREADY_PROMOTED}) and writes nothing. Nothing escapes {@link
 * #handle}: the result is reported on every path, and a handler that threw after reporting would be
 * retried by Lambda. The event is never logged (it carries {@code artifactCredentials}).
 */
public final class CodePipelineJobHandler {
  public static final String EVENT_KEY = CodePipelineEvent.KEY;

  /**
   * Time kept back from copying: parts in flight finish, an upload completes, the drop key is
   * written and the result is reported (with retries) before the invocation's timeout.
   */
  public static final Duration REPORTING_RESERVE = Duration.ofSeconds(30);

  /** Resumed invocations in a row that copied nothing before the job is failed. */
  static final int MAX_STALLS = 3;

  private static final System.Logger LOG = System.getLogger(CodePipelineJobHandler.class.getName());

  private final Promoter promoter;
  private final PromotionException configurationError;
  private final PipelineClients clients;
  private final JobResults fixedResults;
  private final Approvals fixedApprovals;
  private final Duration reserve;

  @Inject
  public CodePipelineJobHandler(Promoter promoter, PipelineClients clients) {
    this(promoter, null, clients, null, null, REPORTING_RESERVE);
  }

  /** For tests and local runs: {@code reportingReserve} replaces {@link #REPORTING_RESERVE}. */
  public CodePipelineJobHandler(
      Promoter promoter, PipelineClients clients, Duration reportingReserve) {
    this(promoter, null, clients, null, null, reportingReserve);
  }

  /** For tests and local runs: one CodePipeline endpoint for every job. */
  public CodePipelineJobHandler(
      Promoter promoter, CodePipelineClient codePipeline, Duration reportingReserve) {
    this(promoter, PipelineClients.single(codePipeline), reportingReserve);
  }

  /** For unit tests: results and approvals replaced. */
  CodePipelineJobHandler(
      Promoter promoter,
      PromotionException configurationError,
      JobResults results,
      Approvals approvals,
      Duration reserve) {
    this(promoter, configurationError, null, results, approvals, reserve);
  }

  private CodePipelineJobHandler(
      Promoter promoter,
      PromotionException configurationError,
      PipelineClients clients,
      JobResults results,
      Approvals approvals,
      Duration reserve) {
    this.promoter = promoter;
    this.configurationError = configurationError;
    this.clients = clients;
    this.fixedResults = results;
    this.fixedApprovals = approvals;
    this.reserve = reserve;
  }

  /**
   * A handler for a function whose configuration is invalid: it fails every job with a
   * ConfigurationError that says what is wrong, so the pipeline shows it instead of a timeout.
   */
  public static CodePipelineJobHandler misconfigured(
      PromotionException error, CodePipelineClient codePipeline) {
    return new CodePipelineJobHandler(
        null, error, PipelineClients.single(codePipeline), null, null, REPORTING_RESERVE);
  }

  /** Handles one job event; never throws. */
  public void handle(JsonNode event, Context context) {
    Optional<String> id = CodePipelineEvent.jobId(event);
    if (id.isEmpty()) {
      LOG.log(Level.ERROR, "CodePipeline event without a job id: there is no job to report to");
      return;
    }
    String jobId = id.get();
    String promotionId = PromotionIds.forJob(jobId);
    Deadline deadline = Deadline.of(context);
    JobResults results;
    Approvals approvals;
    if (fixedResults != null) {
      results = fixedResults;
      approvals = fixedApprovals;
    } else {
      CodePipelineClient client =
          clients.forJob(
              CodePipelineEvent.accountId(event).orElse(null),
              AccountPipelineClients.accountOf(
                  context == null ? null : context.getInvokedFunctionArn()),
              promotionId);
      results = new JobResults(client);
      approvals = new Approvals(client);
    }
    Job job = new Job(jobId, promotionId, deadline, approvals);
    JobResult result;
    try {
      result = job.run(event);
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
      accepted = results.report(jobId, result, deadline);
    } catch (Throwable e) {
      accepted = false;
    }
    String outcome = result.outcome() + (accepted ? "" : " (result not accepted by CodePipeline)");
    if (job.function == null) {
      LOG.log(Level.INFO, "CodePipeline job {0}: {1}", jobId, outcome);
    } else {
      LOG.log(
          Level.INFO,
          "CodePipeline job {0} {1} {2} -> {3}: {4}",
          jobId,
          job.function,
          job.from,
          job.to,
          outcome);
    }
  }

  /** One invocation's work; remembers validated names for the log line. */
  private final class Job {
    private final String jobId;
    private final String promotionId;
    private final Deadline deadline;
    private final Approvals approvals;
    private String function;
    private String from;
    private String to;

    Job(String jobId, String promotionId, Deadline deadline, Approvals approvals) {
      this.jobId = jobId;
      this.promotionId = promotionId;
      this.deadline = deadline;
      this.approvals = approvals;
    }

    JobResult run(JsonNode event) {
      if (configurationError != null) {
        throw new PromotionException(
            ErrorCode.INVALID_REQUEST,
            "The promote function's configuration (PROMOTION_CONFIG) is not valid: "
                + configurationError.getMessage()
                + " Fix the function's PROMOTION_CONFIG environment variable, then retry the"
                + " action.");
      }
      CodePipelineEvent.Job job = CodePipelineEvent.parse(event).job();
      UserParameters parameters = UserParameters.parse(job.data().userParameters());
      String token = job.data().continuationToken();
      if (token != null && !token.isEmpty()) {
        return resume(parameters, ContinuationToken.decode(token, promotionId));
      }
      SourceRevision source = SourceRevision.of(job);
      PromotionRequest request = parameters.toRequest(source.gitRevision(), promoter.config());
      named(request);
      Approval approval = approvals.find(jobId);
      PromotionContext context =
          new PromotionContext(
              promotionId,
              requestedBy(approval),
              approval.approvedBy(),
              source.dropKeyVersion(),
              deadline.copyControl(reserve),
              null);
      return promote(request, context, approval, null);
    }

    private JobResult resume(UserParameters parameters, ContinuationToken resumed) {
      Continuation continuation = resumed.continuation();
      PromotionRequest request = parameters.toRequest(continuation.revision(), promoter.config());
      named(request);
      Approval approval = new Approval(resumed.approvedBy(), resumed.approverNote());
      PromotionContext context =
          new PromotionContext(
              promotionId,
              requestedBy(approval),
              approval.approvedBy(),
              null,
              deadline.copyControl(reserve),
              continuation);
      try {
        return promote(request, context, approval, resumed);
      } catch (RuntimeException e) {
        // The upload this job started will never be continued: remove it rather than leave it to
        // the lifecycle rule (it is invisible either way; it is never completed half-way).
        abandon(request, continuation, context.requestedBy());
        throw e;
      }
    }

    private JobResult promote(
        PromotionRequest request,
        PromotionContext context,
        Approval approval,
        ContinuationToken resumed) {
      PromotionOutcome outcome = promoter.promote(request, context);
      if (outcome instanceof PromotionOutcome.Completed completed) {
        return succeeded(completed.result(), approval);
      }
      Continuation next = ((PromotionOutcome.Suspended) outcome).continuation();
      int stalls = resumed != null && resumed.sameProgress(next) ? resumed.stalls() + 1 : 0;
      String token;
      try {
        if (stalls >= MAX_STALLS) {
          throw new PromotionException(
              ErrorCode.INTERNAL,
              "The copy made no progress in "
                  + stalls
                  + " invocations in a row: the function's timeout leaves too little time after"
                  + " the "
                  + reserve.toSeconds()
                  + " seconds kept for reporting. Raise the promote function's timeout (up to 900"
                  + " seconds), then retry the action.");
        }
        token =
            new ContinuationToken(next, approval.approvedBy(), approval.unknownBecause(), stalls)
                .encode();
      } catch (RuntimeException e) {
        abandon(request, next, context.requestedBy());
        throw e;
      }
      return new JobResult.Continuing(
          token, continuingSummary(request, next), percentComplete(next), promotionId);
    }

    private JobResult succeeded(PromotionResult result, Approval approval) {
      Map<String, String> variables = new LinkedHashMap<>();
      putIfPresent(variables, "revision", result.revision());
      putIfPresent(variables, "sha256", result.sha256());
      putIfPresent(variables, "releaseVersionId", versionOf(result.release()));
      putIfPresent(variables, "dropKeyVersionId", versionOf(result.dropKey()));
      putIfPresent(variables, "promotionId", result.promotionId());
      putIfPresent(variables, "status", result.status().name());
      return new JobResult.Succeeded(successSummary(result, approval), variables, promotionId);
    }

    private void named(PromotionRequest request) {
      function = request.function();
      from = request.from();
      to = request.to();
    }

    /** Best effort: an upload left behind is invisible and the bucket's lifecycle rule ends it. */
    private void abandon(PromotionRequest request, Continuation continuation, String requestedBy) {
      try {
        Environment destination = promoter.config().environment(request.to()).orElseThrow();
        String key =
            continuation.phase() == Continuation.Phase.RELEASE
                ? releaseKey(request.function(), continuation.revision())
                : dropKey(request.function());
        promoter
            .s3For(request.to(), promotionId, requestedBy)
            .abortMultipartUpload(
                b -> b.bucket(destination.bucket()).key(key).uploadId(continuation.uploadId()));
        LOG.log(
            Level.INFO, "CodePipeline job {0}: aborted the unfinished upload to {1}", jobId, key);
      } catch (NoSuchUploadException alreadyGone) {
        // Completed or aborted already.
      } catch (RuntimeException e) {
        LOG.log(
            Level.WARNING,
            "CodePipeline job {0}: could not abort the unfinished upload ({1}); the artifact"
                + " bucket's lifecycle rule removes it",
            jobId,
            e.getClass().getSimpleName());
      }
    }
  }

  /** The STS SourceIdentity: the approver's name (the last part of their ARN), else the service. */
  static String requestedBy(Approval approval) {
    String who = approval.approvedBy();
    if (who == null || who.isBlank()) {
      return "codepipeline";
    }
    String name = who.substring(who.lastIndexOf('/') + 1);
    return name.isBlank() ? who : name;
  }

  static String successSummary(PromotionResult result, Approval approval) {
    String revision = shortRevision(result.revision());
    String dropKey = result.dropKey() == null ? dropKey(result.function()) : result.dropKey().key();
    String version = versionOf(result.dropKey());
    StringBuilder summary = new StringBuilder();
    if (result.status() == PromotionResult.Status.ALREADY_PROMOTED) {
      summary.append(
          String.format(
              "%s %s was already promoted %s -> %s: %s %s holds it as version %s (promotion %s)."
                  + " Nothing was written.",
              result.function(),
              revision,
              result.from(),
              result.to(),
              result.to(),
              dropKey,
              version,
              result.promotionId()));
    } else {
      summary.append(
          String.format(
              "Promoted %s %s %s -> %s: %s %s is now version %s.",
              result.function(),
              revision,
              result.from(),
              result.to(),
              result.to(),
              dropKey,
              version));
    }
    if (approval.approvedBy() != null) {
      summary.append(" Approved by ").append(approval.approvedBy()).append('.');
    } else {
      summary.append(" Approver not recorded: ").append(approval.unknownBecause()).append('.');
    }
    return summary.toString();
  }

  static String continuingSummary(PromotionRequest request, Continuation next) {
    String what =
        next.phase() == Continuation.Phase.RELEASE
            ? "release " + releaseKey(request.function(), next.revision())
            : "drop key " + dropKey(request.function());
    return "Copying "
        + request.function()
        + ' '
        + shortRevision(next.revision())
        + ' '
        + request.from()
        + " -> "
        + request.to()
        + ": "
        + partsDone(next.completedParts())
        + " of "
        + next.totalParts()
        + " parts of the "
        + what
        + " copied; the copy continues in the next invocation.";
  }

  /** The release copy is the first half of the work, the drop key the second. */
  static int percentComplete(Continuation next) {
    int half = (int) (50L * partsDone(next.completedParts()) / Math.max(1, next.totalParts()));
    return next.phase() == Continuation.Phase.RELEASE ? half : 50 + half;
  }

  /** Counts the parts in ranges such as "1-12,15". */
  static int partsDone(String ranges) {
    if (ranges == null || ranges.isBlank()) {
      return 0;
    }
    int count = 0;
    for (String range : ranges.split(",")) {
      int dash = range.indexOf('-');
      count +=
          dash < 0
              ? 1
              : Integer.parseInt(range.substring(dash + 1))
                  - Integer.parseInt(range.substring(0, dash))
                  + 1;
    }
    return count;
  }

  private static String shortRevision(String revision) {
    return revision == null ? "?" : revision.substring(0, Math.min(7, revision.length()));
  }

  private static String versionOf(ObjectVersion location) {
    return location == null ? null : location.versionId();
  }

  private static void putIfPresent(Map<String, String> map, String key, String value) {
    if (value != null && !value.isEmpty()) {
      map.put(key, value);
    }
  }
}
