package org.artifactpromoter.it.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.artifactpromoter.artifact.ArtifactLayout;
import org.artifactpromoter.artifact.BuildInfo;
import org.artifactpromoter.artifact.Sha256;
import org.artifactpromoter.artifact.TimeBudget;
import org.artifactpromoter.it.support.LocalAccounts;
import org.artifactpromoter.it.support.WithLocalAccounts;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.promotion.Continuation;
import org.artifactpromoter.promotion.PromotionContext;
import org.artifactpromoter.promotion.PromotionOutcome;
import org.artifactpromoter.promotion.PromotionRequest;
import org.artifactpromoter.promotion.PromotionResult;
import org.artifactpromoter.wiring.PromoterComponent;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Only the bytes that were built, signed and tested move (README "Guarantees"), tried as an
 * attacker who may write to a source bucket would, on the four moto accounts: a second version at a
 * release key, a self-consistent forged release without valid provenance, a multipart release with
 * a changed byte, and a source replaced while a copy was suspended. Each is refused with nothing
 * written at the destination.
 */
class ExactBytesIT extends WithLocalAccounts {
  private static final String FUNCTION = "orders-api";
  private static final String MULTIPART =
      "{\"multipartThresholdBytes\":5242880,\"partSizeBytes\":5242880,\"maxConcurrency\":2}";

  private PromoterComponent component(String copy) {
    return PromoterComponent.fromConfig(accounts.configJson(copy));
  }

  private PromotionResult promote(String copy, String from, String to, String revision) {
    return component(copy).directInvocation().handle(request(FUNCTION, from, to, revision));
  }

  private PromotionException refused(String copy, String from, String to, String revision) {
    return catchThrowableOfType(PromotionException.class, () -> promote(copy, from, to, revision));
  }

  private String publish(Path pkg, long seed, String message) {
    String revision = LocalAccounts.revision(seed);
    accounts.publish(FUNCTION, "dev", pkg, new BuildInfo(revision, "main", null, message, "b:1"));
    return revision;
  }

  /** Writes a new version at {@code key}, self-consistent: its sha256 metadata is its own. */
  private String overwrite(String env, String key, byte[] bytes) throws java.io.IOException {
    S3Client s3 = accounts.admin(env);
    Map<String, String> metadata =
        new LinkedHashMap<>(
            s3.headObject(b -> b.bucket(LocalAccounts.bucket(env)).key(key)).metadata());
    metadata.put("sha256", Sha256.hexOf(new java.io.ByteArrayInputStream(bytes)));
    return s3.putObject(
            b ->
                b.bucket(LocalAccounts.bucket(env))
                    .key(key)
                    .metadata(metadata)
                    .checksumAlgorithm("SHA256"),
            RequestBody.fromBytes(bytes))
        .versionId();
  }

  private List<String> versions(String env, String key) {
    return accounts
        .admin(env)
        .listObjectVersions(b -> b.bucket(LocalAccounts.bucket(env)).prefix(key))
        .versions()
        .stream()
        .filter(v -> v.key().equals(key))
        .map(v -> v.versionId())
        .toList();
  }

  @Test
  void secondVersionAtTheDevReleaseKey_isRefusedNamingBothVersions_andNothingIsWritten()
      throws Exception {
    Path pkg = LocalAccounts.packageFile(dir, "p.zip", 20_000, 1);
    String revision = publish(pkg, 1, "Add refunds");
    String key = ArtifactLayout.releaseKey(FUNCTION, revision);
    String first = versions("dev", key).get(0);
    String second = overwrite("dev", key, "what nobody tested".getBytes());
    List<String> before = accounts.snapshot();

    PromotionException e = refused(null, "dev", "stage", revision);

    assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(e.getMessage()).contains(first, second, "Nothing was promoted");
    assertThat(accounts.snapshot()).isEqualTo(before);
  }

  @Test
  void secondVersionAtTheStageReleaseKey_isRefusedForProd_andNothingIsWritten() throws Exception {
    Path pkg = LocalAccounts.packageFile(dir, "p.zip", 20_000, 2);
    String revision = publish(pkg, 2, "Add refunds");
    assertThat(promote(null, "dev", "stage", revision).status())
        .isEqualTo(PromotionResult.Status.PROMOTED);
    String key = ArtifactLayout.releaseKey(FUNCTION, revision);
    String second = overwrite("stage", key, "what nobody tested".getBytes());
    List<String> before = accounts.snapshot();

    PromotionException e = refused(null, "stage", "prod", revision);

    assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(e.getMessage()).contains(second);
    assertThat(accounts.snapshot()).isEqualTo(before);
  }

  @Test
  void selfConsistentForgedRelease_withoutValidProvenance_isRefusedAsProvenanceInvalid()
      throws Exception {
    Path pkg = LocalAccounts.packageFile(dir, "forged.zip", 20_000, 3);
    String revision = LocalAccounts.revision(3);
    // Matching sha256 metadata, an S3 checksum, a made-up summary: everything but a signature.
    accounts.publishUnsigned(
        FUNCTION,
        "dev",
        pkg,
        new BuildInfo(revision, "main", null, "Bump lodash (security fix)", "b:forged"));
    List<String> before = accounts.snapshot();

    PromotionException e = refused(null, "dev", "stage", revision);

    assertThat(e.code()).isEqualTo(ErrorCode.PROVENANCE_INVALID);
    assertThat(e.getMessage()).contains("has no signed provenance");
    assertThat(accounts.snapshot()).isEqualTo(before);
  }

  @Test
  void validProvenance_isPromotedWithTheRelease_andVerifiedAgainForProd() throws Exception {
    Path pkg = LocalAccounts.packageFile(dir, "p.zip", 20_000, 4);
    String revision = publish(pkg, 4, "Add refunds");

    assertThat(promote(null, "dev", "stage", revision).status())
        .isEqualTo(PromotionResult.Status.PROMOTED);
    assertThat(promote(null, "stage", "prod", revision).status())
        .isEqualTo(PromotionResult.Status.PROMOTED);

    String envelope = ArtifactLayout.provenanceKey(FUNCTION, revision);
    byte[] signed =
        accounts
            .admin("dev")
            .getObjectAsBytes(b -> b.bucket(LocalAccounts.bucket("dev")).key(envelope))
            .asByteArray();
    assertThat(
            accounts
                .admin("prod")
                .getObjectAsBytes(b -> b.bucket(LocalAccounts.bucket("prod")).key(envelope))
                .asByteArray())
        .isEqualTo(signed);
  }

  @Test
  void twoPartSourceWithOneFlippedByte_isRefused_andNothingIsWritten() throws Exception {
    int size = 5 * 1024 * 1024 + 100_000;
    Path pkg = LocalAccounts.packageFile(dir, "big.zip", size, 5);
    String revision = publish(pkg, 5, "Big package");
    String key = ArtifactLayout.releaseKey(FUNCTION, revision);
    S3Client dev = accounts.admin("dev");
    String bucket = LocalAccounts.bucket("dev");
    Map<String, String> metadata = dev.headObject(b -> b.bucket(bucket).key(key)).metadata();
    // The release becomes (as its only version) a 2-part upload of the bytes with one flipped.
    dev.deleteObject(b -> b.bucket(bucket).key(key).versionId(versions("dev", key).get(0)));
    byte[] bytes = Files.readAllBytes(pkg);
    bytes[size - 10] ^= 1;
    String upload =
        dev.createMultipartUpload(b -> b.bucket(bucket).key(key).metadata(metadata)).uploadId();
    int half = 5 * 1024 * 1024;
    String etag1 =
        dev.uploadPart(
                b -> b.bucket(bucket).key(key).uploadId(upload).partNumber(1),
                RequestBody.fromBytes(java.util.Arrays.copyOfRange(bytes, 0, half)))
            .eTag();
    String etag2 =
        dev.uploadPart(
                b -> b.bucket(bucket).key(key).uploadId(upload).partNumber(2),
                RequestBody.fromBytes(java.util.Arrays.copyOfRange(bytes, half, size)))
            .eTag();
    dev.completeMultipartUpload(
        b ->
            b.bucket(bucket)
                .key(key)
                .uploadId(upload)
                .multipartUpload(
                    m ->
                        m.parts(
                            CompletedPart.builder().partNumber(1).eTag(etag1).build(),
                            CompletedPart.builder().partNumber(2).eTag(etag2).build())));
    List<String> before = accounts.snapshot();

    PromotionException e = refused(MULTIPART, "dev", "stage", revision);

    assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY_MISMATCH);
    assertThat(e.getMessage()).contains("written in parts", "Nothing was promoted");
    assertThat(accounts.snapshot()).isEqualTo(before);
  }

  @Test
  void resumedCopyWhoseSourceChanged_isRefused_andItsUploadAborted() throws Exception {
    int size = 11 * 1024 * 1024;
    Path pkg = LocalAccounts.packageFile(dir, "big.zip", size, 6);
    String revision = publish(pkg, 6, "Big package");
    PromotionRequest request =
        new PromotionRequest(FUNCTION, "dev", "stage", revision, false, null);
    var promoter = component(MULTIPART).promoter();
    int[] partsAllowed = {1};
    TimeBudget onePart = expected -> partsAllowed[0]-- > 0;
    PromotionOutcome first =
        promoter.promote(
            request, new PromotionContext("job-1", "codepipeline", null, null, onePart, null));
    assertThat(first).isInstanceOf(PromotionOutcome.Suspended.class);
    Continuation continuation = ((PromotionOutcome.Suspended) first).continuation();
    // Meanwhile the source is replaced: same metadata, its only version another one.
    String key = ArtifactLayout.releaseKey(FUNCTION, revision);
    S3Client dev = accounts.admin("dev");
    String bucket = LocalAccounts.bucket("dev");
    Map<String, String> metadata = dev.headObject(b -> b.bucket(bucket).key(key)).metadata();
    dev.deleteObject(b -> b.bucket(bucket).key(key).versionId(versions("dev", key).get(0)));
    dev.putObject(
        b -> b.bucket(bucket).key(key).metadata(metadata).checksumAlgorithm("SHA256"),
        RequestBody.fromFile(pkg));

    PromotionException e =
        catchThrowableOfType(
            PromotionException.class,
            () ->
                promoter.promote(
                    request,
                    new PromotionContext(
                        "job-1",
                        "codepipeline",
                        null,
                        null,
                        TimeBudget.unbounded(),
                        continuation)));

    assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(e.getMessage()).contains("source changed", "upload was aborted");
    S3Client stage = accounts.admin("stage");
    assertThat(stage.listMultipartUploads(b -> b.bucket(LocalAccounts.bucket("stage"))).uploads())
        .isEmpty();
    assertThat(versions("stage", key)).isEmpty();
    assertThat(versions("stage", ArtifactLayout.dropKey(FUNCTION))).isEmpty();
  }
}
