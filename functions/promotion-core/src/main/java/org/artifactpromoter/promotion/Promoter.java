package org.artifactpromoter.promotion;

import static org.artifactpromoter.artifact.ArtifactLayout.dropKey;
import static org.artifactpromoter.artifact.ArtifactLayout.releaseKey;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import org.artifactpromoter.artifact.ArtifactCopier;
import org.artifactpromoter.artifact.ArtifactLocation;
import org.artifactpromoter.artifact.ArtifactMetadata;
import org.artifactpromoter.artifact.CopyControl;
import org.artifactpromoter.artifact.CopySpec;
import org.artifactpromoter.artifact.CopySuspendedException;
import org.artifactpromoter.artifact.S3ArtifactStore;
import org.artifactpromoter.artifact.S3Errors;
import org.artifactpromoter.artifact.Sha256;
import org.artifactpromoter.artifact.StoredArtifact;
import org.artifactpromoter.artifact.WrittenObject;
import org.artifactpromoter.aws.AccountSessions;
import org.artifactpromoter.promotion.CopySettings.CopyMode;
import org.artifactpromoter.promotion.PromotionResult.Status;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Promotes one function's package from one account to the next: resolves the exact source release,
 * checks its SHA-256, writes the destination release (once, conditionally) and then a new version
 * of the destination drop key. The drop key is written last, so a pipeline never sees a promotion
 * that did not finish.
 */
public final class Promoter {
  private static final System.Logger LOG = System.getLogger(Promoter.class.getName());
  private static final Pattern REVISION = Pattern.compile("[0-9a-f]{40}");

  private final PromotionConfig config;
  private final AccountSessions sessions;
  private final ArtifactCopier copier;
  private final Executor lookups;

  /**
   * @param lookups runs the destination's read-only lookups while the source is resolved (two
   *     accounts, two STS sessions: no reason to wait for one before asking the other)
   */
  public Promoter(
      PromotionConfig config, AccountSessions sessions, ArtifactCopier copier, Executor lookups) {
    this.config = config;
    this.sessions = sessions;
    this.copier = copier;
    this.lookups = lookups;
  }

  public PromotionConfig config() {
    return config;
  }

  /** Promotes without a deadline (CLI, direct invocation): never suspends. */
  public PromotionResult promoteNow(PromotionRequest request, PromotionContext context) {
    PromotionOutcome outcome = promote(request, context);
    if (outcome instanceof PromotionOutcome.Completed completed) {
      return completed.result();
    }
    throw new PromotionException(ErrorCode.INTERNAL, "promotion suspended without a deadline");
  }

  public PromotionOutcome promote(PromotionRequest request, PromotionContext context) {
    Environment from = config.environment(request.from()).orElseThrow();
    Environment to = config.environment(request.to()).orElseThrow();
    String promotionId = context.promotionId();
    S3ArtifactStore source =
        new S3ArtifactStore(sessions.s3(from, promotionId, context.requestedBy()));
    S3ArtifactStore destination =
        new S3ArtifactStore(sessions.s3(to, promotionId, context.requestedBy()));

    String function = request.function();
    CompletableFuture<Optional<StoredArtifact>> destinationDrop =
        CompletableFuture.supplyAsync(
            () -> destination.head(to.bucket(), dropKey(function), null), lookups);
    CompletableFuture<Optional<StoredArtifact>> destinationRelease = null;
    String revision;
    StoredArtifact sourceRelease;
    try {
      revision = resolveRevision(request, context, from, source);
      String key = releaseKey(function, revision);
      destinationRelease =
          CompletableFuture.supplyAsync(() -> destination.head(to.bucket(), key, null), lookups);
      sourceRelease = sourceRelease(request, from, source, revision);
    } catch (RuntimeException e) {
      // Their answers no longer matter.
      destinationDrop.cancel(false);
      if (destinationRelease != null) {
        destinationRelease.cancel(false);
      }
      throw e;
    }
    String sha256 = sourceRelease.recordedSha256();

    Optional<StoredArtifact> currentDrop = join(destinationDrop);
    Optional<StoredArtifact> existingRelease = join(destinationRelease);
    if (existingRelease.isPresent() && !sha256.equals(existingRelease.get().recordedSha256())) {
      throw releaseConflict(request, to, revision, existingRelease.get(), sha256);
    }
    if (holds(currentDrop, revision, sha256)) {
      // Also for a resumed job: a duplicate delivery of the last invocation may have finished it.
      return alreadyPromoted(
          request, context, currentDrop.get(), sourceRelease, existingRelease.orElse(null));
    }
    if (request.dryRun()) {
      return completed(
          request,
          Status.DRY_RUN,
          promotionId,
          sourceRelease,
          existingRelease
              .map(StoredArtifact::location)
              .orElse(new ArtifactLocation(to.bucket(), releaseKey(function, revision), null)),
          new ArtifactLocation(to.bucket(), dropKey(function), null),
          context.approvedBy());
    }

    Map<String, String> metadata =
        ArtifactMetadata.promoted(sourceRelease.metadata(), request.from(), promotionId);
    Map<String, String> tags =
        ArtifactMetadata.tags(revision, request.from(), promotionId, context.approvedBy());
    Continuation resume = context.resume();

    StoredArtifact release;
    if (existingRelease.isPresent()) {
      release = existingRelease.get();
    } else {
      CopySpec spec =
          new CopySpec(
              sourceRelease,
              to.bucket(),
              releaseKey(function, revision),
              sha256,
              metadata,
              tags,
              to.kmsKeyArn(),
              true);
      CopyControl control = phaseControl(context, resume, Continuation.Phase.RELEASE);
      try {
        WrittenObject written =
            config.copy().mode() == CopyMode.STREAMED
                ? copier.streamed(source.client(), destination.client(), spec, control)
                : copier.serverSide(destination.client(), spec, control);
        release =
            firstRelease(
                destination,
                asStored(written, sourceRelease, metadata),
                request,
                to,
                revision,
                sha256);
      } catch (CopySuspendedException e) {
        return suspended(promotionId, revision, Continuation.Phase.RELEASE, e);
      } catch (PromotionException e) {
        if (e.code() != ErrorCode.CONFLICT) {
          throw e;
        }
        // Another promotion of the same revision wrote the release first: use it if identical.
        release =
            destination
                .head(to.bucket(), releaseKey(function, revision), null)
                .filter(r -> sha256.equals(r.recordedSha256()))
                .orElseThrow(() -> e);
      }
      resume = null;
      // Writing the release took time: look again, another promotion may have delivered this
      // revision meanwhile. (Only narrows the window; the check after writing closes it.)
      currentDrop = destination.head(to.bucket(), dropKey(function), null);
      if (holds(currentDrop, revision, sha256)) {
        return alreadyPromoted(request, context, currentDrop.get(), sourceRelease, release);
      }
    }

    CopySpec dropSpec =
        new CopySpec(
            release, to.bucket(), dropKey(function), sha256, metadata, tags, to.kmsKeyArn(), false);
    WrittenObject drop;
    try {
      // Same bucket, same account: always a server-side copy, whatever the cross-account mode.
      drop =
          copier.serverSide(
              destination.client(),
              dropSpec,
              phaseControl(context, resume, Continuation.Phase.DROP_KEY));
    } catch (CopySuspendedException e) {
      return suspended(promotionId, revision, Continuation.Phase.DROP_KEY, e);
    }
    Optional<StoredArtifact> meanwhile =
        deliveredMeanwhile(destination, drop, currentDrop, revision, sha256);
    if (meanwhile.isPresent()) {
      // The same promotion ran at the same time and wrote first: one delivery, not two.
      destination.deleteVersion(drop.bucket(), drop.key(), drop.versionId());
      LOG.log(
          Level.INFO,
          "promotion {0} of {1} revision {2} took back drop-key version {3}: promotion {4}"
              + " delivered it while this one ran",
          promotionId,
          function,
          revision,
          drop.versionId(),
          meanwhile.get().metadata().get(ArtifactMetadata.PROMOTION_ID));
      return alreadyPromoted(request, context, meanwhile.get(), sourceRelease, release);
    }
    PromotionOutcome outcome =
        completed(
            request,
            Status.PROMOTED,
            promotionId,
            sourceRelease,
            release.location(),
            drop.location(),
            context.approvedBy());
    LOG.log(
        Level.INFO,
        "promoted {0} {1} -> {2} revision {3} promotion {4} drop-key version {5}",
        function,
        request.from(),
        request.to(),
        revision,
        promotionId,
        drop.versionId());
    return outcome;
  }

  /**
   * First writer wins. Two promotions of one revision at the same time can both find no release and
   * both write one: S3 refuses the second conditional write (the CONFLICT path), an emulator may
   * not. So after writing, the key's oldest version is the release; if that is not ours, ours is
   * taken back and the other used, provided it holds the same bytes.
   */
  private static StoredArtifact firstRelease(
      S3ArtifactStore destination,
      StoredArtifact ours,
      PromotionRequest request,
      Environment to,
      String revision,
      String sha256) {
    if (ours.versionId() == null) {
      // An unversioned bucket keeps one object per key: nothing to compare, nothing to take back.
      return ours;
    }
    String first =
        WriteRaces.releaseWinner(destination.listVersions(ours.bucket(), ours.key(), null));
    if (first == null || first.equals(ours.versionId())) {
      return ours;
    }
    destination.deleteVersion(ours.bucket(), ours.key(), ours.versionId());
    StoredArtifact winner =
        destination
            .head(ours.bucket(), ours.key(), first)
            .orElseThrow(
                () ->
                    new PromotionException(
                        ErrorCode.CONFLICT,
                        "s3://"
                            + ours.bucket()
                            + "/"
                            + ours.key()
                            + " was written by another promotion at the same time and then"
                            + " removed; retry."));
    if (!sha256.equals(winner.recordedSha256())) {
      throw releaseConflict(request, to, revision, winner, sha256);
    }
    return winner;
  }

  /**
   * The drop-key version another promotion wrote with this revision and SHA-256 while ours ran (we
   * looked at {@code before} and it did not hold them), just before our {@code drop}; empty if
   * there is none. See {@link WriteRaces#deliveredMeanwhile}.
   */
  private static Optional<StoredArtifact> deliveredMeanwhile(
      S3ArtifactStore destination,
      WrittenObject drop,
      Optional<StoredArtifact> before,
      String revision,
      String sha256) {
    String seen = before.map(StoredArtifact::versionId).orElse(null);
    return WriteRaces.deliveredMeanwhile(
            destination.listVersions(drop.bucket(), drop.key(), seen), drop.versionId(), seen)
        .flatMap(version -> destination.head(drop.bucket(), drop.key(), version))
        .filter(previous -> holds(Optional.of(previous), revision, sha256));
  }

  /** Whether a drop-key version holds {@code revision} with {@code sha256}. */
  private static boolean holds(Optional<StoredArtifact> drop, String revision, String sha256) {
    return drop.isPresent()
        && revision.equals(drop.get().gitRevision())
        && sha256.equals(drop.get().recordedSha256());
  }

  private static PromotionOutcome alreadyPromoted(
      PromotionRequest request,
      PromotionContext context,
      StoredArtifact drop,
      StoredArtifact sourceRelease,
      StoredArtifact release) {
    return completed(
        request,
        Status.ALREADY_PROMOTED,
        drop.metadata().getOrDefault(ArtifactMetadata.PROMOTION_ID, context.promotionId()),
        sourceRelease,
        release == null ? null : release.location(),
        drop.location(),
        context.approvedBy());
  }

  private static PromotionException releaseConflict(
      PromotionRequest request,
      Environment to,
      String revision,
      StoredArtifact existing,
      String sha256) {
    return new PromotionException(
        ErrorCode.CONFLICT,
        "s3://"
            + to.bucket()
            + "/"
            + existing.key()
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

  /** The revision to promote: asked for, being resumed, or named by the source's drop key. */
  private String resolveRevision(
      PromotionRequest request,
      PromotionContext context,
      Environment from,
      S3ArtifactStore source) {
    String function = request.function();
    String revision = request.revision();
    if (context.resume() != null) {
      revision = context.resume().revision();
    }
    if (revision == null) {
      String version = context.sourceDropKeyVersion();
      String where = "s3://" + from.bucket() + "/" + dropKey(function);
      StoredArtifact drop =
          source
              .head(from.bucket(), dropKey(function), version)
              .orElseThrow(
                  () ->
                      new PromotionException(
                          ErrorCode.REVISION_NOT_FOUND,
                          version == null
                              ? "Nothing is at "
                                  + where
                                  + ": "
                                  + request.from()
                                  + " holds no package of "
                                  + function
                                  + ". Publish it or promote it there first."
                              : "Version "
                                  + version
                                  + " of "
                                  + where
                                  + " (the package this pipeline execution deployed) does not"
                                  + " exist. Re-run the pipeline from its source stage."));
      revision = drop.gitRevision();
      if (revision == null || !REVISION.matcher(revision).matches()) {
        throw new PromotionException(
            ErrorCode.REVISION_NOT_FOUND,
            where
                + " (version "
                + drop.versionId()
                + ") carries no git-revision metadata. Publish packages with `artifact-promoter"
                + " publish`, which records it.");
      }
    }
    return revision;
  }

  /** The source's release of {@code wanted}, checked to be what it says it is. */
  private StoredArtifact sourceRelease(
      PromotionRequest request, Environment from, S3ArtifactStore source, String wanted) {
    String function = request.function();
    String key = releaseKey(function, wanted);
    StoredArtifact release =
        source
            .head(from.bucket(), key, null)
            .orElseThrow(
                () ->
                    new PromotionException(
                        ErrorCode.REVISION_NOT_FOUND,
                        "Revision "
                            + wanted
                            + " of "
                            + function
                            + " is not in "
                            + request.from()
                            + " (no s3://"
                            + from.bucket()
                            + "/"
                            + key
                            + "). `artifact-promoter history --function "
                            + function
                            + " --env "
                            + request.from()
                            + "` lists the revisions it holds."));
    if (!wanted.equals(release.gitRevision())) {
      throw new PromotionException(
          ErrorCode.INTEGRITY_MISMATCH,
          "s3://"
              + from.bucket()
              + "/"
              + key
              + " says it is revision "
              + release.gitRevision()
              + " in its git-revision metadata. Releases are written only by `artifact-promoter`;"
              + " find out who wrote this object, and republish the revision.");
    }
    verifySource(release);
    return release;
  }

  /** The release must say what it is, and S3's own checksum of its bytes must agree. */
  private static void verifySource(StoredArtifact release) {
    String recorded = release.recordedSha256();
    String where = "s3://" + release.bucket() + "/" + release.key();
    if (!Sha256.isHex(recorded)) {
      throw new PromotionException(
          ErrorCode.INTEGRITY_MISMATCH,
          where
              + " has no recorded sha256 metadata. Republish it with `artifact-promoter publish`.");
    }
    if (release.checksumSha256() != null && !release.checksumSha256().equals(recorded)) {
      throw new PromotionException(
          ErrorCode.INTEGRITY_MISMATCH,
          where
              + " (version "
              + release.versionId()
              + ") holds bytes with SHA-256 "
              + release.checksumSha256()
              + ", not the "
              + recorded
              + " recorded at build time. Nothing was promoted. Rebuild and republish; do not"
              + " promote it.");
    }
    if (release.checksumSha256() == null && !release.multipart()) {
      throw new PromotionException(
          ErrorCode.INTEGRITY_MISMATCH,
          where
              + " has no S3 SHA-256 checksum to verify its bytes against. Republish it with"
              + " `artifact-promoter publish`, which stores one.");
    }
  }

  private static CopyControl phaseControl(
      PromotionContext context, Continuation resume, Continuation.Phase phase) {
    String uploadId = resume != null && resume.phase() == phase ? resume.uploadId() : null;
    CopyControl deadline = context.copyControl();
    return new CopyControl() {
      @Override
      public boolean hasTimeFor(Duration expected) {
        return deadline.hasTimeFor(expected);
      }

      @Override
      public String resumeUploadId() {
        return uploadId;
      }
    };
  }

  private static StoredArtifact asStored(
      WrittenObject written, StoredArtifact source, Map<String, String> metadata) {
    return new StoredArtifact(
        written.bucket(),
        written.key(),
        written.versionId(),
        source.sizeBytes(),
        null,
        written.checksumSha256(),
        metadata,
        null);
  }

  private static PromotionOutcome suspended(
      String promotionId, String revision, Continuation.Phase phase, CopySuspendedException e) {
    return new PromotionOutcome.Suspended(
        new Continuation(
            promotionId,
            revision,
            phase,
            e.uploadId(),
            ArtifactCopier.ranges(e.completedParts()),
            e.totalParts()));
  }

  private static PromotionOutcome completed(
      PromotionRequest request,
      Status status,
      String promotionId,
      StoredArtifact source,
      ArtifactLocation release,
      ArtifactLocation drop,
      String approvedBy) {
    return new PromotionOutcome.Completed(
        new PromotionResult(
            status,
            promotionId,
            request.function(),
            request.from(),
            request.to(),
            source.gitRevision(),
            source.recordedSha256(),
            source.sizeBytes(),
            release,
            drop,
            approvedBy));
  }

  private static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw e;
    }
  }

  /** Exposed for callers that need an S3 client in an environment with the same session. */
  public S3Client s3For(String environment, String promotionId, String requestedBy) {
    return sessions.s3(config.environment(environment).orElseThrow(), promotionId, requestedBy);
  }

  static PromotionException translate(SdkException e, String what, String bucket, String key) {
    return S3Errors.translate(e, what, bucket, key);
  }
}
