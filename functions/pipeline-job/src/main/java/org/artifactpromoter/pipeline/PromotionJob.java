package org.artifactpromoter.pipeline;

import static org.artifactpromoter.artifact.ArtifactLayout.dropKey;
import static org.artifactpromoter.artifact.ArtifactLayout.releaseKey;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.inject.Inject;
import org.artifactpromoter.model.CommitId;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.ObjectVersion;
import org.artifactpromoter.model.PromotionAudit;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.promotion.Continuation;
import org.artifactpromoter.promotion.Promoter;
import org.artifactpromoter.promotion.PromotionContext;
import org.artifactpromoter.promotion.PromotionOutcome;
import org.artifactpromoter.promotion.PromotionRequest;
import org.artifactpromoter.promotion.PromotionResult;

/**
 * A job's work: translates the job event into one promotion and its outcome into a job result.
 *
 * <p>The revision promoted is the one the pipeline execution carried (the first input artifact's
 * revision), never the newest. The promotion id derives from the job id, so a replayed job finds
 * its promotion done ({@code ALREADY_PROMOTED}) and writes nothing.
 */
public final class PromotionJob implements JobWork {
  /**
   * Time kept back from copying: parts in flight finish, an upload completes, the drop key is
   * written and the result is reported (with retries) before the invocation's timeout.
   */
  public static final Duration REPORTING_RESERVE = Duration.ofSeconds(30);

  /** Resumed invocations in a row that copied nothing before the job is failed. */
  static final int MAX_STALLS = 3;

  private static final System.Logger LOG = System.getLogger(PromotionJob.class.getName());

  private final Promoter promoter;

  @Inject
  public PromotionJob(Promoter promoter) {
    this.promoter = promoter;
  }

  @Override
  public JobResult run(JsonNode event, JobRun run) {
    CodePipelineEvent.Job job = CodePipelineEvent.parse(event).job();
    UserParameters parameters = UserParameters.parse(job.data().userParameters());
    SourceRevision source = SourceRevision.of(job);
    PromotionRequest request = parameters.toRequest(source.gitRevision(), promoter.config());
    run.promoting(request);
    // Read (not believed) before any call: a token this version did not write is refused first.
    String token = job.data().continuationToken();
    ContinuationToken resumed =
        token == null || token.isEmpty() ? null : ContinuationToken.decode(token, run.promotionId);
    // Before anything is written: the event and any continuation token are claims until
    // CodePipeline confirms the job, its revision, its pipeline and (where required) its
    // approval. A resumed
    // invocation asks again: the token is no evidence of anything.
    JobEvidence.Verified verified =
        run.evidence.verify(
            new JobEvidence.Claim(run.jobId, job.accountId(), firstInputRevision(job)),
            request,
            promoter.config());
    Approval approval = new Approval(verified.approvedBy(), verified.unknownBecause());
    run.approvedBy(approval.approvedBy());
    if (resumed != null) {
      return resume(request, source, resumed, approval, run);
    }
    PromotionContext context =
        new PromotionContext(
            run.promotionId,
            requestedBy(approval),
            PromotionAudit.approved(approval.approvedBy()),
            source.dropKeyVersion(),
            run.deadline.budget(REPORTING_RESERVE),
            null);
    return promote(request, context, approval, null, run);
  }

  private JobResult resume(
      PromotionRequest request,
      SourceRevision source,
      ContinuationToken resumed,
      Approval approval,
      JobRun run) {
    Continuation continuation = resumed.continuation();
    // The promoter checks the token's revision against what this job carries: its commit (the
    // request's revision) or the revision recorded at the drop-key version it deployed.
    PromotionContext context =
        new PromotionContext(
            run.promotionId,
            requestedBy(approval),
            PromotionAudit.approved(approval.approvedBy()),
            source.dropKeyVersion(),
            run.deadline.budget(REPORTING_RESERVE),
            continuation);
    try {
      return promote(request, context, approval, resumed, run);
    } catch (RuntimeException e) {
      // The upload this job started will never be continued: remove it rather than leave it to
      // the lifecycle rule (it is invisible either way; it is never completed half-way). Not when
      // the token named another revision than the job's: then its upload id is not this job's.
      if (!(e instanceof PromotionException refusal
          && refusal.code() == ErrorCode.APPROVAL_REQUIRED)) {
        abandon(request, continuation, context, run);
      }
      throw e;
    }
  }

  /** The event's first input artifact revision, as sent (SourceRevision checked it exists). */
  private static String firstInputRevision(CodePipelineEvent.Job job) {
    return job.data().inputArtifacts().get(0).revision();
  }

  private JobResult promote(
      PromotionRequest request,
      PromotionContext context,
      Approval approval,
      ContinuationToken resumed,
      JobRun run) {
    PromotionOutcome outcome = promoter.promote(request, context);
    if (outcome instanceof PromotionOutcome.Completed completed) {
      run.completed(completed.result());
      return succeeded(completed.result(), approval, run);
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
                + REPORTING_RESERVE.toSeconds()
                + " seconds kept for reporting. Raise the promote function's timeout (up to 900"
                + " seconds), then retry the action.");
      }
      token = new ContinuationToken(next, stalls).encode();
    } catch (RuntimeException e) {
      abandon(request, next, context, run);
      throw e;
    }
    return new JobResult.Continuing(
        token, continuingSummary(request, next), percentComplete(next), run.promotionId);
  }

  private static JobResult succeeded(PromotionResult result, Approval approval, JobRun run) {
    Map<String, String> variables = new LinkedHashMap<>();
    putIfPresent(variables, "revision", result.revision());
    putIfPresent(variables, "sha256", result.sha256());
    putIfPresent(variables, "releaseVersionId", versionOf(result.release()));
    putIfPresent(variables, "dropKeyVersionId", versionOf(result.dropKey()));
    putIfPresent(variables, "promotionId", result.promotionId());
    putIfPresent(variables, "status", result.status().name());
    return new JobResult.Succeeded(successSummary(result, approval), variables, run.promotionId);
  }

  /** Best effort: an upload left behind is invisible and the bucket's lifecycle rule ends it. */
  private void abandon(
      PromotionRequest request, Continuation continuation, PromotionContext context, JobRun run) {
    try {
      promoter.abandon(request, continuation, context);
      LOG.log(
          Level.INFO,
          "CodePipeline job {0}: aborted the unfinished upload of {1} {2}",
          run.jobId,
          request.function(),
          continuation.phase());
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "CodePipeline job {0}: could not abort the unfinished upload ({1}); the artifact"
              + " bucket's lifecycle rule removes it",
          run.jobId,
          e.getClass().getSimpleName());
    }
  }

  /** Who approved, or why that is unknown (only where the destination requires no approval). */
  record Approval(String approvedBy, String unknownBecause) {
    static Approval by(String who) {
      return new Approval(who, null);
    }

    static Approval unknown(String because) {
      return new Approval(null, because);
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
    String revision = CommitId.abbreviated(result.revision());
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
        + CommitId.abbreviated(next.revision())
        + ' '
        + request.from()
        + " -> "
        + request.to()
        + ": "
        + next.completedParts().count()
        + " of "
        + next.totalParts()
        + " parts of the "
        + what
        + " copied; the copy continues in the next invocation.";
  }

  /** The release copy is the first half of the work, the drop key the second. */
  static int percentComplete(Continuation next) {
    int half = (int) (50L * next.completedParts().count() / Math.max(1, next.totalParts()));
    return next.phase() == Continuation.Phase.RELEASE ? half : 50 + half;
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
