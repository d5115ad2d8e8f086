package org.artifactpromoter.internal;

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
import org.artifactpromoter.promotion.PromotionException;

/** One configured JSON mapper, and strict readers that turn malformed input into clear refusals. */
public final class Json {
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          // "{...} {...}" is two documents; reading only the first would ignore what follows.
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .build();

  private Json() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** Parses {@code text} as a JSON object, or refuses naming {@code what}. */
  public static ObjectNode parseObject(String text, String what) {
    JsonNode node;
    try {
      node = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw PromotionException.invalid(
          what + " is not valid JSON: " + e.getOriginalMessage() + ". Send a JSON object.");
    }
    if (node == null || !node.isObject()) {
      throw PromotionException.invalid(what + " must be a JSON object.");
    }
    return (ObjectNode) node;
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
