package org.artifactpromoter.artifact;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One object to write into a store: where, with which recorded SHA-256, metadata and tags. The
 * store adds its own encryption settings.
 *
 * @param expectedSha256 the SHA-256 (hex) the written bytes must have; the store refuses and takes
 *     back a version whose bytes hash otherwise
 * @param ifAbsent write only if the key does not exist yet (release objects)
 * @param ifMatch write only if the key's current version still has this ETag (the drop key, when
 *     the store settles races: see {@code DropKeyWriter}), or null
 */
public record ArtifactWrite(
    String key,
    String expectedSha256,
    Map<String, String> metadata,
    Map<String, String> tags,
    boolean ifAbsent,
    String ifMatch) {

  /** Without an ETag to match. */
  public ArtifactWrite(
      String key,
      String expectedSha256,
      Map<String, String> metadata,
      Map<String, String> tags,
      boolean ifAbsent) {
    this(key, expectedSha256, metadata, tags, ifAbsent, null);
  }

  public ArtifactWrite {
    if (ifAbsent && ifMatch != null) {
      throw new IllegalArgumentException("a write is either if absent or if matching, not both");
    }
    // Kept in their order: it is the order the headers are sent and the tags listed.
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
  }

  /**
   * This write, made only if the key is still as {@code seen} left it: its ETag unchanged, or still
   * absent when nothing was seen. (A version whose store gave no ETag cannot be matched; S3 always
   * gives one.)
   */
  public ArtifactWrite onlyIfStillAt(java.util.Optional<ArtifactVersion> seen) {
    return seen.isPresent() && seen.get().eTag() != null
        ? new ArtifactWrite(key, expectedSha256, metadata, tags, false, seen.get().eTag())
        : new ArtifactWrite(key, expectedSha256, metadata, tags, seen.isEmpty(), null);
  }
}
