package org.artifactpromoter.promotion;

import org.artifactpromoter.artifact.ArtifactStore;
import org.artifactpromoter.artifact.ArtifactVersion;
import org.artifactpromoter.artifact.CopyOutcome;
import org.artifactpromoter.artifact.TimeBudget;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;

/**
 * Writes the destination's release of a revision, once. Two promotions of one revision at the same
 * time can both find no release and both write one; this settles which one stays.
 */
final class ReleaseWriter {
  private final ArtifactStore destination;
  private final PromotionRequest request;
  private final String revision;
  private final String sha256;

  ReleaseWriter(
      ArtifactStore destination, PromotionRequest request, String revision, String sha256) {
    this.destination = destination;
    this.request = request;
    this.revision = revision;
    this.sha256 = sha256;
  }

  /** The release now at the key (ours or an identical one written first), or a suspension. */
  CopyOutcome write(ArtifactStore.Copy copy, TimeBudget budget) {
    String key = copy.target().key();
    try {
      CopyOutcome outcome = destination.copy(copy, budget);
      if (outcome instanceof CopyOutcome.Written written) {
        return new CopyOutcome.Written(firstRelease(written.version()));
      }
      return outcome;
    } catch (PromotionException e) {
      if (e.code() != ErrorCode.CONFLICT) {
        throw e;
      }
      // Another promotion of the same revision wrote the release first: use it if identical.
      return new CopyOutcome.Written(
          destination
              .head(key, null)
              .filter(r -> sha256.equals(r.recordedSha256()))
              .orElseThrow(() -> e));
    }
  }

  /**
   * First writer wins. S3 refuses the second conditional write (the CONFLICT path), an emulator may
   * not. So after writing, the key's oldest version is the release; if that is not ours, ours is
   * taken back and the other used, provided it holds the same bytes.
   */
  private ArtifactVersion firstRelease(ArtifactVersion ours) {
    if (ours.versionId() == null) {
      // An unversioned bucket keeps one object per key: nothing to compare, nothing to take back.
      return ours;
    }
    String first = WriteRaces.releaseWinner(destination.versions(ours.key(), null));
    if (first == null || first.equals(ours.versionId())) {
      return ours;
    }
    destination.deleteVersion(ours.key(), ours.versionId());
    ArtifactVersion winner =
        destination
            .head(ours.key(), first)
            .orElseThrow(
                () ->
                    new PromotionException(
                        ErrorCode.CONFLICT,
                        ours.location().uri()
                            + " was written by another promotion at the same time and then"
                            + " removed; retry."));
    if (!sha256.equals(winner.recordedSha256())) {
      throw conflict(request, revision, winner, sha256);
    }
    return winner;
  }

  /** The destination already holds {@code existing} for this revision, with other bytes. */
  static PromotionException conflict(
      PromotionRequest request, String revision, ArtifactVersion existing, String sha256) {
    return new PromotionException(
        ErrorCode.CONFLICT,
        existing.location().uri()
            + " already holds revision "
            + revision
            + " with SHA-256 "
            + existing.recordedSha256()
            + ", but "
            + request.from()
            + " has "
            + sha256
            + ". Releases are immutable: find out why the same commit built different bytes.");
  }
}
