package org.artifactpromoter.pipeline;

import org.artifactpromoter.promotion.PromotionRequest;

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

  JobRun(String jobId, String promotionId, Deadline deadline, JobEvidence evidence) {
    this.jobId = jobId;
    this.promotionId = promotionId;
    this.deadline = deadline;
    this.evidence = evidence;
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
