package org.artifactpromoter.promotion;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.artifactpromoter.artifact.ArtifactLocation;

/** The outcome a caller sees (DESIGN.md "Promotion result"). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PromotionResult(
    Status status,
    String promotionId,
    String function,
    String from,
    String to,
    String revision,
    String sha256,
    long sizeBytes,
    ArtifactLocation release,
    ArtifactLocation dropKey,
    String approvedBy) {

  public enum Status {
    PROMOTED,
    ALREADY_PROMOTED,
    DRY_RUN
  }
}
