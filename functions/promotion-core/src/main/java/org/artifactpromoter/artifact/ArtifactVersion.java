package org.artifactpromoter.artifact;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.artifactpromoter.model.ObjectVersion;

/**
 * One version of an artifact in a bucket, as the store describes it.
 *
 * @param checksumSha256 the full-object SHA-256 the store computed over the bytes (hex), or null
 *     when it has none or only a composite one (multipart uploads)
 * @param multipart whether the object was written in parts, so that only a composite checksum
 *     exists
 * @param metadata user metadata without the {@code x-amz-meta-} prefix
 * @param lastModified when the version was written, or null when the store did not say
 * @param eTag the store's entity tag of the version (opaque), or null when it did not say
 */
public record ArtifactVersion(
    ObjectVersion location,
    long sizeBytes,
    String checksumSha256,
    boolean multipart,
    Map<String, String> metadata,
    Instant lastModified,
    String eTag) {

  public ArtifactVersion {
    // Kept in their order: it is the order the headers are sent and the tags listed.
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  public String bucket() {
    return location.bucket();
  }

  public String key() {
    return location.key();
  }

  public String versionId() {
    return location.versionId();
  }

  /** The SHA-256 recorded in our metadata at publish time (hex), or null. */
  public String recordedSha256() {
    return metadata.get(ArtifactMetadata.SHA256);
  }

  public String gitRevision() {
    return metadata.get(ArtifactMetadata.GIT_REVISION);
  }

  /**
   * Whether this version holds {@code revision} with {@code sha256}: its metadata says so and,
   * unless it was written in parts (which leaves only a composite checksum), the store's own
   * SHA-256 of its bytes agrees. Metadata is whatever the key's writer set: a version that claims a
   * revision over other bytes, or without a checksum to show, holds nothing.
   */
  public boolean holds(String revision, String sha256) {
    return revision.equals(gitRevision())
        && sha256.equals(recordedSha256())
        && (multipart || sha256.equals(checksumSha256));
  }
}
