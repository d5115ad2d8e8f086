package org.artifactpromoter.promotion;

import static org.artifactpromoter.artifact.ArtifactLayout.dropKey;
import static org.artifactpromoter.artifact.ArtifactLayout.provenanceKey;
import static org.artifactpromoter.artifact.ArtifactLayout.releaseKey;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import javax.inject.Inject;
import javax.inject.Singleton;
import org.artifactpromoter.artifact.ArtifactMetadata;
import org.artifactpromoter.artifact.ArtifactStore;
import org.artifactpromoter.artifact.ArtifactStores;
import org.artifactpromoter.artifact.ArtifactVersion;
import org.artifactpromoter.artifact.ArtifactWrite;
import org.artifactpromoter.artifact.CopyOutcome;
import org.artifactpromoter.artifact.KeyVersions;
import org.artifactpromoter.artifact.SmallObject;
import org.artifactpromoter.model.Environment;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.ObjectVersion;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.provenance.ExpectedRelease;

/**
 * Promotes one function's package from one account to the next: resolves the exact source release,
 * checks its SHA-256, writes the destination release (once, conditionally) and then a new version
 * of the destination drop key. The drop key is written last, so a pipeline never sees a promotion
 * that did not finish. Each step is its own class; this one orders them.
 */
@Singleton
public final class Promoter {
  private final PromotionConfig config;
  private final ArtifactStores stores;
  private final Executor lookups;
  private final ReleaseProvenance provenance;

  /**
   * @param lookups runs the destination's read-only lookups while the source is resolved (two
   *     accounts, two sessions: no reason to wait for one before asking the other)
   * @param provenance checks the release's signed provenance before anything is written
   */
  @Inject
  public Promoter(
      PromotionConfig config,
      ArtifactStores stores,
      Executor lookups,
      ReleaseProvenance provenance) {
    this.config = config;
    this.stores = stores;
    this.lookups = lookups;
    this.provenance = provenance;
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
    ArtifactStore source = storeOf(request.from(), context);
    ArtifactStore destination = storeOf(request.to(), context);
    String function = request.function();
    // Read-only lookups of both accounts (and KMS) overlap: the critical path is the longest of
    // them, not their sum. What fails first is reported; the rest no longer matter.
    List<CompletableFuture<?>> lookupsInFlight = new ArrayList<>();
    CompletableFuture<Optional<ArtifactVersion>> destinationDrop =
        lookup(lookupsInFlight, () -> destination.head(dropKey(function), null));
    if (provenance.enabled()) {
      lookup(
          lookupsInFlight,
          () -> {
            provenance.prefetchKey();
            return null;
          });
    }
    String revision;
    ArtifactVersion sourceRelease;
    CompletableFuture<Optional<ArtifactVersion>> destinationRelease;
    Optional<SmallObject> envelope;
    try {
      RevisionResolver.Resolution resolution = RevisionResolver.resolve(request, context, source);
      revision = resolution.revision();
      String key = releaseKey(function, revision);
      destinationRelease = lookup(lookupsInFlight, () -> destination.head(key, null));
      CompletableFuture<KeyVersions> sourceVersions =
          lookup(lookupsInFlight, () -> source.versions(key, null));
      CompletableFuture<Optional<SmallObject>> sourceEnvelope =
          provenance.enabled()
              ? lookup(
                  lookupsInFlight,
                  () ->
                      source.readSmall(
                          provenanceKey(function, revision), ReleaseProvenance.MAX_ENVELOPE_BYTES))
              : CompletableFuture.completedFuture(Optional.empty());
      sourceRelease = SourceRelease.verified(request, source, revision);
      SourceRelease.requireOnlyVersion(join(sourceVersions), sourceRelease);
      if (resolution.carriedDrop() != null) {
        SourceRelease.requireCarriedBytes(resolution.carriedDrop(), sourceRelease);
      }
      requireUnchangedSource(
          request, context, destination, Continuation.Phase.RELEASE, sourceRelease);
      envelope =
          provenance.verified(
              join(sourceEnvelope),
              new ExpectedRelease(function, revision, sourceRelease.recordedSha256()),
              sourceRelease.location().uri());
      SourceRelease.proveWhole(source, sourceRelease);
    } catch (RuntimeException e) {
      lookupsInFlight.forEach(future -> future.cancel(false));
      throw e;
    }
    String sha256 = sourceRelease.recordedSha256();
    Results results = new Results(request, context, sourceRelease);

    Optional<ArtifactVersion> currentDrop = join(destinationDrop);
    Optional<ArtifactVersion> existingRelease = join(destinationRelease);
    if (existingRelease.isPresent() && !sha256.equals(existingRelease.get().recordedSha256())) {
      throw ReleaseWriter.conflict(request, revision, existingRelease.get(), sha256);
    }
    if (holds(currentDrop, revision, sha256)) {
      // Also for a resumed job: a duplicate delivery of the last invocation may have finished it.
      return results.alreadyPromoted(currentDrop.get(), existingRelease.orElse(null));
    }
    if (request.dryRun()) {
      return results.dryRun(
          existingRelease
              .map(ArtifactVersion::location)
              .orElse(
                  new ObjectVersion(destination.bucket(), releaseKey(function, revision), null)),
          new ObjectVersion(destination.bucket(), dropKey(function), null));
    }

    Map<String, String> metadata =
        ArtifactMetadata.promoted(
            sourceRelease.metadata(),
            request.from(),
            context.promotionId(),
            context.audit(),
            request.reason());
    Map<String, String> tags =
        ArtifactMetadata.promotionTags(
            revision, request.from(), context.promotionId(), context.audit());
    Continuation resume = context.resume();

    ArtifactVersion release;
    if (existingRelease.isPresent()) {
      release = existingRelease.get();
      // A release the destination already holds is promoted again (a rollback): its bytes must
      // still be the recorded ones.
      SourceRelease.proveWhole(destination, release);
    } else {
      // The envelope first: a release never stands at the destination without its provenance.
      envelope.ifPresent(signed -> copyEnvelope(source, destination, signed));
      ArtifactWrite write =
          new ArtifactWrite(releaseKey(function, revision), sha256, metadata, tags, true);
      CopyOutcome written =
          new ReleaseWriter(destination, request, revision, sha256, conditionalWrites(request))
              .write(
                  new ArtifactStore.Copy(
                      source,
                      sourceRelease,
                      write,
                      uploadIdFor(resume, Continuation.Phase.RELEASE)),
                  context.budget());
      if (written instanceof CopyOutcome.Suspended suspended) {
        return results.suspended(
            revision, Continuation.Phase.RELEASE, suspended, sourceRelease.versionId());
      }
      release = ((CopyOutcome.Written) written).version();
      resume = null;
      // Writing the release took time: another promotion may have delivered this revision
      // meanwhile. Where S3 settles the drop-key write, it refuses ours if the drop key moved on,
      // and DropKeyWriter looks then; elsewhere, look again now (this only narrows the window;
      // the check after writing closes it).
      if (!conditionalWrites(request)) {
        currentDrop = destination.head(dropKey(function), null);
        if (holds(currentDrop, revision, sha256)) {
          return results.alreadyPromoted(currentDrop.get(), release);
        }
      }
    }

    if (resume != null) {
      requireUnchangedSource(request, context, destination, Continuation.Phase.DROP_KEY, release);
    }
    // Same bucket, same account: the store copies inside S3, whatever the cross-account mode.
    ArtifactWrite dropWrite = new ArtifactWrite(dropKey(function), sha256, metadata, tags, false);
    DropKeyWriter.Outcome drop =
        new DropKeyWriter(
                destination, context.promotionId(), revision, sha256, conditionalWrites(request))
            .write(
                new ArtifactStore.Copy(
                    destination,
                    release,
                    dropWrite,
                    uploadIdFor(resume, Continuation.Phase.DROP_KEY)),
                context.budget(),
                currentDrop);
    if (drop instanceof DropKeyWriter.Suspended suspended) {
      return results.suspended(
          revision, Continuation.Phase.DROP_KEY, suspended.copy(), release.versionId());
    }
    if (drop instanceof DropKeyWriter.DeliveredByAnother another) {
      return results.alreadyPromoted(another.drop(), release);
    }
    return results.promoted(release, ((DropKeyWriter.Delivered) drop).drop());
  }

  /**
   * Gives up an upload a suspended promotion left open, which will never be continued (the job
   * failed). Best effort for the caller: the bucket's lifecycle rule removes what remains.
   */
  public void abandon(
      PromotionRequest request, Continuation continuation, PromotionContext context) {
    String key =
        continuation.phase() == Continuation.Phase.RELEASE
            ? releaseKey(request.function(), continuation.revision())
            : dropKey(request.function());
    storeOf(request.to(), context).abortUpload(key, continuation.uploadId());
  }

  /**
   * A resumed copy continues an upload whose parts were copied from one exact source version: if
   * the source now is another version, finishing it would mix the bytes of two, so the upload is
   * aborted and the promotion refused.
   */
  private void requireUnchangedSource(
      PromotionRequest request,
      PromotionContext context,
      ArtifactStore destination,
      Continuation.Phase phase,
      ArtifactVersion current) {
    Continuation resume = context.resume();
    if (resume == null || resume.phase() != phase) {
      return;
    }
    if (resume.sourceVersionId() != null && resume.sourceVersionId().equals(current.versionId())) {
      return;
    }
    abandon(request, resume, context);
    throw new PromotionException(
        ErrorCode.CONFLICT,
        "The copy being resumed read version "
            + resume.sourceVersionId()
            + " of "
            + current.location().uri()
            + ", which now is version "
            + current.versionId()
            + ": the source changed while the copy was suspended. Its upload was aborted and"
            + " nothing was written. Find out who wrote the source, then re-run the action.");
  }

  /**
   * Copies the release's verified envelope (the exact version read and verified) next to the
   * destination's release. A write refused because an envelope is already there is fine: the next
   * promotion from the destination verifies whatever stands there.
   */
  private static void copyEnvelope(
      ArtifactStore source, ArtifactStore destination, SmallObject envelope) {
    ArtifactWrite write =
        new ArtifactWrite(envelope.version().key(), envelope.sha256(), Map.of(), Map.of(), true);
    try {
      destination.put(write, envelope.bytes());
    } catch (PromotionException e) {
      if (e.code() != ErrorCode.CONFLICT) {
        throw e;
      }
    }
  }

  private boolean conditionalWrites(PromotionRequest request) {
    return config.environment(request.to()).orElseThrow().conditionalWrites();
  }

  private <T> CompletableFuture<T> lookup(
      List<CompletableFuture<?>> inFlight, java.util.function.Supplier<T> lookup) {
    CompletableFuture<T> future = CompletableFuture.supplyAsync(lookup, lookups);
    inFlight.add(future);
    return future;
  }

  private ArtifactStore storeOf(String environment, PromotionContext context) {
    Environment env = config.environment(environment).orElseThrow();
    return stores.of(env, context.promotionId(), context.requestedBy());
  }

  private static String uploadIdFor(Continuation resume, Continuation.Phase phase) {
    return resume == null ? null : resume.uploadIdFor(phase);
  }

  /** Whether a drop-key version holds {@code revision} with {@code sha256}. */
  private static boolean holds(Optional<ArtifactVersion> drop, String revision, String sha256) {
    return drop.isPresent() && drop.get().holds(revision, sha256);
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
}
