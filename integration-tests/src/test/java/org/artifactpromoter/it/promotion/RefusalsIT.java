package org.artifactpromoter.it.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.artifactpromoter.artifact.ArtifactLayout;
import org.artifactpromoter.artifact.BuildInfo;
import org.artifactpromoter.function.FunctionComponent;
import org.artifactpromoter.it.support.LocalAccounts;
import org.artifactpromoter.it.support.MotoServer;
import org.artifactpromoter.it.support.WithLocalAccounts;
import org.artifactpromoter.lambda.PromoteHandler;
import org.artifactpromoter.lambda.PromotionFailedException;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.wiring.PromoterComponent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Guarantee 1: bad input is refused with a clear error and nothing is written anywhere. Every case
 * compares all object versions, metadata, tags and open uploads of all buckets before and after,
 * and goes through the Lambda's own entry point.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RefusalsIT {
  private static final String REVISION = LocalAccounts.revision(100);
  private MotoServer moto;
  private LocalAccounts accounts;
  private PromoteHandler handler;
  @TempDir Path dir;

  @BeforeAll
  void setUp() throws Exception {
    moto = MotoServer.start();
    accounts = new LocalAccounts(moto).create();
    handler = new PromoteHandler(FunctionComponent.fromConfig(accounts.configJson(null)));
    Path pkg =
        LocalAccounts.packageFile(
            java.nio.file.Files.createTempDirectory("pkg"), "p.zip", 20_000, 100);
    accounts.publish("orders-api", "dev", pkg, new BuildInfo(REVISION, "main", null, "msg", null));
  }

  @AfterAll
  void tearDown() {
    moto.close();
  }

  static Stream<Arguments> refusals() {
    String tooBig =
        "{\"function\":\"orders-api\",\"from\":\"dev\",\"to\":\"stage\",\"reason\":\""
            + "x".repeat(5000)
            + "\"}";
    return Stream.of(
        Arguments.of(
            "dev to prod skips stage",
            WithLocalAccounts.request("orders-api", "dev", "prod", null),
            ErrorCode.PROMOTION_NOT_ALLOWED),
        Arguments.of(
            "prod back to dev",
            WithLocalAccounts.request("orders-api", "prod", "dev", null),
            ErrorCode.PROMOTION_NOT_ALLOWED),
        Arguments.of(
            "stage to itself",
            WithLocalAccounts.request("orders-api", "stage", "stage", null),
            ErrorCode.PROMOTION_NOT_ALLOWED),
        Arguments.of(
            "unknown environment",
            WithLocalAccounts.request("orders-api", "dev", "qa", null),
            ErrorCode.INVALID_REQUEST),
        Arguments.of(
            "function with capitals",
            WithLocalAccounts.request("Orders-API", "dev", "stage", null),
            ErrorCode.INVALID_REQUEST),
        Arguments.of(
            "function with a slash",
            WithLocalAccounts.request("../etc", "dev", "stage", null),
            ErrorCode.INVALID_REQUEST),
        Arguments.of(
            "function name too long",
            WithLocalAccounts.request("a".repeat(65), "dev", "stage", null),
            ErrorCode.INVALID_REQUEST),
        Arguments.of(
            "short revision",
            WithLocalAccounts.request("orders-api", "dev", "stage", "abc1234"),
            ErrorCode.INVALID_REQUEST),
        Arguments.of(
            "non-hex revision",
            WithLocalAccounts.request("orders-api", "dev", "stage", "z".repeat(40)),
            ErrorCode.INVALID_REQUEST),
        Arguments.of(
            "unknown field",
            "{\"function\":\"orders-api\",\"from\":\"dev\",\"to\":\"stage\",\"role\":\"arn:aws:iam::1:role/x\"}",
            ErrorCode.INVALID_REQUEST),
        Arguments.of(
            "dryRun not a boolean",
            "{\"function\":\"orders-api\",\"from\":\"dev\",\"to\":\"stage\",\"dryRun\":\"yes\"}",
            ErrorCode.INVALID_REQUEST),
        Arguments.of("not JSON", "promote orders-api", ErrorCode.INVALID_REQUEST),
        Arguments.of("oversize payload", tooBig, ErrorCode.INVALID_REQUEST),
        Arguments.of(
            "revision never published",
            WithLocalAccounts.request("orders-api", "dev", "stage", LocalAccounts.revision(101)),
            ErrorCode.REVISION_NOT_FOUND),
        Arguments.of(
            "function never published",
            WithLocalAccounts.request("billing", "dev", "stage", null),
            ErrorCode.REVISION_NOT_FOUND));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void handler_refusesWithErrorJsonAndWritesNothing(
      String name, String request, ErrorCode expected) {
    List<String> before = accounts.snapshot();
    assertThatThrownBy(() -> invoke(request))
        .isInstanceOf(PromotionFailedException.class)
        .satisfies(
            e -> {
              var body = org.artifactpromoter.json.Json.MAPPER.readTree(e.getMessage());
              assertThat(body.get("status").asText()).isEqualTo("FAILED");
              assertThat(body.get("error").asText()).isEqualTo(expected.name());
              assertThat(body.get("message").asText()).hasSizeGreaterThan(20);
            });
    assertThat(accounts.snapshot()).isEqualTo(before);
  }

  @Test
  void promote_whenSourceBytesWereTampered_failsWithIntegrityMismatchAndWritesNothing()
      throws Exception {
    String revision = LocalAccounts.revision(102);
    Path pkg = LocalAccounts.packageFile(dir, "t.zip", 30_000, 102);
    accounts.publish("tampered", "dev", pkg, new BuildInfo(revision, "main", null, "m", null));
    String key = ArtifactLayout.releaseKey("tampered", revision);
    Map<String, String> metadata =
        accounts
            .admin("dev")
            .headObject(b -> b.bucket(LocalAccounts.bucket("dev")).key(key))
            .metadata();
    accounts.tamper("dev", key, metadata);
    List<String> before = accounts.snapshot();

    assertThatThrownBy(
            () -> invoke(WithLocalAccounts.request("tampered", "dev", "stage", revision)))
        .isInstanceOf(PromotionFailedException.class)
        .hasMessageContaining("INTEGRITY_MISMATCH");
    assertThat(accounts.snapshot()).isEqualTo(before);
  }

  @Test
  void promote_dryRun_resolvesEverythingAndWritesNothing() throws Exception {
    List<String> before = accounts.snapshot();
    String out =
        invoke("{\"function\":\"orders-api\",\"from\":\"dev\",\"to\":\"stage\",\"dryRun\":true}");
    var result = org.artifactpromoter.json.Json.MAPPER.readTree(out);
    assertThat(result.get("status").asText()).isEqualTo("DRY_RUN");
    assertThat(result.get("revision").asText()).isEqualTo(REVISION);
    assertThat(result.at("/dropKey/key").asText()).isEqualTo("drop/orders-api.zip");
    assertThat(result.at("/dropKey/versionId").isMissingNode()).isTrue();
    assertThat(accounts.snapshot()).isEqualTo(before);
  }

  @Test
  void configuration_whenInvalid_refusesEveryRequestWithoutAwsCalls() {
    assertThatThrownBy(() -> PromoterComponent.fromConfig("{\"environments\":{}}"))
        .isInstanceOfSatisfying(
            PromotionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
              assertThat(e.getMessage()).contains("environments");
            });
  }

  private String invoke(String event) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(
        new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
    return out.toString(StandardCharsets.UTF_8);
  }
}
