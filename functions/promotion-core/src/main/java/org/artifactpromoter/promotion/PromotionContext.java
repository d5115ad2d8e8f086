package org.artifactpromoter.promotion;

import org.artifactpromoter.artifact.TimeBudget;

/**
 * What the caller knows beyond the request.
 *
 * @param promotionId stable id: derived from the CodePipeline job id, so a replay reuses it
 * @param requestedBy who asked (approver, CLI user), for the STS SourceIdentity; may be null
 * @param approvedBy the manual approver, recorded as the approved-by tag; may be null
 * @param sourceDropKeyVersion the source drop key version this pipeline execution deployed, or
 *     null; it pins the revision when the request names none
 * @param budget the time copies may take before they suspend
 * @param resume the continuation of an earlier invocation, or null
 */
public record PromotionContext(
    String promotionId,
    String requestedBy,
    String approvedBy,
    String sourceDropKeyVersion,
    TimeBudget budget,
    Continuation resume) {

  /** A context for a one-shot promotion with a fresh id (CLI, direct invocation). */
  public static PromotionContext oneShot(String promotionId, String requestedBy) {
    return new PromotionContext(promotionId, requestedBy, null, null, TimeBudget.unbounded(), null);
  }
}
