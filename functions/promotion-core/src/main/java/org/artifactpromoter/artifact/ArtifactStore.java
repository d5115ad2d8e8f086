package org.artifactpromoter.artifact;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * One artifact bucket, acting as one identity (an account's promotion role, or the build's own
 * credentials). The promotion workflow, the build step's publish and the status reads see buckets
 * only through this port; {@code org.artifactpromoter.aws} implements it on S3.
 *
 * <p>Failures are {@link org.artifactpromoter.model.PromotionException}s that name the bucket, the
 * key and what to check. Writes are atomic at their key: a version appears whole or not at all.
 */
public interface ArtifactStore {
  /** The bucket's name. */
  String bucket();

  /** The version (the current one when {@code versionId} is null), or empty if absent. */
  Optional<ArtifactVersion> head(String key, String versionId);

  /** The tags of one version. */
  Map<String, String> tags(String key, String versionId);

  /**
   * The versions of exactly {@code key}, newest first. Listing may stop after the version {@code
   * stopAfter} (one known to be older than every version the caller cares about); null lists all.
   */
  KeyVersions versions(String key, String stopAfter);

  /**
   * The current version of a small object and its bytes, in one request, or empty if absent. At
   * most {@code maxBytes + 1} bytes are read, so a caller can tell an oversized object.
   */
  Optional<SmallObject> readSmall(String key, int maxBytes);

  /** The bytes of one version; the caller closes the stream. */
  InputStream open(ArtifactVersion version);

  /**
   * Writes {@code copy.source()} to {@code copy.target()} in this bucket. The bytes must hash to
   * the target's expected SHA-256, or the version written is taken back and the copy refused with
   * {@code INTEGRITY_MISMATCH}. A large copy may stop between parts when {@code budget} runs out:
   * that is the {@link CopyOutcome.Suspended} outcome, resumed by a later call with its upload id.
   */
  CopyOutcome copy(Copy copy, TimeBudget budget);

  /** Uploads {@code file}; the store verifies its SHA-256 against {@code write}'s. */
  ArtifactVersion put(ArtifactWrite write, Path file);

  /** Uploads {@code bytes} (a small document); the store verifies its SHA-256 as above. */
  ArtifactVersion put(ArtifactWrite write, byte[] bytes);

  /** Abandons an unfinished multipart upload to {@code key}; one already gone is not an error. */
  void abortUpload(String key, String uploadId);

  /**
   * Removes exactly one version, permanently: used only to take back a version this promotion wrote
   * (one that lost a race to another promotion's write). A version already gone is not an error.
   */
  void deleteVersion(String key, String versionId);

  /**
   * One copy into this store.
   *
   * @param from the store that holds {@code source}: this one, or another account's
   * @param source the exact source version, already checked against the target's expected SHA-256
   * @param resumeUploadId the multipart upload a suspended copy left open, or null to start afresh
   */
  record Copy(
      ArtifactStore from, ArtifactVersion source, ArtifactWrite target, String resumeUploadId) {}
}
