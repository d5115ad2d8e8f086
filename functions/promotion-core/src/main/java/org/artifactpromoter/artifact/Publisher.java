package org.artifactpromoter.artifact;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.artifactpromoter.promotion.ErrorCode;
import org.artifactpromoter.promotion.PromotionException;
import org.artifactpromoter.promotion.PromotionRequest;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The build step's upload: puts a freshly built package at its release key (once: a conditional
 * write with S3 verifying the SHA-256) and then at the drop key the account's pipeline watches.
 */
public final class Publisher {
  private static final Pattern REVISION = Pattern.compile("[0-9a-f]{40}");

  private final S3ArtifactStore store;
  private final ArtifactCopier copier;

  public Publisher(S3ArtifactStore store, ArtifactCopier copier) {
    this.store = store;
    this.copier = copier;
  }

  /** What a publish did. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PublishResult(
      Status status,
      String function,
      String revision,
      String sha256,
      long sizeBytes,
      ArtifactLocation release,
      ArtifactLocation dropKey) {

    public enum Status {
      PUBLISHED,
      ALREADY_PUBLISHED
    }
  }

  public PublishResult publish(
      String function, String bucket, String kmsKeyArn, Path file, GitRevision git) {
    PromotionRequest.validateFunction(function);
    if (git.revision() == null || !REVISION.matcher(git.revision()).matches()) {
      throw PromotionException.invalid(
          "The git revision must be a full 40-character lower-case hex commit id, got \""
              + git.revision()
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
    Map<String, String> metadata = ArtifactMetadata.of(git, sha256, null, null);
    Map<String, String> tags = ArtifactMetadata.tags(git.revision(), null, null, null);
    String releaseKey = ArtifactLayout.releaseKey(function, git.revision());
    String dropKey = ArtifactLayout.dropKey(function);

    StoredArtifact release = existingRelease(bucket, releaseKey, sha256).orElse(null);
    boolean releaseWritten = false;
    if (release == null) {
      try {
        WrittenObject written =
            store.put(bucket, releaseKey, file, sha256, metadata, tags, kmsKeyArn, true);
        release =
            new StoredArtifact(
                bucket, releaseKey, written.versionId(), size, null, sha256, metadata, null);
        releaseWritten = true;
      } catch (SdkException e) {
        if (!S3Errors.isPreconditionFailed(e)) {
          throw S3Errors.translate(e, "Publishing to", bucket, releaseKey);
        }
        // A concurrent build of the same commit won the race: fine if it built the same bytes.
        release =
            existingRelease(bucket, releaseKey, sha256)
                .orElseThrow(() -> S3Errors.translate(e, "Publishing to", bucket, releaseKey));
      }
    }
    Optional<StoredArtifact> drop = store.head(bucket, dropKey, null);
    if (!releaseWritten
        && drop.isPresent()
        && git.revision().equals(drop.get().gitRevision())
        && sha256.equals(drop.get().recordedSha256())) {
      return new PublishResult(
          PublishResult.Status.ALREADY_PUBLISHED,
          function,
          git.revision(),
          sha256,
          size,
          release.location(),
          drop.get().location());
    }
    WrittenObject written =
        copier.serverSide(
            store.client(),
            new CopySpec(release, bucket, dropKey, sha256, metadata, tags, kmsKeyArn, false),
            CopyControl.unbounded());
    return new PublishResult(
        releaseWritten ? PublishResult.Status.PUBLISHED : PublishResult.Status.ALREADY_PUBLISHED,
        function,
        git.revision(),
        sha256,
        size,
        release.location(),
        written.location());
  }

  private Optional<StoredArtifact> existingRelease(String bucket, String key, String sha256) {
    Optional<StoredArtifact> existing = store.head(bucket, key, null);
    existing.ifPresent(
        release -> {
          if (!sha256.equals(release.recordedSha256())) {
            throw new PromotionException(
                ErrorCode.CONFLICT,
                "s3://"
                    + bucket
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
