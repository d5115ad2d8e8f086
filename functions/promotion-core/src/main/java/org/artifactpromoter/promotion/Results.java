package org.artifactpromoter.promotion;

import org.artifactpromoter.artifact.ArtifactMetadata;
import org.artifactpromoter.artifact.ArtifactVersion;
import org.artifactpromoter.artifact.CopyOutcome;
import org.artifactpromoter.model.ObjectVersion;
import org.artifactpromoter.promotion.PromotionResult.Status;

/** Builds the outcomes of one promotion from what it found and wrote. */
final class Results {
  private final PromotionRequest request;
  private final PromotionContext context;
  private final ArtifactVersion source;

  Results(PromotionRequest request, PromotionContext context, ArtifactVersion source) {
    this.request = request;
    this.context = context;
    this.source = source;
  }

  PromotionOutcome promoted(ArtifactVersion release, ArtifactVersion drop) {
    return completed(Status.PROMOTED, context.promotionId(), release.location(), drop.location());
  }

  /** The drop key already holds the revision; the promotion id is that of who put it there. */
  PromotionOutcome alreadyPromoted(ArtifactVersion drop, ArtifactVersion release) {
    return completed(
        Status.ALREADY_PROMOTED,
        drop.metadata().getOrDefault(ArtifactMetadata.PROMOTION_ID, context.promotionId()),
        release == null ? null : release.location(),
        drop.location());
  }

  /** What a promotion would write: versions without ids. */
  PromotionOutcome dryRun(ObjectVersion release, ObjectVersion drop) {
    return completed(Status.DRY_RUN, context.promotionId(), release, drop);
  }

  /**
   * @param sourceVersionId the exact version the copy reads: a resumed copy must read it too
   */
  PromotionOutcome suspended(
      String revision,
      Continuation.Phase phase,
      CopyOutcome.Suspended copy,
      String sourceVersionId) {
    return new PromotionOutcome.Suspended(
        new Continuation(
            context.promotionId(),
            revision,
            phase,
            copy.uploadId(),
            copy.completedParts(),
            copy.totalParts(),
            sourceVersionId));
  }

  private PromotionOutcome completed(
      Status status, String promotionId, ObjectVersion release, ObjectVersion drop) {
    return new PromotionOutcome.Completed(
        new PromotionResult(
            status,
            promotionId,
            request.function(),
            request.from(),
            request.to(),
            source.gitRevision(),
            source.recordedSha256(),
            source.sizeBytes(),
            release,
            drop,
            context.audit().approvedBy(),
            context.audit().promotedBy(),
            context.audit().breakGlass(),
            request.reason()));
  }
}
