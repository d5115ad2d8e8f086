package org.artifactpromoter.artifact;

/**
 * What a write produced. {@code checksumSha256} is the full-object SHA-256 S3 computed (hex), or
 * null where S3 only keeps a composite checksum (multipart).
 */
public record WrittenObject(String bucket, String key, String versionId, String checksumSha256) {
  public ArtifactLocation location() {
    return new ArtifactLocation(bucket, key, versionId);
  }
}
