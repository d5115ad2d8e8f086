package org.artifactpromoter.promotion;

import static org.artifactpromoter.artifact.ArtifactLayout.releaseKey;

import org.artifactpromoter.artifact.ArtifactStore;
import org.artifactpromoter.artifact.ArtifactVersion;
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
}
