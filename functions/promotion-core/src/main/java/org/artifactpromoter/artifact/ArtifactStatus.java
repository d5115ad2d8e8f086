package org.artifactpromoter.artifact;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
      String error) {

    /** The environment's drop key could not be read: {@code error} says why. */
    public static EnvironmentState unreadable(String environment, String bucket, String error) {
      return new EnvironmentState(
          environment, bucket, null, null, null, null, null, null, null, error);
    }

    static EnvironmentState empty(String environment, String bucket, String key) {
      return new EnvironmentState(
          environment, bucket, key, null, null, null, null, null, null, null);
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
          null);
    }
  }

  /**
   * One version of a drop key, with who was accountable for writing it (approver, caller,
   * break-glass, reason: null when not recorded).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record HistoryEntry(
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
      String reason) {}

  public static EnvironmentState current(ArtifactStore store, String environment, String function) {
    String key = ArtifactLayout.dropKey(function);
    return store
        .head(key, null)
        .map(drop -> EnvironmentState.holding(environment, drop))
        .orElse(EnvironmentState.empty(environment, store.bucket(), key));
  }

  public static List<HistoryEntry> history(ArtifactStore store, String function) {
    String key = ArtifactLayout.dropKey(function);
    List<HistoryEntry> entries = new ArrayList<>();
    for (KeyVersions.Entry version : store.versions(key, null).newestFirst()) {
      Optional<Map<String, String>> meta =
          store.head(key, version.versionId()).map(ArtifactVersion::metadata);
      entries.add(
          new HistoryEntry(
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
              decoded(meta, ArtifactMetadata.APPROVED_BY),
              decoded(meta, ArtifactMetadata.PROMOTED_BY),
              meta.map(m -> m.get(ArtifactMetadata.BREAK_GLASS))
                  .map(Boolean::parseBoolean)
                  .orElse(null),
              decoded(meta, ArtifactMetadata.PROMOTION_REASON)));
    }
    return entries;
  }

  private static String decoded(Optional<Map<String, String>> metadata, String key) {
    return metadata.map(m -> m.get(key)).map(ArtifactMetadata::decode).orElse(null);
  }
}
