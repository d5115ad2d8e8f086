package org.artifactpromoter.pipeline;

import java.util.Optional;
import org.artifactpromoter.announce.Attempt;
import org.artifactpromoter.logging.LogContext;
import org.artifactpromoter.promotion.PromotionRequest;
import org.artifactpromoter.promotion.PromotionResult;

/**
 * One invocation of one job: its ids, its time, where to verify it and its approval, and the names
 * it turned out to promote (for the log line, once validated).
 */
public final class JobRun {
  final String jobId;
  final String promotionId;
  final Deadline deadline;
  final JobEvidence evidence;
  private PromotionRequest request;
  private String approvedBy;
  private PromotionResult completed;

  JobRun(String jobId, String promotionId, Deadline deadline, JobEvidence evidence) {
    this.jobId = jobId;
    this.promotionId = promotionId;
    this.deadline = deadline;
    this.evidence = evidence;
  }

  /**
   * The validated request; from here on every record this invocation logs names the function and
   * environments (the job handler's scope, which encloses this one, ends it).
   */
  void promoting(PromotionRequest request) {
    this.request = request;
    LogContext.builder().function(request.function()).from(request.from()).to(request.to()).open();
  }

  void approvedBy(String approver) {
    this.approvedBy = approver;
  }

  void completed(PromotionResult result) {
    this.completed = result;
  }

  /** The promotion's result, once it completed in this invocation. */
  Optional<PromotionResult> result() {
    return Optional.ofNullable(completed);
  }

  /** What is known of the promotion, for its event. */
  Attempt attempt() {
    Attempt attempt =
        request == null ? Attempt.unknown(promotionId) : Attempt.of(promotionId, request);
    return attempt.withApprovedBy(approvedBy);
  }

  /** "function from -> to", or "" before the request was validated. */
  String described() {
    return request == null
        ? ""
        : " " + request.function() + " " + request.from() + " -> " + request.to();
  }
}
