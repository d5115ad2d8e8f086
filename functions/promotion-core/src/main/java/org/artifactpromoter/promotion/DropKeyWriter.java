package org.artifactpromoter.promotion;

import java.lang.System.Logger.Level;
import java.util.Optional;
import org.artifactpromoter.artifact.ArtifactMetadata;
import org.artifactpromoter.artifact.ArtifactStore;
import org.artifactpromoter.artifact.ArtifactVersion;
import org.artifactpromoter.artifact.CopyOutcome;
import org.artifactpromoter.artifact.TimeBudget;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;

/**
 * Writes a new version of the destination's drop key, the last step of a promotion. When the same
 * promotion ran at the same time and delivered the revision while this one ran, the pipeline gets
 * one delivery, not two:
 *
 * <ul>
 *   <li>on a store that settles races ({@code conditionalWrites}: S3), the write is conditional on
 *       the drop key still being the version seen before ({@code If-Match} its ETag, or {@code
 *       If-None-Match: *} when there was none). If S3 refuses it, the key is read again: holding
 *       this revision, another promotion delivered it and nothing of ours was written; holding
 *       another, the write is made again on top of it (the last promotion wins, as without the
 *       condition). No listing follows the write;
 *   <li>on a store that ignores the condition (moto), the key's versions are listed after writing,
 *       and ours is taken back if another promotion wrote the revision just before it.
 * </ul>
 */
final class DropKeyWriter {
  private static final System.Logger LOG = System.getLogger(DropKeyWriter.class.getName());

  /** Writes refused because the drop key moved on, before giving up: each is another delivery. */
  static final int MAX_CONDITIONAL_ATTEMPTS = 3;

  private final ArtifactStore destination;
  private final String promotionId;
  private final String revision;
  private final String sha256;
  private final boolean conditionalWrites;

  DropKeyWriter(
      ArtifactStore destination,
      String promotionId,
      String revision,
      String sha256,
      boolean conditionalWrites) {
    this.destination = destination;
    this.promotionId = promotionId;
    this.revision = revision;
    this.sha256 = sha256;
    this.conditionalWrites = conditionalWrites;
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
    if (conditionalWrites) {
      return writeIfUnchanged(copy, budget, before);
    }
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

  /** The store settles the race: see the class comment. */
  private Outcome writeIfUnchanged(
      ArtifactStore.Copy copy, TimeBudget budget, Optional<ArtifactVersion> before) {
    Optional<ArtifactVersion> seen = before;
    for (int attempt = 1; ; attempt++) {
      ArtifactStore.Copy conditional =
          new ArtifactStore.Copy(
              copy.from(),
              copy.source(),
              copy.target().onlyIfStillAt(seen),
              attempt == 1 ? copy.resumeUploadId() : null);
      try {
        CopyOutcome outcome = destination.copy(conditional, budget);
        if (outcome instanceof CopyOutcome.Suspended suspended) {
          return new Suspended(suspended);
        }
        return new Delivered(((CopyOutcome.Written) outcome).version());
      } catch (PromotionException refused) {
        if (refused.code() != ErrorCode.CONFLICT) {
          throw refused;
        }
        // The drop key moved on since it was read: S3 wrote nothing of ours.
        seen = destination.head(copy.target().key(), null);
        if (seen.isPresent() && seen.get().holds(revision, sha256)) {
          LOG.log(
              Level.INFO,
              "promotion {0} of revision {1} wrote no drop-key version of {2}: promotion {3}"
                  + " delivered it while this one ran",
              promotionId,
              revision,
              copy.target().key(),
              seen.get().metadata().get(ArtifactMetadata.PROMOTION_ID));
          return new DeliveredByAnother(seen.get());
        }
        if (attempt == MAX_CONDITIONAL_ATTEMPTS) {
          throw new PromotionException(
              ErrorCode.CONFLICT,
              "s3://"
                  + destination.bucket()
                  + "/"
                  + copy.target().key()
                  + " changed "
                  + attempt
                  + " times while this promotion wrote it (other promotions delivered other"
                  + " revisions meanwhile); nothing of this one was written. Run it again once"
                  + " they are done.",
              refused);
        }
      }
    }
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
