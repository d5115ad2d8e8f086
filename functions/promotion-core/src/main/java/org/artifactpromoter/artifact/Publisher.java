package org.artifactpromoter.artifact;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.artifactpromoter.model.CommitId;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.FunctionName;
import org.artifactpromoter.model.ObjectVersion;
import org.artifactpromoter.model.PromotionException;

/**
 * The build step's upload: puts a freshly built package at its release key (once: a conditional
 * write with the store verifying the SHA-256) and then at the drop key the account's pipeline
 * watches.
 */
public final class Publisher {
  /** What a publish did. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PublishResult(
      Status status,
      String function,
      String revision,
      String sha256,
      long sizeBytes,
      ObjectVersion release,
      ObjectVersion dropKey) {

    public enum Status {
      PUBLISHED,
      ALREADY_PUBLISHED
    }
  }

  public PublishResult publish(String function, ArtifactStore store, Path file, BuildInfo build) {
    FunctionName.validate(function);
    if (!CommitId.isValid(build.revision())) {
      throw PromotionException.invalid(
          "The git revision must be a full 40-character lower-case hex commit id, got \""
              + build.revision()
              + "\". Pass --revision, or run inside a git checkout or CodeBuild.");
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw PromotionException.invalid(
          "Package " + file + " is not a readable file. Build it first, then pass its path.");
    }
    String sha256;
    long size;
    try {
      size = Files.size(file);
      sha256 = Sha256.hexOf(file);
    } catch (IOException e) {
      throw PromotionException.invalid("Cannot read package " + file + ": " + e.getMessage());
    }
    if (size == 0) {
      throw PromotionException.invalid("Package " + file + " is empty. Check the build output.");
    }
    Map<String, String> metadata = ArtifactMetadata.of(build, sha256, null, null);
    Map<String, String> tags = ArtifactMetadata.tags(build.revision(), null, null, null);
    String releaseKey = ArtifactLayout.releaseKey(function, build.revision());
    String dropKey = ArtifactLayout.dropKey(function);

    ArtifactVersion release = existingRelease(store, releaseKey, sha256).orElse(null);
    boolean releaseWritten = false;
    if (release == null) {
      try {
        release = store.put(new ArtifactWrite(releaseKey, sha256, metadata, tags, true), file);
        releaseWritten = true;
      } catch (PromotionException e) {
        if (e.code() != ErrorCode.CONFLICT) {
          throw e;
        }
        // A concurrent build of the same commit won the race: fine if it built the same bytes.
        release = existingRelease(store, releaseKey, sha256).orElseThrow(() -> e);
      }
    }
    Optional<ArtifactVersion> drop = store.head(dropKey, null);
    if (!releaseWritten && drop.isPresent() && drop.get().holds(build.revision(), sha256)) {
      return new PublishResult(
          PublishResult.Status.ALREADY_PUBLISHED,
          function,
          build.revision(),
          sha256,
          size,
          release.location(),
          drop.get().location());
    }
    ArtifactVersion written =
        written(
            store.copy(
                new ArtifactStore.Copy(
                    store,
                    release,
                    new ArtifactWrite(dropKey, sha256, metadata, tags, false),
                    null),
                TimeBudget.unbounded()));
    return new PublishResult(
        releaseWritten ? PublishResult.Status.PUBLISHED : PublishResult.Status.ALREADY_PUBLISHED,
        function,
        build.revision(),
        sha256,
        size,
        release.location(),
        written.location());
  }

  private static ArtifactVersion written(CopyOutcome outcome) {
    if (outcome instanceof CopyOutcome.Written written) {
      return written.version();
    }
    // An unbounded budget never runs out.
    throw new PromotionException(ErrorCode.INTERNAL, "a copy without a deadline was suspended");
  }

  private static Optional<ArtifactVersion> existingRelease(
      ArtifactStore store, String key, String sha256) {
    Optional<ArtifactVersion> existing = store.head(key, null);
    existing.ifPresent(
        release -> {
          if (!sha256.equals(release.recordedSha256())) {
            throw new PromotionException(
                ErrorCode.CONFLICT,
                "s3://"
                    + store.bucket()
                    + "/"
                    + key
                    + " already holds this revision with SHA-256 "
                    + release.recordedSha256()
                    + ", but this package has "
                    + sha256
                    + ". Releases are immutable; the build is not reproducible or the commit"
                    + " differs. Fix the build, or publish a new commit.");
          }
        });
    return existing;
  }
}
