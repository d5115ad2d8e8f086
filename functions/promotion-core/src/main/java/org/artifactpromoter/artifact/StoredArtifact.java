package org.artifactpromoter.artifact;

import java.time.Instant;
import java.util.Map;

/**
 * One version of an object in an artifact bucket, as HeadObject describes it.
 *
 * @param checksumSha256 the full-object SHA-256 S3 stored (hex), or null when S3 has none or only a
 *     composite one (multipart uploads)
 * @param metadata user metadata without the {@code x-amz-meta-} prefix
 */
public record StoredArtifact(
    String bucket,
    String key,
    String versionId,
    long sizeBytes,
    String eTag,
    String checksumSha256,
    Map<String, String> metadata,
    Instant lastModified) {

  /** The SHA-256 recorded in our metadata at publish time (hex), or null. */
  public String recordedSha256() {
    return metadata.get(ArtifactMetadata.SHA256);
  }

  public String gitRevision() {
    return metadata.get(ArtifactMetadata.GIT_REVISION);
  }

  /** Multipart objects have an ETag of the form "hash-partCount" and no full-object checksum. */
  public boolean multipart() {
    return S3ArtifactStore.isMultipartETag(eTag);
  }

  public ArtifactLocation location() {
    return new ArtifactLocation(bucket, key, versionId);
  }
}
