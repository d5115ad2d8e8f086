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
  private final boolean conditionalWrites;

  /**
   * @param conditionalWrites whether the destination refuses a second write at the key (S3 does):
   *     then the store settles the race, and no listing after the write is needed
   */
  ReleaseWriter(
      ArtifactStore destination,
      PromotionRequest request,
      String revision,
      String sha256,
      boolean conditionalWrites) {
    this.destination = destination;
    this.request = request;
    this.revision = revision;
    this.sha256 = sha256;
    this.conditionalWrites = conditionalWrites;
  }

  /** The release now at the key (ours or an identical one written first), or a suspension. */
  CopyOutcome write(ArtifactStore.Copy copy, TimeBudget budget) {
    String key = copy.target().key();
    try {
      CopyOutcome outcome = destination.copy(copy, budget);
      if (outcome instanceof CopyOutcome.Written written && !conditionalWrites) {
        return new CopyOutcome.Written(firstRelease(written.version()));
      }
      return outcome;
    } catch (PromotionException e) {
      if (e.code() != ErrorCode.CONFLICT) {
        throw e;
      }
      // S3 refused our write (412): another promotion of the same revision wrote the release
      // first. Use it if identical.
      return new CopyOutcome.Written(
          destination
              .head(key, null)
              .filter(r -> sha256.equals(r.recordedSha256()))
              .orElseThrow(() -> e));
    }
  }

  /**
   * First writer wins. S3 refuses the second conditional write (the CONFLICT path), a store that
   * ignores the condition (moto on CopyObject; {@code conditionalWrites: false}) does not. There,
   * after writing, the key's oldest version is the release; if that is not ours, ours is taken back
   * and the other used, provided it holds the same bytes. Only such a store needs the promotion
   * role to delete its own release versions; on S3 this path never runs, and the shipped role may
   * not delete under releases/.
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
