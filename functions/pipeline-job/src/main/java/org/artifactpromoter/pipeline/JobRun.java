package org.artifactpromoter.pipeline;

import org.artifactpromoter.promotion.PromotionRequest;

/**
 * One invocation of one job: its ids, its time, where to ask about its approval, and the names it
 * turned out to promote (for the log line, once validated).
 */
public final class JobRun {
  final String jobId;
  final String promotionId;
  final Deadline deadline;
  final Approvals approvals;
  private PromotionRequest request;

  JobRun(String jobId, String promotionId, Deadline deadline, Approvals approvals) {
    this.jobId = jobId;
    this.promotionId = promotionId;
    this.deadline = deadline;
    this.approvals = approvals;
  }

  void promoting(PromotionRequest request) {
    this.request = request;
  }

  /** "function from -> to", or "" before the request was validated. */
  String described() {
    return request == null
        ? ""
        : " " + request.function() + " " + request.from() + " -> " + request.to();
  }
}
