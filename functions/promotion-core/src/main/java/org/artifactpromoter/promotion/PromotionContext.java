package org.artifactpromoter.promotion;

import org.artifactpromoter.artifact.TimeBudget;
import org.artifactpromoter.model.PromotionAudit;

/**
 * What the caller knows beyond the request.
 *
 * @param promotionId stable id: derived from the CodePipeline job id, so a replay reuses it
 * @param requestedBy who asked (approver, CLI user), for the STS SourceIdentity; may be null
 * @param audit who approved and who promoted, as verified by the caller; recorded as tags and
 *     metadata on what is written
 * @param sourceDropKeyVersion the source drop key version this pipeline execution deployed, or
 *     null; it pins the revision when the request names none
 * @param budget the time copies may take before they suspend
 * @param resume the continuation of an earlier invocation, or null
 */
public record PromotionContext(
    String promotionId,
    String requestedBy,
    PromotionAudit audit,
    String sourceDropKeyVersion,
    TimeBudget budget,
    Continuation resume) {

  public PromotionContext {
    audit = audit == null ? PromotionAudit.NONE : audit;
  }

  /** A context for a one-shot promotion with a fresh id and nobody accountable on record. */
  public static PromotionContext oneShot(String promotionId, String requestedBy) {
    return oneShot(promotionId, requestedBy, PromotionAudit.NONE);
  }

  /** A context for a one-shot promotion with a fresh id (CLI, direct invocation). */
  public static PromotionContext oneShot(
      String promotionId, String requestedBy, PromotionAudit audit) {
    return new PromotionContext(
        promotionId, requestedBy, audit, null, TimeBudget.unbounded(), null);
  }

  /** The manual approver, recorded as the approved-by tag; may be null. */
  public String approvedBy() {
    return audit.approvedBy();
  }
}
