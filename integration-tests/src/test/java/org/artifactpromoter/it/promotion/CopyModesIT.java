package org.artifactpromoter.it.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.artifactpromoter.artifact.ArtifactLayout;
import org.artifactpromoter.artifact.BuildInfo;
import org.artifactpromoter.artifact.Sha256;
import org.artifactpromoter.it.support.LocalAccounts;
import org.artifactpromoter.it.support.WithLocalAccounts;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.promotion.PromotionResult;
import org.artifactpromoter.wiring.PromoterComponent;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The copy paths beyond a single CopyObject: multipart server-side copy (small threshold), the
 * streamed mode (single and multipart), rollbacks and release immutability.
 */
class CopyModesIT extends WithLocalAccounts {
  private static final String SMALL_PARTS =
      "{\"multipartThresholdBytes\":5242880,\"partSizeBytes\":5242880,\"maxConcurrency\":3}";

  private PromotionResult promote(
      String copy, String function, String from, String to, String revision) {
    return PromoterComponent.fromConfig(accounts.configJson(copy))
        .directInvocation()
        .handle(request(function, from, to, revision));
  }

  private void assertHolds(String env, String function, String revision, Path pkg, String from)
      throws Exception {
    S3Client s3 = accounts.admin(env);
    String bucket = LocalAccounts.bucket(env);
    for (String key :
        List.of(ArtifactLayout.releaseKey(function, revision), ArtifactLayout.dropKey(function))) {
      assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray())
          .as("%s %s", env, key)
          .isEqualTo(Files.readAllBytes(pkg));
      assertThat(s3.headObject(b -> b.bucket(bucket).key(key)).metadata())
          .containsEntry("git-revision", revision)
          .containsEntry("sha256", Sha256.hexOf(pkg))
          .containsEntry("source-env", from)
          .containsKey("codepipeline-artifact-revision-summary");
      assertThat(s3.getObjectTagging(b -> b.bucket(bucket).key(key)).tagSet())
          .extracting(t -> t.key() + "=" + t.value())
          .contains("git-revision=" + revision, "promoted-from=" + from);
    }
    assertThat(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
  }

  @Test
  void promote_aboveThreshold_usesMultipartCopyAndCarriesMetadataAndTags() throws Exception {
    Path pkg = LocalAccounts.packageFile(dir, "big.zip", 12 * 1024 * 1024 + 123, 7);
    String revision = LocalAccounts.revision(7);
    accounts.publish("big-fn", "dev", pkg, new BuildInfo(revision, "main", null, "Big one", "b:1"));

    PromotionResult result = promote(SMALL_PARTS, "big-fn", "dev", "stage", null);
    assertThat(result.status()).isEqualTo(PromotionResult.Status.PROMOTED);
    assertHolds("stage", "big-fn", revision, pkg, "dev");
    String etag =
        accounts
            .admin("stage")
            .headObject(
                b ->
                    b.bucket(LocalAccounts.bucket("stage"))
                        .key(ArtifactLayout.releaseKey("big-fn", revision)))
            .eTag();
    assertThat(etag).as("a multipart object's ETag").contains("-");

    assertThat(promote(SMALL_PARTS, "big-fn", "stage", "prod", revision).status())
        .isEqualTo(PromotionResult.Status.PROMOTED);
    assertHolds("prod", "big-fn", revision, pkg, "stage");
  }

  @Test
  void promote_streamedMode_copiesThroughThePromoterWithTheSameGuarantees() throws Exception {
    String streamed = "{\"mode\":\"streamed\"}";
    Path pkg = LocalAccounts.packageFile(dir, "s.zip", 700_000, 8);
    String revision = LocalAccounts.revision(8);
    accounts.publish(
        "streamed-fn", "dev", pkg, new BuildInfo(revision, "main", null, "Streamed", null));
    assertThat(promote(streamed, "streamed-fn", "dev", "stage", null).status())
        .isEqualTo(PromotionResult.Status.PROMOTED);
    assertHolds("stage", "streamed-fn", revision, pkg, "dev");
    List<String> before = accounts.snapshot();
    assertThat(promote(streamed, "streamed-fn", "dev", "stage", null).status())
        .isEqualTo(PromotionResult.Status.ALREADY_PROMOTED);
    assertThat(accounts.snapshot()).isEqualTo(before);
  }

  @Test
  void promote_streamedMode_aboveThreshold_streamsPartsAndCompletesOnce() throws Exception {
    String streamed =
        "{\"mode\":\"streamed\",\"multipartThresholdBytes\":5242880,\"partSizeBytes\":5242880}";
    Path pkg = LocalAccounts.packageFile(dir, "sb.zip", 11 * 1024 * 1024, 9);
    String revision = LocalAccounts.revision(9);
    accounts.publish(
        "streamed-big", "dev", pkg, new BuildInfo(revision, "main", null, "Streamed big", null));
    assertThat(promote(streamed, "streamed-big", "dev", "stage", null).status())
        .isEqualTo(PromotionResult.Status.PROMOTED);
    assertHolds("stage", "streamed-big", revision, pkg, "dev");
  }

  @Test
  void promote_rollback_writesNewDropKeyVersionFromExistingReleaseWithoutRewritingIt()
      throws Exception {
    Path first = LocalAccounts.packageFile(dir, "v1.zip", 50_000, 10);
    Path second = LocalAccounts.packageFile(dir, "v2.zip", 50_000, 11);
    String r1 = LocalAccounts.revision(10);
    String r2 = LocalAccounts.revision(11);
    accounts.publish("orders-api", "dev", first, new BuildInfo(r1, "main", null, "v1", null));
    PromotionResult firstPromotion = promote(null, "orders-api", "dev", "stage", null);
    accounts.publish("orders-api", "dev", second, new BuildInfo(r2, "main", null, "v2", null));
    promote(null, "orders-api", "dev", "stage", null);

    PromotionResult rollback = promote(null, "orders-api", "dev", "stage", r1);

    assertThat(rollback.status()).isEqualTo(PromotionResult.Status.PROMOTED);
    assertThat(rollback.release().versionId())
        .as("the release of r1 is reused, not rewritten")
        .isEqualTo(firstPromotion.release().versionId());
    S3Client stage = accounts.admin("stage");
    String bucket = LocalAccounts.bucket("stage");
    assertThat(
            stage
                .listObjectVersions(
                    b -> b.bucket(bucket).prefix(ArtifactLayout.releaseKey("orders-api", r1)))
                .versions())
        .hasSize(1);
    assertThat(
            stage
                .listObjectVersions(
                    b -> b.bucket(bucket).prefix(ArtifactLayout.dropKey("orders-api")))
                .versions())
        .as("three promotions, three drop-key versions")
        .hasSize(3);
    assertThat(
            stage
                .getObjectAsBytes(b -> b.bucket(bucket).key(ArtifactLayout.dropKey("orders-api")))
                .asByteArray())
        .isEqualTo(Files.readAllBytes(first));
  }

  @Test
  void promote_whenDestinationReleaseHasOtherBytes_failsWithConflictAndWritesNothing()
      throws Exception {
    Path pkg = LocalAccounts.packageFile(dir, "c.zip", 40_000, 12);
    String revision = LocalAccounts.revision(12);
    accounts.publish("conflict-fn", "dev", pkg, new BuildInfo(revision, "main", null, "c", null));
    Path other = LocalAccounts.packageFile(dir, "other.zip", 40_000, 13);
    accounts.publish(
        "conflict-fn", "stage", other, new BuildInfo(revision, "main", null, "c", null));
    List<String> before = accounts.snapshot();

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> promote(null, "conflict-fn", "dev", "stage", revision))
        .isInstanceOfSatisfying(
            PromotionException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
    assertThat(accounts.snapshot()).isEqualTo(before);
  }
}
