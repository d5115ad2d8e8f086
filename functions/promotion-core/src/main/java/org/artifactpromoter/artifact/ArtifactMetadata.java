package org.artifactpromoter.artifact;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.artifactpromoter.model.PromotionAudit;

/**
 * The S3 user metadata and object tags an artifact carries (README "Artifacts in every artifact
 * bucket"). S3 accepts only ASCII metadata, at most 2 KB in all, and tags of a restricted charset
 * of at most 256 characters: this class is the one place that fits our values into those limits.
 */
public final class ArtifactMetadata {
  public static final String GIT_REVISION = "git-revision";
  public static final String GIT_BRANCH = "git-branch";
  public static final String GIT_REPOSITORY = "git-repository";
  public static final String BUILD_ID = "build-id";
  public static final String SHA256 = "sha256";
  public static final String SOURCE_ENV = "source-env";
  public static final String PROMOTION_ID = "promotion-id";
  public static final String REVISION_SUMMARY = "codepipeline-artifact-revision-summary";
  public static final String APPROVED_BY = "approved-by";
  public static final String PROMOTED_BY = "promoted-by";
  public static final String BREAK_GLASS = "break-glass";
  public static final String PROMOTION_REASON = "promotion-reason";

  public static final String TAG_GIT_REVISION = "git-revision";
  public static final String TAG_PROMOTED_FROM = "promoted-from";
  public static final String TAG_PROMOTION_ID = "promotion-id";
  public static final String TAG_APPROVED_BY = "approved-by";
  public static final String TAG_PROMOTED_BY = "promoted-by";
  public static final String TAG_BREAK_GLASS = "break-glass";

  /** S3's limit on the sum of user metadata key and value bytes. */
  static final int MAX_METADATA_BYTES = 2048;

  static final int MAX_TAG_VALUE = 256;

  private ArtifactMetadata() {}

  /**
   * Metadata for an artifact built from {@code git} with content {@code sha256}. {@code sourceEnv}
   * and {@code promotionId} are null for a freshly published artifact.
   */
  public static Map<String, String> of(
      BuildInfo git, String sha256, String sourceEnv, String promotionId) {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put(GIT_REVISION, encode(git.revision()));
    metadata.put(SHA256, sha256);
    putIfPresent(metadata, SOURCE_ENV, sourceEnv);
    putIfPresent(metadata, PROMOTION_ID, promotionId);
    putIfPresent(metadata, BUILD_ID, git.buildId());
    putIfPresent(metadata, GIT_BRANCH, git.branch());
    putIfPresent(metadata, GIT_REPOSITORY, git.repository());
    // The summary is what CodePipeline shows for an S3 source: it gets whatever room is left.
    String summary = git.shortRevision() + (git.subject().isEmpty() ? "" : " " + git.subject());
    int room = MAX_METADATA_BYTES - size(metadata) - REVISION_SUMMARY.length();
    if (room > 0) {
      metadata.put(REVISION_SUMMARY, fit(summary, room));
    }
    return metadata;
  }

  /** Reads the git facts back from S3 metadata; message is the summary's subject. */
  public static BuildInfo buildInfoOf(Map<String, String> metadata) {
    String summary = metadata.get(REVISION_SUMMARY);
    String message = null;
    if (summary != null) {
      int space = summary.indexOf(' ');
      message = space < 0 ? null : decode(summary.substring(space + 1));
    }
    return new BuildInfo(
        metadata.get(GIT_REVISION),
        decodeOrNull(metadata.get(GIT_BRANCH)),
        decodeOrNull(metadata.get(GIT_REPOSITORY)),
        message,
        decodeOrNull(metadata.get(BUILD_ID)));
  }

  /**
   * Metadata for the copy of {@code source} promoted from {@code sourceEnv}: the build facts are
   * kept, the promotion facts replaced.
   */
  public static Map<String, String> promoted(
      Map<String, String> source, String sourceEnv, String promotionId) {
    return promoted(source, sourceEnv, promotionId, PromotionAudit.NONE, null);
  }

  /**
   * As {@link #promoted(Map, String, String)}, plus who is accountable for this promotion and why
   * (README "Artifacts in every artifact bucket"): metadata cannot be changed after the write, so
   * it is the record {@code history} shows. The accountability of earlier hops is not carried over.
   */
  public static Map<String, String> promoted(
      Map<String, String> source,
      String sourceEnv,
      String promotionId,
      PromotionAudit audit,
      String reason) {
    Map<String, String> metadata = new LinkedHashMap<>();
    // Source values were encoded when they were published: carried over as they are.
    for (String key : new String[] {GIT_REVISION, SHA256, BUILD_ID, GIT_BRANCH, GIT_REPOSITORY}) {
      String value = source.get(key);
      if (value != null && !value.isEmpty()) {
        metadata.put(key, value);
      }
    }
    metadata.put(SOURCE_ENV, encode(sourceEnv));
    metadata.put(PROMOTION_ID, encode(promotionId));
    putIfPresent(metadata, APPROVED_BY, audit.approvedBy());
    putIfPresent(metadata, PROMOTED_BY, audit.promotedBy());
    if (audit.breakGlass()) {
      metadata.put(BREAK_GLASS, "true");
    }
    putIfPresent(metadata, PROMOTION_REASON, reason);
    String summary = source.get(REVISION_SUMMARY);
    if (summary != null) {
      int room = MAX_METADATA_BYTES - size(metadata) - REVISION_SUMMARY.length();
      if (room > 0) {
        // Cut whole characters, never inside an escape ("%E2%8" would decode to garbage).
        metadata.put(
            REVISION_SUMMARY, summary.length() <= room ? summary : fit(decode(summary), room));
      }
    }
    return metadata;
  }

  /** Tags for an artifact; null values are left out. At most 10 tags, as S3 requires. */
  public static Map<String, String> tags(
      String revision, String promotedFrom, String promotionId, String approvedBy) {
    Map<String, String> tags = new LinkedHashMap<>();
    putTag(tags, TAG_GIT_REVISION, revision);
    putTag(tags, TAG_PROMOTED_FROM, promotedFrom);
    putTag(tags, TAG_PROMOTION_ID, promotionId);
    putTag(tags, TAG_APPROVED_BY, approvedBy);
    return tags;
  }

  /**
   * Tags for a promoted artifact: those of {@link #tags(String, String, String, String)} plus
   * promoted-by and break-glass (at most 6 of S3's 10).
   */
  public static Map<String, String> promotionTags(
      String revision, String promotedFrom, String promotionId, PromotionAudit audit) {
    Map<String, String> tags = tags(revision, promotedFrom, promotionId, audit.approvedBy());
    putTag(tags, TAG_PROMOTED_BY, audit.promotedBy());
    if (audit.breakGlass()) {
      tags.put(TAG_BREAK_GLASS, "true");
    }
    return tags;
  }

  /** Reduces a value to S3's tag charset (letters, digits, space, _ . : / = + - @) and length. */
  public static String tagValue(String value) {
    StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_TAG_VALUE));
    value
        .codePoints()
        .limit(MAX_TAG_VALUE)
        .forEach(
            c ->
                out.append(
                    Character.isLetterOrDigit(c) && c < 128 || " _.:/=+-@".indexOf(c) >= 0
                        ? (char) c
                        : '_'));
    return out.toString();
  }

  /**
   * Percent-encodes what S3 metadata cannot hold (non-ASCII, control characters and '%' itself) as
   * UTF-8 bytes, so the original text is recoverable with {@link #decode}.
   */
  public static String encode(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 0x20 && c < 0x7f && c != '%') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        out.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  /**
   * Reverses {@link #encode}. A '%' that does not start an escape is kept as it is: other tools
   * write metadata too (CodePipeline's revision summary is a documented key), e.g. "50% rollout".
   */
  public static String decode(String value) {
    if (value.indexOf('%') < 0) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length());
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < value.length(); i++) {
      int high = i + 2 < value.length() && value.charAt(i) == '%' ? hex(value.charAt(i + 1)) : -1;
      int low = high < 0 ? -1 : hex(value.charAt(i + 2));
      if (low >= 0) {
        bytes.write(high << 4 | low);
        i += 2;
      } else {
        out.append(bytes.toString(StandardCharsets.UTF_8)).append(value.charAt(i));
        bytes.reset();
      }
    }
    return out.append(bytes.toString(StandardCharsets.UTF_8)).toString();
  }

  private static int hex(char c) {
    return c < 128 ? Character.digit(c, 16) : -1;
  }

  /**
   * Encodes and truncates {@code text} to at most {@code maxBytes}, never splitting a character.
   */
  static String fit(String text, int maxBytes) {
    String encoded = encode(text);
    if (encoded.length() <= maxBytes) {
      return encoded;
    }
    String marker = "...";
    int budget = maxBytes - marker.length();
    StringBuilder out = new StringBuilder(maxBytes);
    for (int i = 0; i < text.length(); ) {
      int codePoint = text.codePointAt(i);
      String piece = encode(new String(Character.toChars(codePoint)));
      if (out.length() + piece.length() > budget) {
        break;
      }
      out.append(piece);
      i += Character.charCount(codePoint);
    }
    return out.append(marker, 0, Math.min(marker.length(), Math.max(0, maxBytes - out.length())))
        .toString();
  }

  static int size(Map<String, String> metadata) {
    int total = 0;
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      total += e.getKey().length() + e.getValue().length();
    }
    return total;
  }

  private static void putIfPresent(Map<String, String> metadata, String key, String value) {
    if (value != null && !value.isEmpty()) {
      metadata.put(key, fit(value, 256));
    }
  }

  private static void putTag(Map<String, String> tags, String key, String value) {
    if (value != null && !value.isEmpty()) {
      tags.put(key, tagValue(value));
    }
  }

  private static String decodeOrNull(String value) {
    return value == null ? null : decode(value);
  }
}
