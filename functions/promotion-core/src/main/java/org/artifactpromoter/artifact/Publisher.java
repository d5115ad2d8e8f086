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
import org.artifactpromoter.provenance.EnvelopeSigner;
import org.artifactpromoter.provenance.ProvenanceException;
import org.artifactpromoter.provenance.ProvenanceStatement;
import org.artifactpromoter.provenance.RepositoryUrl;

/**
 * The build step's upload: puts a freshly built package at its release key (once: a conditional
 * write with the store verifying the SHA-256) and then at the drop key the account's pipeline
 * watches.
 */
public final class Publisher {
  /**
   * How publish signs provenance: with {@code signer} (the KMS key of the configuration's {@code
   * provenance}, called with the build's own credentials), naming {@code builderId} (the CodeBuild
   * project's ARN) as the builder.
   */
  public record Signing(EnvelopeSigner signer, String builderId) {}

  private final Signing signing;

  /** Publishes without provenance (the configuration has no {@code provenance}). */
  public Publisher() {
    this.signing = null;
  }

  /** Publishes with a signed provenance envelope next to the release. */
  public Publisher(Signing signing) {
    this.signing = java.util.Objects.requireNonNull(signing, "signing");
  }

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
    if (signing != null) {
      // Before the release: a release never stands without its provenance. Also when the release
      // exists (a publish that stopped between the two writes left it without an envelope).
      writeEnvelope(function, store, file, build, sha256);
    }
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

  private void writeEnvelope(
      String function, ArtifactStore store, Path file, BuildInfo build, String sha256) {
    ProvenanceStatement statement =
        new ProvenanceStatement(
            function,
            file.getFileName().toString(),
            sha256,
            recordableRepository(build.repository()),
            build.revision(),
            signing.builderId(),
            build.buildId() == null || build.buildId().isBlank() ? null : build.buildId());
    byte[] envelope;
    try {
      envelope = statement.sign(signing.signer()).toJson();
    } catch (ProvenanceException e) {
      throw new PromotionException(
          e.reason() == ProvenanceException.Reason.SIGNING_FAILED
              ? ErrorCode.ACCESS_DENIED
              : ErrorCode.INVALID_REQUEST,
          e.getMessage());
    }
    String key = ArtifactLayout.provenanceKey(function, build.revision());
    try {
      store.put(
          new ArtifactWrite(
              key,
              java.util.HexFormat.of().formatHex(Sha256.newDigest().digest(envelope)),
              Map.of(),
              Map.of(),
              true),
          envelope);
    } catch (PromotionException e) {
      if (e.code() != ErrorCode.CONFLICT) {
        throw e;
      }
      // An envelope is there already (an earlier publish of this commit): promotions verify it.
    }
  }

  /** Provenance is readable by everyone who reads the bucket: no credentials in it, ever. */
  private static String recordableRepository(String repository) {
    if (repository == null || repository.isBlank()) {
      return null;
    }
    try {
      return RepositoryUrl.sanitize(repository);
    } catch (IllegalArgumentException unrecognisable) {
      return null;
    }
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
