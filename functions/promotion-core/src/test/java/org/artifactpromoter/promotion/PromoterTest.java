package org.artifactpromoter.promotion;

import static org.artifactpromoter.artifact.ArtifactLayout.dropKey;
import static org.artifactpromoter.artifact.ArtifactLayout.provenanceKey;
import static org.artifactpromoter.artifact.ArtifactLayout.releaseKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;
import org.artifactpromoter.artifact.ArtifactMetadata;
import org.artifactpromoter.artifact.ArtifactStores;
import org.artifactpromoter.artifact.ArtifactVersion;
import org.artifactpromoter.artifact.BuildInfo;
import org.artifactpromoter.artifact.InMemoryArtifactStore;
import org.artifactpromoter.artifact.Publisher;
import org.artifactpromoter.artifact.TimeBudget;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.promotion.PromotionResult.Status;
import org.artifactpromoter.provenance.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promotion workflow against versioned buckets in memory: every branch of {@link Promoter},
 * with what a user would see (the result, the error, the versions in the buckets).
 */
class PromoterTest {
  private static final String FUNCTION = "orders-api";
  private static final String REVISION = "0123456789abcdef0123456789abcdef01234567";
  private static final byte[] PACKAGE = "the package's bytes".getBytes(StandardCharsets.UTF_8);

  private final PromotionConfig config = ConfigDocuments.full();
  private final InMemoryArtifactStore dev = new InMemoryArtifactStore("acme-dev-artifacts");
  private final InMemoryArtifactStore stage = new InMemoryArtifactStore("acme-stage-artifacts");
  private final ArtifactStores stores =
      (environment, sessionId, requestedBy) -> environment.name().equals("dev") ? dev : stage;
  private final Promoter promoter =
      new Promoter(config, stores, Runnable::run, ReleaseProvenance.off());
  private final KeyPair signingKeys = TestKeys.p256();
  private final KeyPair otherKeys = TestKeys.p256();

  @TempDir Path dir;

  private String publish(byte[] bytes) throws IOException {
    Path file = Files.write(dir.resolve("package.zip"), bytes);
    new Publisher().publish(FUNCTION, dev, file, new BuildInfo(REVISION, "main", null, "m", null));
    return InMemoryArtifactStore.sha256(bytes);
  }

  /** A promoter whose configuration requires provenance signed by {@link #signingKeys}. */
  private Promoter requiringProvenance() {
    PromotionConfig required =
        PromotionConfig.parse(
            ConfigDocuments.edited(
                root ->
                    root.putObject("provenance")
                        .put("signingKeyArn", TestKeys.TRUSTED_ARN)
                        .put("required", true)));
    return new Promoter(
        required,
        stores,
        Runnable::run,
        new ReleaseProvenance(required.provenance(), keyArn -> signingKeys.getPublic()));
  }

  /** Publishes {@link #PACKAGE} as publish does with provenance, signed by {@code keys}. */
  private String publishSigned(KeyPair keys) throws IOException {
    Path file = Files.write(dir.resolve("package.zip"), PACKAGE);
    new Publisher(
            new Publisher.Signing(
                TestKeys.signer(keys, TestKeys.TRUSTED_ARN),
                "arn:aws:codebuild:us-east-1:222222222222:project/orders-api-build"))
        .publish(FUNCTION, dev, file, new BuildInfo(REVISION, "main", null, "m", "b:1"));
    return InMemoryArtifactStore.sha256(PACKAGE);
  }

  private static PromotionRequest request(String revision, boolean dryRun) {
    return new PromotionRequest(FUNCTION, "dev", "stage", revision, dryRun, null);
  }

  private static PromotionContext context(String promotionId) {
    return PromotionContext.oneShot(promotionId, "alice");
  }

  private PromotionResult promote(PromotionRequest request) {
    return promoter.promoteNow(request, context("p-1"));
  }

  /**
   * A promoter whose stage store ignores If-None-Match and If-Match, as moto does on CopyObject,
   * configured so ({@code conditionalWrites: false}): it settles races by listing after writing.
   */
  private Promoter promoterIntoAStageIgnoringWriteConditions() {
    stage.ignoringConditionalWrites();
    PromotionConfig ignoring =
        PromotionConfig.parse(
            ConfigDocuments.edited(
                root ->
                    ConfigDocuments.environment(root, "stage").put("conditionalWrites", false)));
    return new Promoter(ignoring, stores, Runnable::run, ReleaseProvenance.off());
  }

  /** Metadata of a drop-key or release version holding {@link #REVISION} with {@code sha256}. */
  private static Map<String, String> holding(String sha256, String promotionId) {
    return Map.of(
        ArtifactMetadata.GIT_REVISION, REVISION,
        ArtifactMetadata.SHA256, sha256,
        ArtifactMetadata.PROMOTION_ID, promotionId);
  }

  @Test
  void promote_copiesTheReleaseThenWritesANewDropKeyVersion() throws IOException {
    String sha256 = publish(PACKAGE);

    PromotionResult result = promote(request(REVISION, false));

    assertThat(result.status()).isEqualTo(Status.PROMOTED);
    assertThat(result.promotionId()).isEqualTo("p-1");
    assertThat(result.sha256()).isEqualTo(sha256);
    assertThat(result.sizeBytes()).isEqualTo(PACKAGE.length);
    assertThat(stage.bytes(releaseKey(FUNCTION, REVISION), result.release().versionId()))
        .isEqualTo(PACKAGE);
    assertThat(stage.bytes(dropKey(FUNCTION), result.dropKey().versionId())).isEqualTo(PACKAGE);
    ArtifactVersion drop = stage.head(dropKey(FUNCTION), null).orElseThrow();
    assertThat(drop.metadata())
        .containsEntry(ArtifactMetadata.SOURCE_ENV, "dev")
        .containsEntry(ArtifactMetadata.PROMOTION_ID, "p-1")
        .containsEntry(ArtifactMetadata.GIT_REVISION, REVISION);
  }

  @Test
  void promote_withoutRevision_takesTheOneAtTheSourceDropKey() throws IOException {
    publish(PACKAGE);

    PromotionResult result = promote(request(null, false));

    assertThat(result.revision()).isEqualTo(REVISION);
    assertThat(result.status()).isEqualTo(Status.PROMOTED);
  }

  @Test
  void promote_whenRevisionMissing_failsWithRevisionNotFound() throws IOException {
    publish(PACKAGE);
    String other = "f".repeat(40);

    PromotionException e =
        catchThrowableOfType(PromotionException.class, () -> promote(request(other, false)));

    assertThat(e.code()).isEqualTo(ErrorCode.REVISION_NOT_FOUND);
    assertThat(e.getMessage()).contains(other, "artifact-promoter history --function orders-api");
    assertThat(stage.allVersions(dropKey(FUNCTION))).isEmpty();
  }

  @Test
  void promote_whenTheSourceHoldsNothing_failsWithRevisionNotFound() {
    PromotionException e =
        catchThrowableOfType(PromotionException.class, () -> promote(request(null, false)));

    assertThat(e.code()).isEqualTo(ErrorCode.REVISION_NOT_FOUND);
    assertThat(e.getMessage())
        .contains("Nothing is at s3://acme-dev-artifacts/drop/orders-api.zip");
  }

  @Test
  void promote_whenTheSourceBytesAreNotTheRecordedOnes_failsWithIntegrityMismatch() {
    String recorded =
        InMemoryArtifactStore.sha256("what was built".getBytes(StandardCharsets.UTF_8));
    dev.store(releaseKey(FUNCTION, REVISION), PACKAGE, holding(recorded, "build"), Map.of());

    PromotionException e =
        catchThrowableOfType(PromotionException.class, () -> promote(request(REVISION, false)));

    assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY_MISMATCH);
    assertThat(e.getMessage()).contains(recorded, "Nothing was promoted");
    assertThat(stage.allVersions(releaseKey(FUNCTION, REVISION))).isEmpty();
    assertThat(stage.allVersions(dropKey(FUNCTION))).isEmpty();
  }

  @Test
  void promote_whenTheDestinationReleaseHoldsOtherBytes_failsWithConflict() throws IOException {
    publish(PACKAGE);
    byte[] other = "other bytes".getBytes(StandardCharsets.UTF_8);
    stage.store(
        releaseKey(FUNCTION, REVISION),
        other,
        holding(InMemoryArtifactStore.sha256(other), "x"),
        Map.of());

    PromotionException e =
        catchThrowableOfType(PromotionException.class, () -> promote(request(REVISION, false)));

    assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(e.getMessage()).contains("Releases are immutable");
    assertThat(stage.allVersions(dropKey(FUNCTION))).isEmpty();
  }

  @Test
  void promote_whenTheDropKeyAlreadyHoldsTheRevision_isAlreadyPromoted_andWritesNothing()
      throws IOException {
    publish(PACKAGE);
    PromotionResult first = promote(request(REVISION, false));

    PromotionResult again = promoter.promoteNow(request(REVISION, false), context("p-2"));

    assertThat(again.status()).isEqualTo(Status.ALREADY_PROMOTED);
    assertThat(again.promotionId()).isEqualTo("p-1");
    assertThat(again.dropKey()).isEqualTo(first.dropKey());
    assertThat(stage.allVersions(dropKey(FUNCTION))).hasSize(1);
    assertThat(stage.allVersions(releaseKey(FUNCTION, REVISION))).hasSize(1);
  }

  @Test
  void promote_whenTheReleaseExists_butTheDropKeyHoldsAnother_writesOnlyTheDropKey()
      throws IOException {
    publish(PACKAGE);
    PromotionResult first = promote(request(REVISION, false));
    stage.store(dropKey(FUNCTION), "newer".getBytes(StandardCharsets.UTF_8), Map.of(), Map.of());

    PromotionResult rollback = promoter.promoteNow(request(REVISION, false), context("p-2"));

    assertThat(rollback.status()).isEqualTo(Status.PROMOTED);
    assertThat(rollback.release()).isEqualTo(first.release());
    assertThat(stage.allVersions(releaseKey(FUNCTION, REVISION))).hasSize(1);
    assertThat(stage.allVersions(dropKey(FUNCTION))).hasSize(3);
  }

  @Test
  void promote_dryRun_writesNothing_andNamesWhereItWouldWrite() throws IOException {
    publish(PACKAGE);

    PromotionResult result = promote(request(REVISION, true));

    assertThat(result.status()).isEqualTo(Status.DRY_RUN);
    assertThat(result.release().key()).isEqualTo(releaseKey(FUNCTION, REVISION));
    assertThat(result.release().versionId()).isNull();
    assertThat(result.dropKey().versionId()).isNull();
    assertThat(stage.allVersions(releaseKey(FUNCTION, REVISION))).isEmpty();
    assertThat(stage.allVersions(dropKey(FUNCTION))).isEmpty();
  }

  @Test
  void promote_whenAnotherPromotionWroteTheReleaseFirst_usesItsIdenticalRelease()
      throws IOException {
    String sha256 = publish(PACKAGE);
    String key = releaseKey(FUNCTION, REVISION);
    ArtifactVersion[] theirs = new ArtifactVersion[1];
    stage.beforeNextWrite(
        key, s -> theirs[0] = s.store(key, PACKAGE, holding(sha256, "p-other"), Map.of()));

    PromotionResult result = promote(request(REVISION, false));

    assertThat(result.status()).isEqualTo(Status.PROMOTED);
    assertThat(result.release().versionId()).isEqualTo(theirs[0].versionId());
    assertThat(stage.allVersions(key)).hasSize(1);
  }

  @Test
  void promote_whenBothReleaseWritesGetThrough_keepsTheFirstAndTakesOursBack() throws IOException {
    Promoter promoter = promoterIntoAStageIgnoringWriteConditions();
    String sha256 = publish(PACKAGE);
    String key = releaseKey(FUNCTION, REVISION);
    ArtifactVersion[] theirs = new ArtifactVersion[1];
    stage.beforeNextWrite(
        key, s -> theirs[0] = s.store(key, PACKAGE, holding(sha256, "p-other"), Map.of()));

    PromotionResult result = promoter.promoteNow(request(REVISION, false), context("p-1"));

    assertThat(result.release().versionId()).isEqualTo(theirs[0].versionId());
    assertThat(stage.allVersions(key))
        .extracting(ArtifactVersion::versionId)
        .containsExactly(theirs[0].versionId());
  }

  @Test
  void promote_whenAnotherPromotionDeliveredTheDropKeyMeanwhile_writesNoVersionOfItsOwn()
      throws IOException {
    String sha256 = publish(PACKAGE);
    String key = dropKey(FUNCTION);
    stage.beforeNextWrite(key, s -> s.store(key, PACKAGE, holding(sha256, "p-other"), Map.of()));

    PromotionResult result = promote(request(REVISION, false));

    assertThat(result.status()).isEqualTo(Status.ALREADY_PROMOTED);
    assertThat(result.promotionId()).isEqualTo("p-other");
    assertThat(stage.refusedConditionalWrites()).as("S3 refused ours").isEqualTo(1);
    assertThat(stage.allVersions(key))
        .singleElement()
        .satisfies(v -> assertThat(v.metadata()).containsEntry("promotion-id", "p-other"));
    // The store settled the race: no listing of the drop key after writing.
    assertThat(stage.listedKeys()).doesNotContain(key);
  }

  @Test
  void promote_whenAnotherPromotionDeliversWhileTheReleaseIsWritten_S3sRefusalSettlesIt()
      throws IOException {
    String sha256 = publish(PACKAGE);
    String drop = dropKey(FUNCTION);
    // While our release is being written, another promotion of the revision delivers it whole.
    stage.beforeNextWrite(
        releaseKey(FUNCTION, REVISION),
        s -> s.store(drop, PACKAGE, holding(sha256, "p-other"), Map.of()));

    PromotionResult result = promote(request(REVISION, false));

    assertThat(result.status()).isEqualTo(Status.ALREADY_PROMOTED);
    assertThat(result.promotionId()).isEqualTo("p-other");
    assertThat(stage.refusedConditionalWrites()).as("our drop-key write").isEqualTo(1);
    assertThat(stage.allVersions(drop)).hasSize(1);
  }

  @Test
  void promote_whenTheDropKeyClaimsTheRevisionOverOtherBytes_deliversItsOwnVersion()
      throws IOException {
    String sha256 = publish(PACKAGE);
    String drop = dropKey(FUNCTION);
    // Whoever may write the drop key can set any metadata: the bytes are not the release's.
    stage.store(
        drop, "forged".getBytes(StandardCharsets.UTF_8), holding(sha256, "p-forger"), Map.of());

    PromotionResult result = promote(request(REVISION, false));

    assertThat(result.status()).isEqualTo(Status.PROMOTED);
    assertThat(result.promotionId()).isEqualTo("p-1");
    assertThat(stage.bytes(drop, null)).isEqualTo(PACKAGE);
  }

  @Test
  void promote_whenAForgedVersionClaimingTheRevisionLandsMeanwhile_writesOnTopOfIt()
      throws IOException {
    String sha256 = publish(PACKAGE);
    String drop = dropKey(FUNCTION);
    stage.beforeNextWrite(
        drop,
        s ->
            s.store(
                drop,
                "forged".getBytes(StandardCharsets.UTF_8),
                holding(sha256, "p-forger"),
                Map.of()));

    PromotionResult result = promote(request(REVISION, false));

    assertThat(result.status()).isEqualTo(Status.PROMOTED);
    assertThat(stage.refusedConditionalWrites()).isEqualTo(1);
    assertThat(stage.bytes(drop, null)).isEqualTo(PACKAGE);
  }

  @Test
  void promote_whenAnotherRevisionWasDeliveredMeanwhile_writesOnTopOfIt_withItsETag()
      throws IOException {
    publish(PACKAGE);
    String key = dropKey(FUNCTION);
    stage.store(key, "older".getBytes(StandardCharsets.UTF_8), Map.of(), Map.of());
    ArtifactVersion[] theirs = new ArtifactVersion[1];
    stage.beforeNextWrite(
        key,
        s ->
            theirs[0] = s.store(key, "other".getBytes(StandardCharsets.UTF_8), Map.of(), Map.of()));

    PromotionResult result = promote(request(REVISION, false));

    assertThat(result.status()).isEqualTo(Status.PROMOTED);
    assertThat(stage.refusedConditionalWrites())
        .as("the first write matched the older ETag")
        .isEqualTo(1);
    assertThat(stage.allVersions(key)).hasSize(3);
    assertThat(stage.bytes(key, null)).isEqualTo(PACKAGE);
    assertThat(result.dropKey().versionId()).isNotEqualTo(theirs[0].versionId());
    assertThat(stage.listedKeys()).doesNotContain(key);
  }

  @Test
  void promote_whenTheDropKeyKeepsChanging_givesUpAsAConflict_havingWrittenNoDropKeyVersion()
      throws IOException {
    publish(PACKAGE);
    String key = dropKey(FUNCTION);
    stage.store(key, "older".getBytes(StandardCharsets.UTF_8), Map.of(), Map.of());
    keepWritingBeforeEachWrite(key, DropKeyWriter.MAX_CONDITIONAL_ATTEMPTS);

    assertThatThrownBy(() -> promote(request(REVISION, false)))
        .isInstanceOfSatisfying(
            PromotionException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
        .hasMessageContaining("changed 3 times while this promotion wrote it")
        .hasMessageContaining("nothing of this one was written");
    assertThat(stage.allVersions(key))
        .noneSatisfy(v -> assertThat(stage.bytes(key, v.versionId())).isEqualTo(PACKAGE));
  }

  /**
   * Another writer stores a version of {@code key} before each of the next {@code times} writes.
   */
  private void keepWritingBeforeEachWrite(String key, int times) {
    if (times > 0) {
      stage.beforeNextWrite(
          key,
          s -> {
            s.store(key, ("other-" + times).getBytes(StandardCharsets.UTF_8), Map.of(), Map.of());
            keepWritingBeforeEachWrite(key, times - 1);
          });
    }
  }

  @Test
  void promote_onAStoreIgnoringConditions_whenAnotherPromotionDeliveredMeanwhile_takesOursBack()
      throws IOException {
    Promoter promoter = promoterIntoAStageIgnoringWriteConditions();
    String sha256 = publish(PACKAGE);
    String key = dropKey(FUNCTION);
    stage.beforeNextWrite(key, s -> s.store(key, PACKAGE, holding(sha256, "p-other"), Map.of()));

    PromotionResult result = promoter.promoteNow(request(REVISION, false), context("p-1"));

    assertThat(result.status()).isEqualTo(Status.ALREADY_PROMOTED);
    assertThat(result.promotionId()).isEqualTo("p-other");
    assertThat(stage.listedKeys()).contains(key);
    assertThat(stage.allVersions(key))
        .singleElement()
        .satisfies(v -> assertThat(v.metadata()).containsEntry("promotion-id", "p-other"));
  }

  @Test
  void promote_whenTimeRunsOut_suspendsBetweenParts_andTheContinuationFinishesIt()
      throws IOException {
    stage.withPartSize(8);
    publish(PACKAGE);
    int[] partsAllowed = {1};
    TimeBudget onePart = expected -> partsAllowed[0]-- > 0;
    PromotionContext first = new PromotionContext("p-1", "codepipeline", null, null, onePart, null);

    PromotionOutcome outcome = promoter.promote(request(REVISION, false), first);

    assertThat(outcome).isInstanceOf(PromotionOutcome.Suspended.class);
    Continuation continuation = ((PromotionOutcome.Suspended) outcome).continuation();
    assertThat(continuation.phase()).isEqualTo(Continuation.Phase.RELEASE);
    assertThat(continuation.revision()).isEqualTo(REVISION);
    assertThat(continuation.completedParts().toString()).isEqualTo("1");
    assertThat(continuation.totalParts()).isEqualTo(3);
    assertThat(stage.openUploads()).containsExactly(continuation.uploadId());
    assertThat(stage.allVersions(releaseKey(FUNCTION, REVISION))).isEmpty();

    PromotionContext resumed =
        new PromotionContext(
            "p-1", "codepipeline", null, null, TimeBudget.unbounded(), continuation);
    PromotionOutcome finished = promoter.promote(request(REVISION, false), resumed);

    PromotionResult result = ((PromotionOutcome.Completed) finished).result();
    assertThat(result.status()).isEqualTo(Status.PROMOTED);
    assertThat(stage.bytes(releaseKey(FUNCTION, REVISION), null)).isEqualTo(PACKAGE);
    assertThat(stage.bytes(dropKey(FUNCTION), null)).isEqualTo(PACKAGE);
    assertThat(stage.openUploads()).isEmpty();
  }

  @Test
  void promoteNow_neverReturnsASuspension_butAbandonRemovesAnOpenUpload() throws IOException {
    stage.withPartSize(8);
    publish(PACKAGE);
    PromotionContext noTime =
        new PromotionContext("p-1", "codepipeline", null, null, expected -> false, null);
    Continuation continuation =
        ((PromotionOutcome.Suspended) promoter.promote(request(REVISION, false), noTime))
            .continuation();

    promoter.abandon(request(REVISION, false), continuation, noTime);

    assertThat(stage.openUploads()).isEmpty();
    assertThat(stage.abortedUploads()).containsExactly(continuation.uploadId());
    assertThat(
            catchThrowableOfType(
                    PromotionException.class,
                    () -> promoter.promoteNow(request(REVISION, false), noTime))
                .code())
        .isEqualTo(ErrorCode.INTERNAL);
  }

  @Test
  void promote_whenTheSourceReleaseKeyHoldsASecondVersion_refusesNamingBoth_writesNothing()
      throws IOException {
    String sha256 = publish(PACKAGE);
    String key = releaseKey(FUNCTION, REVISION);
    String first = dev.head(key, null).orElseThrow().versionId();
    // Written over the release after approval, self-consistent: its metadata matches its bytes.
    byte[] other = "other bytes".getBytes(StandardCharsets.UTF_8);
    String second =
        dev.store(key, other, holding(InMemoryArtifactStore.sha256(other), "x"), Map.of())
            .versionId();

    PromotionException e =
        catchThrowableOfType(PromotionException.class, () -> promote(request(REVISION, false)));

    assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(e.getMessage()).contains(first, second, "Nothing was promoted");
    assertThat(stage.allVersions(key)).isEmpty();
    assertThat(stage.allVersions(dropKey(FUNCTION))).isEmpty();
    assertThat(sha256).isNotNull();
  }

  @Test
  void promote_whenTheCarriedDropVersionHoldsOtherBytesThanTheRelease_refuses_writesNothing()
      throws IOException {
    publish(PACKAGE);
    byte[] tested = "what the pipeline tested".getBytes(StandardCharsets.UTF_8);
    String carried =
        dev.store(
                dropKey(FUNCTION),
                tested,
                holding(InMemoryArtifactStore.sha256(tested), "build"),
                Map.of())
            .versionId();
    PromotionContext job =
        new PromotionContext("p-1", "codepipeline", null, carried, TimeBudget.unbounded(), null);

    PromotionException e =
        catchThrowableOfType(
            PromotionException.class, () -> promoter.promote(request(null, false), job));

    assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(e.getMessage()).contains(carried, "Only what the pipeline tested is promoted");
    assertThat(stage.allVersions(releaseKey(FUNCTION, REVISION))).isEmpty();
    assertThat(stage.allVersions(dropKey(FUNCTION))).isEmpty();
  }

  @Test
  void promote_whenTheCarriedDropVersionHoldsTheRelease_promotes() throws IOException {
    publish(PACKAGE);
    String carried = dev.head(dropKey(FUNCTION), null).orElseThrow().versionId();
    PromotionContext job =
        new PromotionContext("p-1", "codepipeline", null, carried, TimeBudget.unbounded(), null);

    PromotionOutcome outcome = promoter.promote(request(null, false), job);

    assertThat(((PromotionOutcome.Completed) outcome).result().status()).isEqualTo(Status.PROMOTED);
  }

  @Test
  void promote_whenAMultipartSourceHasAChangedByte_failsWithIntegrityMismatch_writesNothing() {
    byte[] flipped = PACKAGE.clone();
    flipped[3] ^= 1;
    dev.storeInParts(
        releaseKey(FUNCTION, REVISION),
        flipped,
        holding(InMemoryArtifactStore.sha256(PACKAGE), "build"));

    PromotionException e =
        catchThrowableOfType(PromotionException.class, () -> promote(request(REVISION, false)));

    assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY_MISMATCH);
    assertThat(e.getMessage()).contains("written in parts", InMemoryArtifactStore.sha256(flipped));
    assertThat(stage.allVersions(releaseKey(FUNCTION, REVISION))).isEmpty();
    assertThat(stage.allVersions(dropKey(FUNCTION))).isEmpty();
  }

  @Test
  void promote_whenAMultipartSourceHoldsTheRecordedBytes_promotes() {
    dev.storeInParts(
        releaseKey(FUNCTION, REVISION),
        PACKAGE,
        holding(InMemoryArtifactStore.sha256(PACKAGE), "build"));

    assertThat(promote(request(REVISION, false)).status()).isEqualTo(Status.PROMOTED);
  }

  @Test
  void promote_withProvenanceRequired_whenTheReleaseHasNoEnvelope_refuses_writesNothing()
      throws IOException {
    publish(PACKAGE);

    PromotionException e =
        catchThrowableOfType(
            PromotionException.class,
            () -> requiringProvenance().promoteNow(request(REVISION, false), context("p-1")));

    assertThat(e.code()).isEqualTo(ErrorCode.PROVENANCE_INVALID);
    assertThat(e.getMessage()).contains("has no signed provenance", "provenance.required");
    assertThat(stage.allVersions(releaseKey(FUNCTION, REVISION))).isEmpty();
    assertThat(stage.allVersions(dropKey(FUNCTION))).isEmpty();
  }

  @Test
  void promote_withProvenanceRequired_whenTheEnvelopeIsSignedByAnotherKey_refuses()
      throws IOException {
    publishSigned(otherKeys);

    PromotionException e =
        catchThrowableOfType(
            PromotionException.class,
            () -> requiringProvenance().promoteNow(request(REVISION, false), context("p-1")));

    assertThat(e.code()).isEqualTo(ErrorCode.PROVENANCE_INVALID);
    assertThat(stage.allVersions(releaseKey(FUNCTION, REVISION))).isEmpty();
    assertThat(stage.allVersions(provenanceKey(FUNCTION, REVISION))).isEmpty();
  }

  @Test
  void promote_withProvenanceRequired_whenTheEnvelopeVouchesForOtherBytes_refuses()
      throws IOException {
    publishSigned(signingKeys);
    // The package is replaced by a self-consistent one (new bytes, their own sha256 metadata) as
    // its only version, next to the honest envelope.
    String key = releaseKey(FUNCTION, REVISION);
    dev.deleteVersion(key, dev.head(key, null).orElseThrow().versionId());
    byte[] forged = "forged package".getBytes(StandardCharsets.UTF_8);
    dev.store(key, forged, holding(InMemoryArtifactStore.sha256(forged), "build"), Map.of());

    PromotionException e =
        catchThrowableOfType(
            PromotionException.class,
            () -> requiringProvenance().promoteNow(request(REVISION, false), context("p-1")));

    assertThat(e.code()).isEqualTo(ErrorCode.PROVENANCE_INVALID);
    assertThat(e.getMessage()).contains("SUBJECT_DIGEST_MISMATCH");
    assertThat(stage.allVersions(key)).isEmpty();
  }

  @Test
  void promote_withValidProvenance_copiesTheEnvelopeNextToTheRelease() throws IOException {
    publishSigned(signingKeys);

    PromotionResult result =
        requiringProvenance().promoteNow(request(REVISION, false), context("p-1"));

    assertThat(result.status()).isEqualTo(Status.PROMOTED);
    String envelope = provenanceKey(FUNCTION, REVISION);
    assertThat(stage.bytes(envelope, null)).isEqualTo(dev.bytes(envelope, null));
  }

  @Test
  void promote_intoAStoreThatRefusesSecondWrites_listsNoReleaseVersionsAfterWriting()
      throws IOException {
    publish(PACKAGE);

    promote(request(REVISION, false));

    assertThat(stage.listedKeys()).doesNotContain(releaseKey(FUNCTION, REVISION));
  }

  @Test
  void promote_whenTheSourceChangedWhileSuspended_refusesAndAbortsTheUpload() throws IOException {
    stage.withPartSize(8);
    publish(PACKAGE);
    PromotionContext noTime =
        new PromotionContext("p-1", "codepipeline", null, null, expected -> false, null);
    Continuation continuation =
        ((PromotionOutcome.Suspended) promoter.promote(request(REVISION, false), noTime))
            .continuation();
    // The release is replaced (its only version now another one) while the job waits.
    String key = releaseKey(FUNCTION, REVISION);
    ArtifactVersion original = dev.head(key, null).orElseThrow();
    dev.deleteVersion(key, original.versionId());
    dev.store(key, PACKAGE, original.metadata(), Map.of());
    PromotionContext resumed =
        new PromotionContext(
            "p-1", "codepipeline", null, null, TimeBudget.unbounded(), continuation);

    PromotionException e =
        catchThrowableOfType(
            PromotionException.class, () -> promoter.promote(request(REVISION, false), resumed));

    assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(e.getMessage()).contains(original.versionId(), "source changed");
    assertThat(stage.abortedUploads()).containsExactly(continuation.uploadId());
    assertThat(stage.allVersions(key)).isEmpty();
  }
}
