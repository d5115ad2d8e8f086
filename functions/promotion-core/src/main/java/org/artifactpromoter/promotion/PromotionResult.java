package org.artifactpromoter.promotion;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.artifactpromoter.model.ObjectVersion;

/** The outcome a caller sees (README "Promotion request, result and errors"). */
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
    ObjectVersion release,
    ObjectVersion dropKey,
    String approvedBy) {

  public enum Status {
    PROMOTED,
    ALREADY_PROMOTED,
    DRY_RUN
  }
}
