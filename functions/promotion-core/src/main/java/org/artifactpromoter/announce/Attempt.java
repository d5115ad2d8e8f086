package org.artifactpromoter.announce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.artifactpromoter.model.CommitId;
import org.artifactpromoter.model.FunctionName;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.promotion.PromotionConfig;
import org.artifactpromoter.promotion.PromotionRequest;

/**
 * What is known about a promotion before its outcome: the event of a refusal carries these, since
 * there is no result. Values come from a validated {@link PromotionRequest}, or, for a request that
 * was refused, only those that pass their own check (a function name of the allowed form, a known
 * environment, a 40-hex revision): a refused request is hostile input, and an alert rule matching
 * {@code detail.to} must not fire on whatever a caller wrote there.
 *
 * @param promotionId the id the promotion has (or would have had)
 * @param reason the request's reason, or null
 * @param approvedBy the Manual approval's approver, where known
 * @param promotedBy the caller's ARN for a promotion run by hand, where known
 * @param breakGlass whether it was a break-glass promotion, null where not known
 */
public record Attempt(
    String promotionId,
    String function,
    String from,
    String to,
    String revision,
    String reason,
    String approvedBy,
    String promotedBy,
    Boolean breakGlass) {

  /** Nothing but the id: the request was not even readable. */
  public static Attempt unknown(String promotionId) {
    return new Attempt(promotionId, null, null, null, null, null, null, null, null);
  }

  /** A validated request. */
  public static Attempt of(String promotionId, PromotionRequest request) {
    return new Attempt(
        promotionId,
        request.function(),
        request.from(),
        request.to(),
        request.revision(),
        request.reason(),
        null,
        null,
        null);
  }

  /**
   * The values of a request that was (or may be) refused, each kept only when it passes its own
   * check; {@code config} may be null (then no environment is known).
   */
  public static Attempt unvalidated(String promotionId, Fields fields, PromotionConfig config) {
    return new Attempt(
        promotionId,
        validFunction(fields.function()),
        knownEnvironment(fields.from(), config),
        knownEnvironment(fields.to(), config),
        CommitId.normalised(fields.revision()),
        printableReason(fields.reason()),
        null,
        null,
        null);
  }

  /**
   * The values of a promotion request's JSON, read leniently for the refusal's event (the request
   * itself was refused by {@link PromotionRequest#parse}); what does not parse is left out.
   */
  public static Attempt ofRequestJson(String promotionId, String json, PromotionConfig config) {
    ObjectNode node;
    try {
      if (json == null || json.length() > PromotionRequest.MAX_REQUEST_BYTES) {
        return unknown(promotionId);
      }
      node = org.artifactpromoter.json.Json.parseObject(json, "The promotion request");
    } catch (RuntimeException unreadable) {
      return unknown(promotionId);
    }
    return unvalidated(
        promotionId,
        new Fields(
            text(node, "function"),
            text(node, "from"),
            text(node, "to"),
            text(node, "revision"),
            text(node, "reason")),
        config);
  }

  /** The raw names a caller gave. */
  public record Fields(String function, String from, String to, String revision, String reason) {}

  public Attempt withApprovedBy(String approver) {
    return new Attempt(
        promotionId, function, from, to, revision, reason, approver, promotedBy, breakGlass);
  }

  /** Who ran it by hand, and whether it was break-glass (the trust chain's fields). */
  public Attempt withCaller(String caller, Boolean breakGlassPromotion, String why) {
    return new Attempt(
        promotionId,
        function,
        from,
        to,
        revision,
        why == null ? reason : why,
        approvedBy,
        caller,
        breakGlassPromotion);
  }

  private static String text(ObjectNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? value.textValue() : null;
  }

  /** The request's own rule for a reason: at most 256 printable characters. */
  private static String printableReason(String reason) {
    return reason != null && reason.length() <= 256 && reason.chars().noneMatch(c -> c < 32)
        ? reason
        : null;
  }

  private static String validFunction(String function) {
    if (function == null) {
      return null;
    }
    try {
      FunctionName.validate(function);
      return function;
    } catch (PromotionException invalid) {
      return null;
    }
  }

  private static String knownEnvironment(String name, PromotionConfig config) {
    return name != null && config != null && config.environment(name).isPresent() ? name : null;
  }
}
