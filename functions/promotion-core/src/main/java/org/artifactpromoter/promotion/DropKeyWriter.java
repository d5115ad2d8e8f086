package org.artifactpromoter.promotion;

import java.lang.System.Logger.Level;
import java.util.Optional;
import org.artifactpromoter.artifact.ArtifactMetadata;
import org.artifactpromoter.artifact.ArtifactStore;
import org.artifactpromoter.artifact.ArtifactVersion;
import org.artifactpromoter.artifact.CopyOutcome;
import org.artifactpromoter.artifact.TimeBudget;

/**
 * Writes a new version of the destination's drop key, the last step of a promotion. When the same
 * promotion ran at the same time and delivered the revision while this one ran, this one's version
 * is taken back: the pipeline gets one delivery, not two.
 */
final class DropKeyWriter {
  private static final System.Logger LOG = System.getLogger(DropKeyWriter.class.getName());

  private final ArtifactStore destination;
  private final String promotionId;
  private final String revision;
  private final String sha256;

  DropKeyWriter(ArtifactStore destination, String promotionId, String revision, String sha256) {
    this.destination = destination;
    this.promotionId = promotionId;
    this.revision = revision;
    this.sha256 = sha256;
  }

  /** What writing the drop key came to. */
  sealed interface Outcome {}

  /** Ours is the drop key's new version. */
  record Delivered(ArtifactVersion drop) implements Outcome {}

  /** Another promotion delivered the revision meanwhile; ours was taken back. */
  record DeliveredByAnother(ArtifactVersion drop) implements Outcome {}

  /** The copy stopped between parts. */
  record Suspended(CopyOutcome.Suspended copy) implements Outcome {}

  /**
   * @param before the drop-key version seen before deciding to write (it did not hold the
   *     revision), or empty
   */
  Outcome write(ArtifactStore.Copy copy, TimeBudget budget, Optional<ArtifactVersion> before) {
    CopyOutcome outcome = destination.copy(copy, budget);
    if (outcome instanceof CopyOutcome.Suspended suspended) {
      return new Suspended(suspended);
    }
    ArtifactVersion drop = ((CopyOutcome.Written) outcome).version();
    Optional<ArtifactVersion> meanwhile = deliveredMeanwhile(drop, before);
    if (meanwhile.isEmpty()) {
      return new Delivered(drop);
    }
    destination.deleteVersion(drop.key(), drop.versionId());
    LOG.log(
        Level.INFO,
        "promotion {0} of revision {1} took back drop-key version {2} of {3}: promotion {4}"
            + " delivered it while this one ran",
        promotionId,
        revision,
        drop.versionId(),
        drop.key(),
        meanwhile.get().metadata().get(ArtifactMetadata.PROMOTION_ID));
    return new DeliveredByAnother(meanwhile.get());
  }

  /**
   * The drop-key version another promotion wrote with this revision and SHA-256 while ours ran,
   * just before our {@code drop}; empty if there is none. See {@link
   * WriteRaces#deliveredMeanwhile}.
   */
  private Optional<ArtifactVersion> deliveredMeanwhile(
      ArtifactVersion drop, Optional<ArtifactVersion> before) {
    String seen = before.map(ArtifactVersion::versionId).orElse(null);
    return WriteRaces.deliveredMeanwhile(
            destination.versions(drop.key(), seen), drop.versionId(), seen)
        .flatMap(version -> destination.head(drop.key(), version))
        .filter(previous -> previous.holds(revision, sha256));
  }
}
