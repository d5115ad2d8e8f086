package org.artifactpromoter.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.artifactpromoter.json.Json;
import org.artifactpromoter.model.CommitId;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PartRanges;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.promotion.Continuation;

/**
 * What a suspended job carries to its next invocation in CodePipeline's continuation token (at most
 * 2048 characters): the promoter's {@link Continuation}.
 *
 * <p>Compact JSON with short keys, e.g. {@code {"v":1,"ph":"R","rev":"<40 hex>","up":"<upload
 * id>","done":"1-2","n":3,"sv":"<source version id>"}}. The promotion id is not stored: it is
 * derived from the job id on every invocation. The token holds no secret (CodePipeline shows it in
 * the job's details).
 *
 * <p>Nothing in it is trusted: whoever may invoke the function can send any token. A resumed
 * invocation verifies the job with CodePipeline again (the approver comes from there, never from a
 * token; fields such as {@code "by"} that earlier versions wrote are ignored), the token's revision
 * must be the one the job's execution carried, and the source version it pins must still be the
 * release's only version.
 *
 * @param stalls consecutive invocations that made no progress
 */
public record ContinuationToken(Continuation continuation, int stalls) {
  /** CodePipeline's limit on PutJobSuccessResult's continuationToken. */
  public static final int MAX_CHARS = 2048;

  static final int VERSION = 1;

  /** The token text, shrunk to fit {@link #MAX_CHARS}: part ranges go first. */
  public String encode() {
    String token = write(continuation.completedParts().toString());
    if (token.length() > MAX_CHARS) {
      // Only informative: S3's ListParts is the truth when the upload resumes.
      token = write(null);
    }
    if (token.length() > MAX_CHARS) {
      throw new PromotionException(
          ErrorCode.INTERNAL,
          "The copy cannot be continued: its state does not fit CodePipeline's "
              + MAX_CHARS
              + "-character continuation token (upload id of "
              + continuation.uploadId().length()
              + " characters).");
    }
    return token;
  }

  private String write(String parts) {
    ObjectNode node = Json.object();
    node.put("v", VERSION);
    node.put("ph", continuation.phase() == Continuation.Phase.RELEASE ? "R" : "D");
    node.put("rev", continuation.revision());
    node.put("up", continuation.uploadId());
    if (parts != null && !parts.isEmpty()) {
      node.put("done", parts);
    }
    node.put("n", continuation.totalParts());
    if (continuation.sourceVersionId() != null) {
      // Pins the source: a resumed copy whose source is now another version is refused.
      node.put("sv", continuation.sourceVersionId());
    }
    if (stalls > 0) {
      node.put("st", stalls);
    }
    return Json.write(node);
  }

  /**
   * Reads a token this class wrote for the promotion {@code promotionId}; anything else is refused
   * ({@code INTERNAL}: CodePipeline returns tokens unchanged, so it means a bug or a downgrade).
   */
  public static ContinuationToken decode(String token, String promotionId) {
    if (token == null || token.isEmpty() || token.length() > MAX_CHARS) {
      throw unreadable();
    }
    ObjectNode node;
    try {
      node = Json.parseObject(token, "The continuation token");
    } catch (PromotionException e) {
      throw unreadable();
    }
    if (node.path("v").asInt(-1) != VERSION) {
      throw unreadable();
    }
    String phase = text(node, "ph");
    String revision = text(node, "rev");
    String uploadId = text(node, "up");
    PartRanges parts;
    try {
      parts = PartRanges.parse(text(node, "done"));
    } catch (IllegalArgumentException e) {
      throw unreadable();
    }
    JsonNode total = node.get("n");
    JsonNode stalls = node.get("st");
    if (!("R".equals(phase) || "D".equals(phase))
        || !CommitId.isValid(revision)
        || uploadId == null
        || uploadId.isBlank()
        || total == null
        || !total.canConvertToInt()
        || total.intValue() < 1
        || (stalls != null && (!stalls.canConvertToInt() || stalls.intValue() < 0))) {
      throw unreadable();
    }
    return new ContinuationToken(
        new Continuation(
            promotionId,
            revision,
            "R".equals(phase) ? Continuation.Phase.RELEASE : Continuation.Phase.DROP_KEY,
            uploadId,
            parts,
            total.intValue(),
            text(node, "sv")),
        stalls == null ? 0 : stalls.intValue());
  }

  /** Whether {@code next} stands exactly where this token stood: the invocation copied nothing. */
  public boolean sameProgress(Continuation next) {
    return continuation.phase() == next.phase()
        && continuation.uploadId().equals(next.uploadId())
        && continuation.completedParts().equals(next.completedParts());
  }

  private static String text(ObjectNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? value.textValue() : null;
  }

  private static PromotionException unreadable() {
    return new PromotionException(
        ErrorCode.INTERNAL,
        "The job's continuation token was not written by this version of the promoter, so the"
            + " copy it describes cannot be resumed. Retry the action: a new run starts the copy"
            + " again (the abandoned upload is removed by the artifact bucket's lifecycle rule).");
  }
}
