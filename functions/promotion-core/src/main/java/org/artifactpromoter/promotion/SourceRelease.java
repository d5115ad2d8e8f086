package org.artifactpromoter.promotion;

import static org.artifactpromoter.artifact.ArtifactLayout.releaseKey;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.artifactpromoter.artifact.ArtifactStore;
import org.artifactpromoter.artifact.ArtifactVersion;
import org.artifactpromoter.artifact.KeyVersions;
import org.artifactpromoter.artifact.Sha256;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;

/** Finds the source's release of a revision and checks it is what it says it is. */
final class SourceRelease {
  private SourceRelease() {}

  static ArtifactVersion verified(PromotionRequest request, ArtifactStore source, String wanted) {
    String function = request.function();
    String key = releaseKey(function, wanted);
    ArtifactVersion release =
        source
            .head(key, null)
            .orElseThrow(
                () ->
                    new PromotionException(
                        ErrorCode.REVISION_NOT_FOUND,
                        "Revision "
                            + wanted
                            + " of "
                            + function
                            + " is not in "
                            + request.from()
                            + " (no s3://"
                            + source.bucket()
                            + "/"
                            + key
                            + "). `artifact-promoter history --function "
                            + function
                            + " --env "
                            + request.from()
                            + "` lists the revisions it holds."));
    if (!wanted.equals(release.gitRevision())) {
      throw new PromotionException(
          ErrorCode.INTEGRITY_MISMATCH,
          "s3://"
              + source.bucket()
              + "/"
              + key
              + " says it is revision "
              + release.gitRevision()
              + " in its git-revision metadata. Releases are written only by `artifact-promoter`;"
              + " find out who wrote this object, and republish the revision.");
    }
    verifyBytes(release);
    return release;
  }

  /** The release must say what it is, and the store's own checksum of its bytes must agree. */
  private static void verifyBytes(ArtifactVersion release) {
    String recorded = release.recordedSha256();
    String where = release.location().uri();
    if (!Sha256.isHex(recorded)) {
      throw new PromotionException(
          ErrorCode.INTEGRITY_MISMATCH,
          where
              + " has no recorded sha256 metadata. Republish it with `artifact-promoter publish`.");
    }
    if (release.checksumSha256() != null && !release.checksumSha256().equals(recorded)) {
      throw new PromotionException(
          ErrorCode.INTEGRITY_MISMATCH,
          where
              + " (version "
              + release.versionId()
              + ") holds bytes with SHA-256 "
              + release.checksumSha256()
              + ", not the "
              + recorded
              + " recorded at build time. Nothing was promoted. Rebuild and republish; do not"
              + " promote it.");
    }
    if (release.checksumSha256() == null && !release.multipart()) {
      throw new PromotionException(
          ErrorCode.INTEGRITY_MISMATCH,
          where
              + " has no S3 SHA-256 checksum to verify its bytes against. Republish it with"
              + " `artifact-promoter publish`, which stores one.");
    }
  }

  /**
   * A multipart release has only a composite checksum, which says nothing about the whole: its
   * bytes are read and hashed before anything is written, so that a package with a changed byte and
   * the right size never reaches the destination (BENCHMARKS.md gives the cost).
   */
  static void proveWhole(ArtifactStore store, ArtifactVersion release) {
    if (release.checksumSha256() != null) {
      return;
    }
    String actual;
    try (InputStream in = store.open(release)) {
      actual = Sha256.hexOf(in);
    } catch (IOException e) {
      throw new PromotionException(
          ErrorCode.INTERNAL,
          "Reading " + release.location().uri() + " to verify its bytes failed: " + e,
          e);
    }
    if (!actual.equals(release.recordedSha256())) {
      throw new PromotionException(
          ErrorCode.INTEGRITY_MISMATCH,
          release.location().uri()
              + " (version "
              + release.versionId()
              + ", written in parts) holds bytes with SHA-256 "
              + actual
              + ", not the "
              + release.recordedSha256()
              + " recorded at build time. Nothing was promoted. Rebuild and republish; do not"
              + " promote it.");
    }
  }

  /**
   * The release is the first version of its key, and the only one: a second version written at a
   * release key (by anyone, after the pipeline deployed and tested the first) is refused rather
   * than promoted instead of what was tested.
   */
  static void requireOnlyVersion(KeyVersions versions, ArtifactVersion release) {
    List<String> ids = versions.versionIds();
    if (ids.size() <= 1 && !versions.deleteMarkers()) {
      return;
    }
    throw new PromotionException(
        ErrorCode.CONFLICT,
        release.location().uri()
            + " holds "
            + ids.size()
            + " versions "
            + ids
            + (versions.deleteMarkers() ? " and a delete marker" : "")
            + " (newest first). A release is written once; a second version means someone wrote"
            + " over it after the pipeline deployed and tested the first. Nothing was promoted."
            + " Find out who wrote it, and republish the revision as a new commit.");
  }

  /**
   * A pipeline execution deployed and tested the drop-key version it carries: the release promoted
   * must hold the same bytes (by the store's own SHA-256 where it has one for both).
   */
  static void requireCarriedBytes(ArtifactVersion carried, ArtifactVersion release) {
    String carriedSha = carried.checksumSha256();
    String releaseSha =
        release.checksumSha256() != null ? release.checksumSha256() : release.recordedSha256();
    boolean same =
        release.gitRevision().equals(carried.gitRevision())
            && (carriedSha != null
                ? carriedSha.equals(releaseSha)
                : releaseSha.equals(carried.recordedSha256())
                    && carried.sizeBytes() == release.sizeBytes());
    if (!same) {
      throw new PromotionException(
          ErrorCode.CONFLICT,
          "The pipeline execution deployed version "
              + carried.versionId()
              + " of "
              + carried.location().uri()
              + " (revision "
              + carried.gitRevision()
              + ", SHA-256 "
              + (carriedSha != null ? carriedSha : carried.recordedSha256())
              + "), but "
              + release.location().uri()
              + " (version "
              + release.versionId()
              + ") holds SHA-256 "
              + releaseSha
              + ". Only what the pipeline tested is promoted; nothing was written. Re-run the"
              + " pipeline from its source stage.");
    }
  }
}
