package org.artifactpromoter.pipeline;

import static org.artifactpromoter.json.Json.refuseUnknownFields;
import static org.artifactpromoter.json.Json.requiredString;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.artifactpromoter.json.Json;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.promotion.PromotionConfig;
import org.artifactpromoter.promotion.PromotionRequest;

/**
 * The Invoke action's {@code UserParameters}: {@code {"function": "...", "from": "...", "to":
 * "..."}}. The revision is not a parameter: it is the one the pipeline execution carried.
 */
public record UserParameters(String function, String from, String to) {
  /** CodePipeline itself limits UserParameters to 1000 characters. */
  static final int MAX_CHARS = 1000;

  private static final Set<String> FIELDS = Set.of("function", "from", "to");
  private static final String WHAT = "The Invoke action's UserParameters";
  private static final String EXAMPLE =
      "{\"function\": \"orders-api\", \"from\": \"dev\", \"to\": \"stage\"}";

  /** Parses the JSON text; refusals ({@code INVALID_REQUEST}) say what to change. */
  public static UserParameters parse(String json) {
    if (json == null || json.isBlank()) {
      throw PromotionException.invalid(
          WHAT + " are missing. Set them to a JSON object such as " + EXAMPLE + ".");
    }
    if (json.length() > MAX_CHARS
        || json.getBytes(StandardCharsets.UTF_8).length > PromotionRequest.MAX_REQUEST_BYTES) {
      throw PromotionException.invalid(
          WHAT + " are longer than " + MAX_CHARS + " characters. Set them to " + EXAMPLE + ".");
    }
    ObjectNode node;
    try {
      node = Json.parseObject(json, WHAT, true);
    } catch (PromotionException e) {
      throw PromotionException.invalid(e.getMessage() + " For example: " + EXAMPLE + ".");
    }
    refuseUnknownFields(node, FIELDS, WHAT);
    return new UserParameters(
        requiredString(node, "function", WHAT),
        requiredString(node, "from", WHAT),
        requiredString(node, "to", WHAT));
  }

  /**
   * The promotion these parameters ask for, validated with the same rules as every other request.
   *
   * @param gitRevision the commit this pipeline execution carried, or null when the source is a
   *     drop key (its S3 version pins the revision instead)
   */
  public PromotionRequest toRequest(String gitRevision, PromotionConfig config) {
    try {
      return PromotionRequest.of(function, from, to, gitRevision, false, null, config);
    } catch (PromotionException e) {
      throw new PromotionException(e.code(), WHAT + " are not valid: " + e.getMessage(), e);
    }
  }
}
