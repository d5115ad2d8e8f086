package org.artifactpromoter.artifact;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.artifactpromoter.deployed.DeployedCode;

/** What revision each environment's drop key holds, and what it held before. */
public final class ArtifactStatus {
  private ArtifactStatus() {}

  /** One environment's drop key now; {@code error} set instead when it could not be read. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record EnvironmentState(
      String environment,
      String bucket,
      String key,
      String versionId,
      String revision,
      String sha256,
      String promotionId,
      String sourceEnv,
      String lastModified,
      String error,
      DeployedCode deployed) {

    /** The environment's drop key could not be read: {@code error} says why. */
    public static EnvironmentState unreadable(String environment, String bucket, String error) {
      return new EnvironmentState(
          environment, bucket, null, null, null, null, null, null, null, error, null);
    }

    static EnvironmentState empty(String environment, String bucket, String key) {
      return new EnvironmentState(
          environment, bucket, key, null, null, null, null, null, null, null, null);
    }

    /** This state with what the environment's deployed function runs, compared with it. */
    public EnvironmentState withDeployed(DeployedCode code) {
      return new EnvironmentState(
          environment,
          bucket,
          key,
          versionId,
          revision,
          sha256,
          promotionId,
          sourceEnv,
          lastModified,
          error,
          code);
    }

    static EnvironmentState holding(String environment, ArtifactVersion drop) {
      return new EnvironmentState(
          environment,
          drop.bucket(),
          drop.key(),
          drop.versionId(),
          drop.gitRevision(),
          drop.recordedSha256(),
          drop.metadata().get(ArtifactMetadata.PROMOTION_ID),
          drop.metadata().get(ArtifactMetadata.SOURCE_ENV),
          drop.lastModified() == null ? null : drop.lastModified().toString(),
          null,
          null);
    }
  }

  /**
   * One version of a drop key.
   *
   * @param environment the environment whose drop key it is
   * @param approvedBy the Manual approval's approver (tag {@code approved-by}), where recorded
   * @param promotedBy the caller who promoted by hand (tag {@code promoted-by}), where recorded
   * @param breakGlass {@code true} for a break-glass promotion (tag {@code break-glass}); absent
   *     otherwise
   * @param reason why (metadata {@code promotion-reason}), where recorded
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record HistoryEntry(
      String environment,
      String versionId,
      String lastModified,
      boolean latest,
      String revision,
      String sha256,
      String promotionId,
      String sourceEnv,
      String summary,
      String approvedBy,
      String promotedBy,
      Boolean breakGlass,
      String reason) {

    /** When the version was stored; null when the listing did not say. */
    Instant storedAt() {
      try {
        return lastModified == null ? null : Instant.parse(lastModified);
      } catch (DateTimeParseException notATime) {
        return null;
      }
    }
  }

  private static String decoded(Optional<Map<String, String>> metadata, String key) {
    return metadata.map(m -> m.get(key)).map(ArtifactMetadata::decode).orElse(null);
  }

  public static EnvironmentState current(ArtifactStore store, String environment, String function) {
    String key = ArtifactLayout.dropKey(function);
    return store
        .head(key, null)
        .map(drop -> EnvironmentState.holding(environment, drop))
        .orElse(EnvironmentState.empty(environment, store.bucket(), key));
  }

  /** The versions of {@code environment}'s drop key of {@code function}, newest first. */
  public static List<HistoryEntry> history(
      ArtifactStore store, String environment, String function) {
    String key = ArtifactLayout.dropKey(function);
    List<HistoryEntry> entries = new ArrayList<>();
    for (KeyVersions.Entry version : store.versions(key, null).newestFirst()) {
      Optional<Map<String, String>> meta =
          store.head(key, version.versionId()).map(ArtifactVersion::metadata);
      entries.add(
          new HistoryEntry(
              environment,
              version.versionId(),
              String.valueOf(version.lastModified()),
              version.latest(),
              meta.map(m -> m.get(ArtifactMetadata.GIT_REVISION)).orElse(null),
              meta.map(m -> m.get(ArtifactMetadata.SHA256)).orElse(null),
              meta.map(m -> m.get(ArtifactMetadata.PROMOTION_ID)).orElse(null),
              meta.map(m -> m.get(ArtifactMetadata.SOURCE_ENV)).orElse(null),
              meta.map(m -> m.get(ArtifactMetadata.REVISION_SUMMARY))
                  .map(ArtifactMetadata::decode)
                  .orElse(null),
              // Metadata, not tags: metadata cannot be changed after the write, tags can.
              decoded(meta, ArtifactMetadata.APPROVED_BY),
              decoded(meta, ArtifactMetadata.PROMOTED_BY),
              meta.map(m -> m.get(ArtifactMetadata.BREAK_GLASS))
                  .map(Boolean::parseBoolean)
                  .orElse(null),
              decoded(meta, ArtifactMetadata.PROMOTION_REASON)));
    }
    return entries;
  }

  /**
   * Several environments' histories as one timeline, newest first. Each list keeps its own order
   * (the store's, which is the order versions were written; S3's LastModified has one-second
   * resolution and would shuffle quick successive promotions); between lists the later time wins.
   * On a tie to the second, the list given later wins: callers pass environments in configuration
   * order, which is the order promotions flow (dev, stage, prod), so a revision that reached prod
   * in the same second it reached stage is listed in prod first. A version without a time comes
   * after those with one.
   */
  public static List<HistoryEntry> merged(List<List<HistoryEntry>> histories) {
    List<HistoryEntry> timeline = new ArrayList<>();
    int[] next = new int[histories.size()];
    while (true) {
      int pick = -1;
      for (int i = 0; i < histories.size(); i++) {
        if (next[i] >= histories.get(i).size()) {
          continue;
        }
        if (pick < 0
            || !earlier(histories.get(i).get(next[i]), histories.get(pick).get(next[pick]))) {
          pick = i;
        }
      }
      if (pick < 0) {
        return timeline;
      }
      timeline.add(histories.get(pick).get(next[pick]++));
    }
  }

  /** Whether {@code candidate} is older than {@code current} (untimed counts as oldest). */
  private static boolean earlier(HistoryEntry candidate, HistoryEntry current) {
    Instant a = candidate.storedAt();
    Instant b = current.storedAt();
    if (a == null) {
      return b != null;
    }
    return b != null && a.isBefore(b);
  }
}
