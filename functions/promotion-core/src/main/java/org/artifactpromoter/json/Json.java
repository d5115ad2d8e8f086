package org.artifactpromoter.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.artifactpromoter.model.PromotionException;

/** One configured JSON mapper, and strict readers that turn malformed input into clear refusals. */
public final class Json {
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          // "{...} {...}" is two documents; reading only the first would ignore what follows.
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .build();

  private static final Pattern UNRECOGNIZED_TOKEN =
      Pattern.compile("Unrecognized token '.*?'(?=: was expecting)", Pattern.DOTALL);
  private static final Pattern NUMBER_TEXT = Pattern.compile("\\([-+0-9.eE]{12,}\\)");

  private Json() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /**
   * Parses {@code text} as a JSON object, or refuses naming {@code what}. The refusal never quotes
   * the input: the text may hold secrets (a job event's {@code artifactCredentials}, a
   * configuration's {@code externalId}), and the parser's own message would repeat a malformed
   * token verbatim. It points at the line and column instead.
   */
  public static ObjectNode parseObject(String text, String what) {
    return parseObject(text, what, false);
  }

  /**
   * As {@link #parseObject(String, String)}; with {@code quoteInput} the refusal repeats the
   * offending token, for text that holds no secret and is easier to fix when quoted (an Invoke
   * action's UserParameters, which CodePipeline shows in its console anyway).
   */
  public static ObjectNode parseObject(String text, String what, boolean quoteInput) {
    JsonNode node;
    try {
      node = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw PromotionException.invalid(
          what
              + " is not valid JSON: "
              + (quoteInput ? e.getOriginalMessage() : withoutInput(e))
              + ". Send a JSON object.");
    }
    if (node == null || !node.isObject()) {
      throw PromotionException.invalid(what + " must be a JSON object.");
    }
    return (ObjectNode) node;
  }

  /**
   * The parser's message without the input it quotes: an unrecognised token ({@code 'itSecret...'})
   * and long numbers are dropped; field names (duplicates) are kept, as they say what to fix.
   */
  private static String withoutInput(JsonProcessingException e) {
    String message = String.valueOf(e.getOriginalMessage());
    message = UNRECOGNIZED_TOKEN.matcher(message).replaceAll("Unrecognized token");
    message = NUMBER_TEXT.matcher(message).replaceAll("(a number)");
    JsonLocation at = e.getLocation();
    return at == null || at.getLineNr() < 1
        ? message
        : message + " (at line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
  }

  /** Refuses any field of {@code node} not in {@code allowed}, naming them and the allowed set. */
  public static void refuseUnknownFields(JsonNode node, Set<String> allowed, String what) {
    Set<String> unknown = new TreeSet<>();
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        unknown.add(name);
      }
    }
    if (!unknown.isEmpty()) {
      throw PromotionException.invalid(
          what
              + " has unknown field(s) "
              + unknown
              + "; allowed fields are "
              + new TreeSet<>(allowed)
              + ".");
    }
  }

  /** A required string field, or a refusal naming it. */
  public static String requiredString(JsonNode node, String field, String what) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw PromotionException.invalid(what + " is missing \"" + field + "\".");
    }
    if (!value.isTextual()) {
      throw PromotionException.invalid(what + " field \"" + field + "\" must be a string.");
    }
    return value.textValue();
  }

  /** An optional string field: null when absent or JSON null. */
  public static String optionalString(JsonNode node, String field, String what) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw PromotionException.invalid(what + " field \"" + field + "\" must be a string.");
    }
    return value.textValue();
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  public static String writePretty(Object value) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }
}
