package org.artifactpromoter.promotion;

import static org.artifactpromoter.json.Json.optionalString;
import static org.artifactpromoter.json.Json.refuseUnknownFields;
import static org.artifactpromoter.json.Json.requiredString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.artifactpromoter.json.Json;
import org.artifactpromoter.model.CommitId;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.FunctionName;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.model.Shown;

/**
 * A promotion asked for by a person, the CLI or a pipeline (README "Promotion request, result and
 * errors"). Instances exist only after complete validation against a {@link PromotionConfig}: every
 * check happens here, before any AWS call.
 *
 * @param revision the git revision to promote, or null for "the revision at the source's drop key"
 * @param reason free text for the audit trail, or null
 */
public record PromotionRequest(
    String function, String from, String to, String revision, boolean dryRun, String reason) {

  /** Requests are a few hundred bytes; anything far larger is a mistake or an attack. */
  public static final int MAX_REQUEST_BYTES = 4096;

  private static final Set<String> FIELDS =
      Set.of("function", "from", "to", "revision", "dryRun", "reason");
  private static final int MAX_REASON = 256;

  /** Parses a JSON request and validates it completely; throws {@link PromotionException}. */
  public static PromotionRequest parse(String json, PromotionConfig config) {
    if (json == null) {
      throw PromotionException.invalid("The promotion request is empty; send a JSON object.");
    }
    int size = json.getBytes(StandardCharsets.UTF_8).length;
    if (size > MAX_REQUEST_BYTES) {
      throw PromotionException.invalid(
          "The promotion request is "
              + size
              + " bytes; the limit is "
              + MAX_REQUEST_BYTES
              + largestField(json)
              + ". Send only function, from, to, revision, dryRun and reason.");
    }
    ObjectNode node = Json.parseObject(json, "The promotion request");
    refuseUnknownFields(node, FIELDS, "The promotion request");
    String what = "The promotion request";
    JsonNode dryRun = node.get("dryRun");
    if (dryRun != null && !dryRun.isNull() && !dryRun.isBoolean()) {
      throw PromotionException.invalid("\"dryRun\" must be true or false.");
    }
    return of(
        requiredString(node, "function", what),
        requiredString(node, "from", what),
        requiredString(node, "to", what),
        optionalString(node, "revision", what),
        dryRun != null && dryRun.booleanValue(),
        optionalString(node, "reason", what),
        config);
  }

  /** Builds a request from already separated values (CLI flags) with the same validation. */
  public static PromotionRequest of(
      String function,
      String from,
      String to,
      String revision,
      boolean dryRun,
      String reason,
      PromotionConfig config) {
    FunctionName.validate(function);
    if (revision != null) {
      String normalised = CommitId.normalised(revision);
      if (normalised == null) {
        throw PromotionException.invalid(
            "\"revision\" must be a full 40-character hex git commit id, got \""
                + Shown.value(revision)
                + "\". Use `git rev-parse <ref>` to get one, or omit it to promote the revision"
                + " at the source's drop key.");
      }
      revision = normalised;
    }
    if (reason != null && (reason.length() > MAX_REASON || reason.chars().anyMatch(c -> c < 32))) {
      throw PromotionException.invalid(
          "\"reason\" must be at most " + MAX_REASON + " printable characters.");
    }
    requireEnvironment(config, "from", from);
    requireEnvironment(config, "to", to);
    if (!config.allows(from, to)) {
      throw new PromotionException(
          ErrorCode.PROMOTION_NOT_ALLOWED,
          "Promoting "
              + from
              + " -> "
              + to
              + " is not allowed. Allowed promotions: "
              + config.promotions()
              + ". Promote through each environment in order: "
              + nextSteps(config, from)
              + ".");
    }
    return new PromotionRequest(function, from, to, revision, dryRun, reason);
  }

  /** Which field to change: "to" when {@code from} promotes somewhere, else "from". */
  private static String nextSteps(PromotionConfig config, String from) {
    List<String> targets = config.promotions().getOrDefault(from, List.of());
    if (!targets.isEmpty()) {
      return "from " + from + ", \"to\" must be " + oneOf(targets);
    }
    List<String> sources =
        config.promotions().entrySet().stream()
            .filter(e -> !e.getValue().isEmpty())
            .map(Map.Entry::getKey)
            .toList();
    return "nothing is promoted from " + from + ", so \"from\" must be " + oneOf(sources);
  }

  private static String oneOf(List<String> names) {
    return names.size() == 1 ? names.get(0) : "one of " + names;
  }

  /**
   * For an oversize request, the field that makes it so, if the text is JSON at all: the caller
   * learns what to shorten rather than only that something is too long.
   */
  private static String largestField(String json) {
    try {
      JsonNode node = Json.MAPPER.readTree(json);
      String largest = null;
      int largestSize = 0;
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        int fieldSize =
            Json.write(field.getValue()).getBytes(StandardCharsets.UTF_8).length
                + field.getKey().getBytes(StandardCharsets.UTF_8).length;
        if (fieldSize > largestSize) {
          largest = field.getKey();
          largestSize = fieldSize;
        }
      }
      return largest == null
          ? ""
          : " (field \"" + Shown.value(largest) + "\" alone is " + largestSize + " bytes)";
    } catch (IOException | RuntimeException notJson) {
      return "";
    }
  }

  private static void requireEnvironment(PromotionConfig config, String field, String name) {
    if (name == null) {
      throw PromotionException.invalid(
          "\""
              + field
              + "\" is missing; name one of the known environments: "
              + config.environments().keySet()
              + ".");
    }
    if (config.environment(name).isEmpty()) {
      throw PromotionException.invalid(
          "\""
              + field
              + "\" names unknown environment \""
              + Shown.value(name)
              + "\"; known environments: "
              + config.environments().keySet()
              + ".");
    }
  }
}
