package org.artifactpromoter.promotion;

/**
 * Where a suspended promotion stands: enough to resume it in a later invocation. {@code
 * completedParts} is informative (S3's ListParts is the truth on resume).
 */
public record Continuation(
    String promotionId,
    String revision,
    Phase phase,
    String uploadId,
    String completedParts,
    int totalParts) {

  /** Which write was under way. */
  public enum Phase {
    RELEASE,
    DROP_KEY
  }
}
