package org.artifactpromoter.it.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.artifactpromoter.artifact.ArtifactLayout;
import org.artifactpromoter.artifact.BuildInfo;
import org.artifactpromoter.artifact.Publisher.PublishResult;
import org.artifactpromoter.artifact.Sha256;
import org.artifactpromoter.it.support.LocalAccounts;
import org.artifactpromoter.it.support.WithLocalAccounts;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.promotion.PromotionResult;
import org.artifactpromoter.wiring.PromoterComponent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** The promotion engine, wired by the Lambda's Dagger component, against four moto accounts. */
class PromotionIT extends WithLocalAccounts {
  private PromoterComponent component;

  @BeforeEach
  void wire() {
    component = PromoterComponent.fromConfig(accounts.configJson(null));
  }

  @Test
  void promote_devToStageToProd_copiesExactBytesWithRevisionMetadataAndTags() throws Exception {
    Path pkg = LocalAccounts.packageFile(dir, "orders-api.zip", 300_000, 1);
    String revision = LocalAccounts.revision(1);
    BuildInfo git =
        new BuildInfo(
            revision,
            "main",
            "https://git.example/acme/orders-api",
            "Add refunds ✓\n\nbody",
            "build:42");
    PublishResult published = accounts.publish("orders-api", "dev", pkg, git);
    assertThat(published.status()).isEqualTo(PublishResult.Status.PUBLISHED);

    PromotionResult toStage =
        component.directInvocation().handle(request("orders-api", "dev", "stage", null));
    assertThat(toStage.status()).isEqualTo(PromotionResult.Status.PROMOTED);
    assertThat(toStage.revision()).isEqualTo(revision);
    assertThat(toStage.sha256()).isEqualTo(Sha256.hexOf(pkg));

    PromotionResult toProd =
        component.directInvocation().handle(request("orders-api", "stage", "prod", revision));
    assertThat(toProd.status()).isEqualTo(PromotionResult.Status.PROMOTED);

    for (String env : List.of("stage", "prod")) {
      S3Client s3 = accounts.admin(env);
      String bucket = LocalAccounts.bucket(env);
      for (String key :
          List.of(
              ArtifactLayout.releaseKey("orders-api", revision),
              ArtifactLayout.dropKey("orders-api"))) {
        byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        assertThat(bytes).as(env + " " + key).isEqualTo(Files.readAllBytes(pkg));
        Map<String, String> meta = s3.headObject(b -> b.bucket(bucket).key(key)).metadata();
        assertThat(meta)
            .containsEntry("git-revision", revision)
            .containsEntry("git-branch", "main")
            .containsEntry("build-id", "build:42")
            .containsEntry("sha256", Sha256.hexOf(pkg))
            .containsEntry("source-env", env.equals("stage") ? "dev" : "stage")
            .containsEntry(
                "codepipeline-artifact-revision-summary",
                revision.substring(0, 7) + " Add refunds %E2%9C%93");
        var tags = s3.getObjectTagging(b -> b.bucket(bucket).key(key)).tagSet();
        assertThat(tags)
            .extracting(t -> t.key() + "=" + t.value())
            .contains(
                "git-revision=" + revision,
                "promoted-from=" + (env.equals("stage") ? "dev" : "stage"));
      }
    }
  }

  @Test
  void promote_whenAlreadyAtDestination_writesNothing() throws Exception {
    Path pkg = LocalAccounts.packageFile(dir, "p.zip", 10_000, 2);
    accounts.publish(
        "orders-api", "dev", pkg, new BuildInfo(LocalAccounts.revision(2), null, null, "m", null));
    component.directInvocation().handle(request("orders-api", "dev", "stage", null));
    List<String> before = accounts.snapshot();
    PromotionResult again =
        component.directInvocation().handle(request("orders-api", "dev", "stage", null));
    assertThat(again.status()).isEqualTo(PromotionResult.Status.ALREADY_PROMOTED);
    assertThat(accounts.snapshot()).isEqualTo(before);
  }

  @Test
  void promote_whenRevisionMissing_failsWithRevisionNotFound() {
    List<String> before = accounts.snapshot();
    assertThatThrownBy(
            () ->
                component
                    .directInvocation()
                    .handle(request("orders-api", "dev", "stage", LocalAccounts.revision(9))))
        .isInstanceOfSatisfying(
            PromotionException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.REVISION_NOT_FOUND));
    assertThat(accounts.snapshot()).isEqualTo(before);
  }
}
