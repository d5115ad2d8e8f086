package org.artifactpromoter.promotion;

import org.artifactpromoter.model.PartRanges;

/**
 * Where a suspended promotion stands: enough to resume it in a later invocation. {@code
 * completedParts} is informative (the store's own list of parts is the truth on resume).
 *
 * @param sourceVersionId the version the copy's parts were read from (the source release, or for
 *     the drop key the destination's release): a resumed copy is refused if the source is now
 *     another version, since finishing it would mix the bytes of two
 */
public record Continuation(
    String promotionId,
    String revision,
    Phase phase,
    String uploadId,
    PartRanges completedParts,
    int totalParts,
    String sourceVersionId) {

  /** Which write was under way. */
  public enum Phase {
    RELEASE,
    DROP_KEY
  }

  /** The upload to resume for {@code phase}, or null when this continuation is of another. */
  String uploadIdFor(Phase phase) {
    return this.phase == phase ? uploadId : null;
  }
}
