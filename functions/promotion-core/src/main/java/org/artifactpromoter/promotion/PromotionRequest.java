package org.artifactpromoter.promotion;

import static org.artifactpromoter.internal.Json.optionalString;
import static org.artifactpromoter.internal.Json.refuseUnknownFields;
import static org.artifactpromoter.internal.Json.requiredString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.artifactpromoter.internal.Json;

/**
 * A promotion asked for by a person, the CLI or a pipeline (DESIGN.md "Promotion request").
 * Instances exist only after complete validation against a {@link PromotionConfig}: every check
 * happens here, before any AWS call.
 *
 * @param revision the git revision to promote, or null for "the revision at the source's drop key"
 * @param reason free text for the audit trail, or null
 */
public record PromotionRequest(
    String function, String from, String to, String revision, boolean dryRun, String reason) {

  /** Requests are a few hundred bytes; anything far larger is a mistake or an attack. */
  public static final int MAX_REQUEST_BYTES = 4096;

  private static final Pattern FUNCTION = Pattern.compile("[a-z0-9][a-z0-9-_]{0,63}");
  private static final Pattern REVISION = Pattern.compile("[0-9a-f]{40}");
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
    validateFunction(function);
    if (revision != null) {
      String normalised = revision.toLowerCase(Locale.ROOT);
      if (!REVISION.matcher(normalised).matches()) {
        throw PromotionException.invalid(
            "\"revision\" must be a full 40-character hex git commit id, got \""
                + abbreviate(revision)
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

  public static void validateFunction(String function) {
    if (function == null || !FUNCTION.matcher(function).matches()) {
      throw PromotionException.invalid(
          "\"function\" must match [a-z0-9][a-z0-9-_]{0,63} (lower-case letters, digits, '-'"
              + " and '_'), got \""
              + abbreviate(String.valueOf(function))
              + "\".");
    }
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
          : " (field \"" + abbreviate(largest) + "\" alone is " + largestSize + " bytes)";
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
              + abbreviate(name)
              + "\"; known environments: "
              + config.environments().keySet()
              + ".");
    }
  }

  private static String abbreviate(String value) {
    String printable = value.replaceAll("[^\\x20-\\x7e]", "?");
    return printable.length() <= 64 ? printable : printable.substring(0, 64) + "...";
  }

  public PromotionRequest withRevision(String resolvedRevision) {
    return new PromotionRequest(function, from, to, resolvedRevision, dryRun, reason);
  }
}
