package org.artifactpromoter.promotion;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.artifactpromoter.model.ObjectVersion;

/**
 * The outcome a caller sees (README "Promotion request, result and errors").
 *
 * @param approvedBy the manual approver CodePipeline reported for the job, or null
 * @param promotedBy the verified caller (CLI: its ARN), or what is known of it, or null
 * @param breakGlass whether an operator promoted into an approval-required environment without an
 *     approval
 * @param reason the request's reason (ticket, incident), or null
 */
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
    String approvedBy,
    String promotedBy,
    boolean breakGlass,
    String reason) {

  public enum Status {
    PROMOTED,
    ALREADY_PROMOTED,
    DRY_RUN
  }
}
