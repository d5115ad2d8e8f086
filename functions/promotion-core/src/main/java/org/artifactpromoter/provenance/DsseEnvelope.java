package org.artifactpromoter.provenance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.artifactpromoter.provenance.ProvenanceException.Reason;

/**
 * A DSSE envelope (github.com/secure-systems-lab/dsse, envelope.md): a payload, its type, and
 * signatures over the pre-authentication encoding (PAE) of both. Signing the PAE rather than the
 * payload binds the type to the bytes, so a signed payload cannot be re-presented as another type.
 */
public final class DsseEnvelope {
  /** The payload type of an in-toto statement. */
  public static final String IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";

  /**
   * Largest envelope read. Ours are about 2 KiB (a 4 KiB PAE at most, as base64, plus a signature);
   * the limit keeps a hostile object in a bucket from costing memory or parse time.
   */
  public static final int MAX_BYTES = 64 * 1024;

  /** More signatures than any honest envelope carries; each costs a verification. */
  public static final int MAX_SIGNATURES = 8;

  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          // Same content, same bytes: the envelope and statement are written with sorted keys.
          .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
          .build();

  private static final Set<String> ENVELOPE_FIELDS = Set.of("payload", "payloadType", "signatures");
  private static final Set<String> SIGNATURE_FIELDS = Set.of("keyid", "sig");

  private final String payloadType;
  private final byte[] payload;
  private final List<Signature> signatures;

  /** One signature; {@code keyId} is an unauthenticated hint and may be empty. */
  public static final class Signature {
    private final String keyId;
    private final byte[] sig;

    public Signature(String keyId, byte[] sig) {
      this.keyId = keyId == null ? "" : keyId;
      this.sig = sig.clone();
    }

    public String keyId() {
      return keyId;
    }

    public byte[] sig() {
      return sig.clone();
    }
  }

  public DsseEnvelope(String payloadType, byte[] payload, List<Signature> signatures) {
    if (signatures.isEmpty()) {
      throw new IllegalArgumentException("a DSSE envelope needs at least one signature");
    }
    this.payloadType = payloadType;
    this.payload = payload.clone();
    this.signatures = List.copyOf(signatures);
  }

  /** Signs {@code payload} of {@code payloadType} with {@code signer}, over the PAE. */
  public static DsseEnvelope sign(String payloadType, byte[] payload, EnvelopeSigner signer) {
    byte[] signature = signer.sign(preAuthenticationEncoding(payloadType, payload));
    return new DsseEnvelope(
        payloadType, payload, List.of(new Signature(signer.keyId(), signature)));
  }

  /**
   * {@code "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body}, where LEN is the byte length in
   * ASCII decimal without leading zeros and the type is UTF-8 encoded.
   */
  public static byte[] preAuthenticationEncoding(String payloadType, byte[] payload) {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(32 + type.length + payload.length);
    out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(type);
    out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(payload);
    return out.toByteArray();
  }

  /** The PAE of this envelope's type and payload: what every signature covers. */
  public byte[] preAuthenticationEncoding() {
    return preAuthenticationEncoding(payloadType, payload);
  }

  public String payloadType() {
    return payloadType;
  }

  public byte[] payload() {
    return payload.clone();
  }

  public List<Signature> signatures() {
    return signatures;
  }

  /** The envelope as JSON (sorted keys, standard padded base64): the object stored in S3. */
  public byte[] toJson() {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("payload", Base64.getEncoder().encodeToString(payload));
    root.put("payloadType", payloadType);
    ArrayNode array = root.putArray("signatures");
    for (Signature signature : signatures) {
      array
          .addObject()
          .put("keyid", signature.keyId)
          .put("sig", Base64.getEncoder().encodeToString(signature.sig));
    }
    try {
      return MAPPER.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings always serialises", e);
    }
  }

  /**
   * Reads at most {@link #MAX_BYTES} from {@code in} and parses them; refuses a longer stream
   * without reading the rest.
   */
  public static DsseEnvelope read(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(MAX_BYTES + 1);
    return parse(bytes);
  }

  /**
   * Parses an envelope strictly: exactly the fields {@code payload}, {@code payloadType}, {@code
   * signatures} ({@code keyid} optional, {@code sig} required in each), strings where strings
   * belong, base64 (standard or URL-safe, as DSSE allows) that decodes, 1 to {@link
   * #MAX_SIGNATURES} signatures, at most {@link #MAX_BYTES}. Nothing is verified here.
   */
  public static DsseEnvelope parse(byte[] json) {
    if (json.length > MAX_BYTES) {
      throw malformed(
          Reason.ENVELOPE_TOO_LARGE,
          "is larger than " + MAX_BYTES + " bytes; an envelope written by publish is about 2 KiB");
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      // The parser's message may quote the input; name only where it broke.
      String where =
          e instanceof JsonProcessingException p && p.getLocation() != null
              ? " (at line "
                  + p.getLocation().getLineNr()
                  + ", column "
                  + p.getLocation().getColumnNr()
                  + ")"
              : "";
      throw malformed(Reason.MALFORMED_ENVELOPE, "is not valid JSON" + where);
    }
    if (root == null || !root.isObject()) {
      throw malformed(Reason.MALFORMED_ENVELOPE, "is not a JSON object");
    }
    requireExactFields(root, ENVELOPE_FIELDS, Set.of("payload", "payloadType", "signatures"), "");
    String payloadType = text(root, "payloadType", "payloadType");
    byte[] payload = base64(text(root, "payload", "payload"), "payload");
    JsonNode signatures = root.get("signatures");
    if (!signatures.isArray()) {
      throw malformed(Reason.MALFORMED_ENVELOPE, "field \"signatures\" must be an array");
    }
    if (signatures.isEmpty() || signatures.size() > MAX_SIGNATURES) {
      throw malformed(
          Reason.MALFORMED_ENVELOPE,
          "must carry 1 to " + MAX_SIGNATURES + " signatures, not " + signatures.size());
    }
    List<Signature> parsed = new ArrayList<>();
    for (int i = 0; i < signatures.size(); i++) {
      JsonNode signature = signatures.get(i);
      String path = "signatures[" + i + "]";
      if (!signature.isObject()) {
        throw malformed(Reason.MALFORMED_ENVELOPE, "field \"" + path + "\" must be an object");
      }
      requireExactFields(signature, SIGNATURE_FIELDS, Set.of("sig"), path + ".");
      String keyId = signature.has("keyid") ? text(signature, "keyid", path + ".keyid") : "";
      byte[] sig = base64(text(signature, "sig", path + ".sig"), path + ".sig");
      if (sig.length == 0) {
        throw malformed(Reason.MALFORMED_ENVELOPE, "field \"" + path + ".sig\" is empty");
      }
      parsed.add(new Signature(keyId, sig));
    }
    return new DsseEnvelope(payloadType, payload, parsed);
  }

  private static void requireExactFields(
      JsonNode node, Set<String> allowed, Set<String> required, String prefix) {
    Set<String> unknown = new TreeSet<>();
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        unknown.add(name);
      }
    }
    if (!unknown.isEmpty()) {
      // Names are not quoted: they are the envelope writer's text. Their count says enough.
      throw malformed(
          Reason.MALFORMED_ENVELOPE,
          "has "
              + unknown.size()
              + " unknown field(s) "
              + (prefix.isEmpty()
                  ? "at the top level"
                  : "in " + prefix.substring(0, prefix.length() - 1))
              + "; allowed are "
              + new TreeSet<>(allowed));
    }
    for (String field : new TreeSet<>(required)) {
      if (!node.has(field)) {
        throw malformed(Reason.MALFORMED_ENVELOPE, "is missing \"" + prefix + field + "\"");
      }
    }
  }

  private static String text(JsonNode node, String field, String path) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw malformed(Reason.MALFORMED_ENVELOPE, "field \"" + path + "\" must be a string");
    }
    return value.textValue();
  }

  private static byte[] base64(String text, String path) {
    try {
      return text.indexOf('-') >= 0 || text.indexOf('_') >= 0
          ? Base64.getUrlDecoder().decode(text)
          : Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw malformed(Reason.MALFORMED_ENVELOPE, "field \"" + path + "\" is not valid base64");
    }
  }

  private static ProvenanceException malformed(Reason reason, String what) {
    return new ProvenanceException(
        reason,
        "The provenance envelope "
            + what
            + ". It is not an envelope as publish writes them: treat the release as untrusted,"
            + " find out who wrote the envelope, and promote a build that publish signed.");
  }
}
