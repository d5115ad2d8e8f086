package org.artifactpromoter.artifact;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

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
      String error) {}

  /** One version of a drop key. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record HistoryEntry(
      String versionId,
      String lastModified,
      boolean latest,
      String revision,
      String sha256,
      String promotionId,
      String sourceEnv,
      String summary) {}

  public static EnvironmentState current(
      S3ArtifactStore store, String environment, String bucket, String function) {
    String key = ArtifactLayout.dropKey(function);
    return store
        .head(bucket, key, null)
        .map(
            drop ->
                new EnvironmentState(
                    environment,
                    bucket,
                    key,
                    drop.versionId(),
                    drop.gitRevision(),
                    drop.recordedSha256(),
                    drop.metadata().get(ArtifactMetadata.PROMOTION_ID),
                    drop.metadata().get(ArtifactMetadata.SOURCE_ENV),
                    drop.lastModified() == null ? null : drop.lastModified().toString(),
                    null))
        .orElse(
            new EnvironmentState(
                environment, bucket, key, null, null, null, null, null, null, null));
  }

  public static List<HistoryEntry> history(S3ArtifactStore store, String bucket, String function) {
    String key = ArtifactLayout.dropKey(function);
    List<HistoryEntry> entries = new ArrayList<>();
    for (var version : store.versions(bucket, key)) {
      var meta = store.head(bucket, key, version.versionId()).map(StoredArtifact::metadata);
      entries.add(
          new HistoryEntry(
              version.versionId(),
              version.lastModified().toString(),
              Boolean.TRUE.equals(version.isLatest()),
              meta.map(m -> m.get(ArtifactMetadata.GIT_REVISION)).orElse(null),
              meta.map(m -> m.get(ArtifactMetadata.SHA256)).orElse(null),
              meta.map(m -> m.get(ArtifactMetadata.PROMOTION_ID)).orElse(null),
              meta.map(m -> m.get(ArtifactMetadata.SOURCE_ENV)).orElse(null),
              meta.map(m -> m.get(ArtifactMetadata.REVISION_SUMMARY))
                  .map(ArtifactMetadata::decode)
                  .orElse(null)));
    }
    return entries;
  }
}
