package org.artifactpromoter.it.faults;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.artifactpromoter.it.support.AwsProxy.assumeRole;
import static org.artifactpromoter.it.support.AwsProxy.copyObject;
import static org.artifactpromoter.it.support.AwsProxy.s3Error;
import static org.artifactpromoter.it.support.AwsProxy.stsError;
import static org.artifactpromoter.it.support.AwsProxy.uploadPartCopy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.artifactpromoter.artifact.ArtifactLayout;
import org.artifactpromoter.artifact.BuildInfo;
import org.artifactpromoter.artifact.Sha256;
import org.artifactpromoter.aws.AwsClients;
import org.artifactpromoter.it.support.AwsProxy;
import org.artifactpromoter.it.support.AwsProxy.Call;
import org.artifactpromoter.it.support.LocalAccounts;
import org.artifactpromoter.it.support.LogCapture;
import org.artifactpromoter.it.support.WithLocalAccounts;
import org.artifactpromoter.lambda.PromoteHandler;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.promotion.PromotionResult;
import org.artifactpromoter.wiring.PromoterComponent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Guarantees 2 and 3 when AWS misbehaves: a fault-injecting proxy ({@link AwsProxy}, WireMock in
 * proxy mode) sits between the promoter and moto and answers chosen calls with throttling, server
 * errors, an error inside a 200, a reset connection or an expired token, for a few attempts or for
 * ever. Each case ends in a complete, verified promotion or in a clear failure that leaves nothing
 * at the release or drop key and no open multipart upload; each retry is logged with the promotion
 * id, and retries stop after {@link AwsClients#MAX_ATTEMPTS} attempts.
 */
class FaultsIT extends WithLocalAccounts {
  private static final String FUNCTION = "orders-api";
  private static final String REVISION = LocalAccounts.revision(7);

  /** 5 MiB parts, moto's minimum: an 11 MiB package is copied in three UploadPartCopy calls. */
  private static final String SMALL_PARTS =
      "{\"multipartThresholdBytes\": 5242880, \"partSizeBytes\": 5242880}";

  private static final int SINGLE = 300_000;
  private static final int MULTIPART = 11 * 1024 * 1024;

  private static AwsProxy proxy;
  private LogCapture logs;

  @BeforeAll
  static void startProxy() throws ClassNotFoundException {
    // As in Lambda: the handler class sets up logging before any AWS call.
    Class.forName(PromoteHandler.class.getName(), true, FaultsIT.class.getClassLoader());
    proxy = AwsProxy.start(moto);
  }

  @AfterAll
  static void stopProxy() {
    proxy.close();
  }

  @BeforeEach
  void throughProxy() {
    proxy.reset();
    proxy.routeCodeUnderTest();
    logs = LogCapture.start();
  }

  /** Guarantee 8 under faults: retries and failures log no session secret, at any level. */
  @AfterEach
  void noSecretInAnyLogLine() {
    logs.close();
    List<String> secrets = proxy.issuedSecrets();
    if (proxy.assumeRoleCalls().stream().anyMatch(c -> c.status() == 200)) {
      assertThat(secrets).as("the sessions' secrets were read off the proxy").isNotEmpty();
    }
    for (String secret : secrets) {
      assertThat(logs.text()).doesNotContain(secret);
    }
    assertThat(logs.text()).doesNotContainIgnoringCase("X-Amz-Security-Token");
  }

  // ------------------------------------------------------------------ S3 copy faults

  static Stream<Arguments> transientCopyFaults() {
    return Stream.of(
        Arguments.of("CopyObject", "503 SlowDown", SINGLE, copyObject(), s3Error(503, "SlowDown")),
        Arguments.of(
            "CopyObject", "500 InternalError", SINGLE, copyObject(), s3Error(500, "InternalError")),
        Arguments.of(
            "UploadPartCopy",
            "503 SlowDown",
            MULTIPART,
            uploadPartCopy(2),
            s3Error(503, "SlowDown")),
        Arguments.of(
            "UploadPartCopy",
            "500 InternalError",
            MULTIPART,
            uploadPartCopy(2),
            s3Error(500, "InternalError")),
        Arguments.of(
            "UploadPartCopy",
            "connection reset",
            MULTIPART,
            uploadPartCopy(2),
            aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)),
        Arguments.of(
            "CopyObject",
            "200 with an <Error> body",
            SINGLE,
            copyObject(),
            errorIn200("InternalError")));
  }

  @ParameterizedTest(name = "{0} answering {1} twice, then succeeding")
  @MethodSource("transientCopyFaults")
  void transientFault_isRetried_andThePromotionCompletesVerified(
      String operation,
      String fault,
      int size,
      MappingBuilder request,
      ResponseDefinitionBuilder answer)
      throws Exception {
    Path pkg = publish(size);
    proxy.failTimes(request, 2, answer);

    PromotionResult result = component().directInvocation().handle(toStage());

    assertThat(result.status()).isEqualTo(PromotionResult.Status.PROMOTED);
    assertPromotedIntact(pkg);
    int lastAttempt = maxSdkAttempt(operation);
    assertThat(lastAttempt).as("the SDK retried").isBetween(2, AwsClients.MAX_ATTEMPTS);
    assertThat(logs.text())
        .containsPattern(
            "S3 "
                + operation
                + " \\S+ promotion "
                + result.promotionId()
                + ": attempt 1 got (HTTP \\d{3}|no response); attempt 2 of "
                + AwsClients.MAX_ATTEMPTS)
        .contains(
            "promotion "
                + result.promotionId()
                + ": succeeded on attempt "
                + lastAttempt
                + " of "
                + AwsClients.MAX_ATTEMPTS);
  }

  static Stream<Arguments> permanentCopyFaults() {
    return Stream.of(
        Arguments.of(
            "CopyObject",
            "503 SlowDown",
            SINGLE,
            copyObject(),
            s3Error(503, "SlowDown"),
            "SlowDown"),
        Arguments.of(
            "CopyObject",
            "500 InternalError",
            SINGLE,
            copyObject(),
            s3Error(500, "InternalError"),
            "InternalError"),
        Arguments.of(
            "UploadPartCopy",
            "503 SlowDown",
            MULTIPART,
            uploadPartCopy(2),
            s3Error(503, "SlowDown"),
            "SlowDown"),
        Arguments.of(
            "UploadPartCopy",
            "500 InternalError",
            MULTIPART,
            uploadPartCopy(2),
            s3Error(500, "InternalError"),
            "InternalError"),
        Arguments.of(
            "UploadPartCopy",
            "connection reset",
            MULTIPART,
            uploadPartCopy(2),
            aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
            "failed before S3 answered"),
        Arguments.of(
            "CopyObject",
            "200 with an <Error> body",
            SINGLE,
            copyObject(),
            errorIn200("InternalError"),
            "InternalError"));
  }

  @ParameterizedTest(name = "{0} answering {1} for ever")
  @MethodSource("permanentCopyFaults")
  void permanentFault_failsClearlyAfterBoundedAttempts_andLeavesNothing(
      String operation,
      String fault,
      int size,
      MappingBuilder request,
      ResponseDefinitionBuilder answer,
      String named)
      throws Exception {
    publish(size);
    List<String> before = accounts.snapshot();
    proxy.failAlways(request, answer);

    PromotionException failure =
        catchThrowableOfType(
            PromotionException.class, () -> component().directInvocation().handle(toStage()));

    assertThat(failure).as("the promotion failed").isNotNull();
    assertThat(failure.code()).isEqualTo(ErrorCode.INTERNAL);
    assertThat(failure.getMessage())
        .contains("s3://" + LocalAccounts.bucket("stage") + "/")
        .contains(named);
    assertNothingVisible();
    // Besides dev's envelope at stage (assertNothingVisible compared its bytes), nothing changed.
    String envelopeAtStage =
        LocalAccounts.bucket("stage")
            + " "
            + ArtifactLayout.provenanceKey(FUNCTION, REVISION)
            + " ";
    assertThat(accounts.snapshot().stream().filter(line -> !line.startsWith(envelopeAtStage)))
        .containsExactlyElementsOf(before);
    // Bounded: the SDK gave up after exactly the attempts its retry strategy allows.
    assertThat(maxSdkAttempt(operation)).isEqualTo(AwsClients.MAX_ATTEMPTS);
    if (operation.equals("UploadPartCopy")) {
      assertThat(proxy.calls("AbortMultipartUpload")).isNotEmpty();
    }
    assertThat(logs.text())
        .contains("failed on attempt " + AwsClients.MAX_ATTEMPTS + " of " + AwsClients.MAX_ATTEMPTS)
        .containsPattern("promotion \\d{8}T\\d{6}Z-");
  }

  // ------------------------------------------------------------------ STS faults

  @Test
  void assumeRoleThrottledTwice_isRetried_andThePromotionCompletes() throws Exception {
    Path pkg = publish(SINGLE);
    proxy.failTimes(assumeRole(), 2, stsError(400, "Throttling"));

    PromotionResult result = component().directInvocation().handle(toStage());

    assertThat(result.status()).isEqualTo(PromotionResult.Status.PROMOTED);
    assertPromotedIntact(pkg);
    assertThat(proxy.assumeRoleCalls()).extracting(Call::status).contains(400, 200);
    assertThat(logs.text())
        .contains("Sts AssumeRole promotion " + result.promotionId() + ": attempt 1 got HTTP 400")
        .contains("attempt 2 of " + AwsClients.MAX_ATTEMPTS)
        .contains("promotion " + result.promotionId());
  }

  @Test
  void assumeRoleThrottledForEver_failsClearly_andWritesNothing() throws Exception {
    publish(SINGLE);
    List<String> before = accounts.snapshot();
    proxy.failAlways(assumeRole(), stsError(400, "Throttling"));

    PromotionException failure =
        catchThrowableOfType(
            PromotionException.class, () -> component().directInvocation().handle(toStage()));

    assertThat(failure).isNotNull();
    assertThat(failure.code()).isEqualTo(ErrorCode.INTERNAL);
    assertThat(failure.getMessage())
        .contains("Throttling")
        .contains("AssumeRole of arn:aws:iam::")
        .contains("run the promotion again");
    assertThat(proxy.s3Writes()).isEmpty();
    assertThat(accounts.snapshot()).isEqualTo(before);
    // Bounded: each AssumeRole gave up after the attempts the retry strategy allows (the lookup
    // in the other account may still be retrying when the promotion has already failed).
    assertThat(maxSdkAttempt("AssumeRole")).isEqualTo(AwsClients.MAX_ATTEMPTS);
    assertThat(logs.text())
        .contains("Sts AssumeRole promotion ")
        .contains(
            "failed on attempt " + AwsClients.MAX_ATTEMPTS + " of " + AwsClients.MAX_ATTEMPTS);
  }

  @Test
  void credentialsExpiringMidPromotion_areRenewedOnce_andThePromotionCompletes() throws Exception {
    Path first = publish(SINGLE);
    PromoterComponent warm = component();
    // A first promotion opens the container's stage session, as a warm Lambda would have.
    String opening = warm.directInvocation().handle(toStage()).promotionId();
    String stageKey = issuedKey(LocalAccounts.roleArn("stage"), opening);

    Path second = LocalAccounts.packageFile(dir, "second.zip", SINGLE, 8);
    String secondRevision = LocalAccounts.revision(8);
    accounts.publish(
        FUNCTION, "dev", second, new BuildInfo(secondRevision, "main", null, "second", null));
    // The session's token "expires" between the promotion's reads and its first write: S3 refuses
    // every write signed with it from now on, as it would after the token's expiry.
    proxy.failAlways(
        copyObject()
            .withHeader(
                "Authorization",
                com.github.tomakehurst.wiremock.client.WireMock.containing(
                    "Credential=" + stageKey + "/")),
        s3Error(400, "ExpiredToken"));

    PromotionResult result = warm.directInvocation().handle(toStage());

    assertThat(result.status()).isEqualTo(PromotionResult.Status.PROMOTED);
    assertThat(result.revision()).isEqualTo(secondRevision);
    assertThat(bytesAt(ArtifactLayout.dropKey(FUNCTION))).isEqualTo(Files.readAllBytes(second));
    List<Call> renewed =
        proxy.assumeRoleCalls().stream()
            .filter(c -> c.form().get("RoleSessionName").equals("promote-" + result.promotionId()))
            .toList();
    assertThat(renewed)
        .as("one new session, for stage, named after the promotion that needed it")
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.form()).containsEntry("RoleArn", LocalAccounts.roleArn("stage"));
              assertThat(c.form().get("RoleSessionName")).contains(result.promotionId());
            });
    assertThat(proxy.calls("CopyObject"))
        .filteredOn(c -> c.status() == 400)
        .as("the write refused with the expired token")
        .hasSize(1);
    assertThat(logs.text())
        .contains("token expired (ExpiredToken)")
        .contains("promotion " + result.promotionId());
    assertThat(first).exists();
  }

  // ------------------------------------------------------------------ helpers

  /**
   * The access key id that the AssumeRole of {@code roleArn} by promotion {@code promotionId}
   * handed out. (Matched by session name: a lookup of an earlier, failed test may still be assuming
   * roles in the background.)
   */
  private static String issuedKey(String roleArn, String promotionId) {
    String key = null;
    for (Call call : proxy.assumeRoleCalls()) {
      if (roleArn.equals(call.form().get("RoleArn"))
          && ("promote-" + promotionId).equals(call.form().get("RoleSessionName"))
          && call.status() == 200) {
        var m =
            java.util.regex.Pattern.compile("<AccessKeyId>([^<]+)</AccessKeyId>")
                .matcher(call.responseBody());
        if (m.find()) {
          key = m.group(1);
        }
      }
    }
    assertThat(key).as("an AssumeRole of " + roleArn + " went through the proxy").isNotNull();
    return key;
  }

  /**
   * The highest attempt number the SDK sent for {@code operation} (its {@code amz-sdk-request:
   * attempt=N; max=M} header), checking that every call announced the configured maximum. After a
   * reset on a reused connection the JDK's HTTP client resends a bodiless request once within the
   * same attempt, so counting requests would overstate the SDK's attempts.
   */
  private static int maxSdkAttempt(String operation) {
    int max = 0;
    for (Call call : proxy.calls(operation)) {
      String header = call.headers().get("amz-sdk-request");
      assertThat(header).as(operation + " announced its attempt").isNotNull();
      assertThat(header).endsWith("max=" + AwsClients.MAX_ATTEMPTS);
      max = Math.max(max, Integer.parseInt(header.replaceAll("attempt=(\\d+);.*", "$1")));
    }
    return max;
  }

  /** S3's documented trap: CopyObject can answer 200 and put the error in the body. */
  private static ResponseDefinitionBuilder errorIn200(String code) {
    return aResponse()
        .withStatus(200)
        .withHeader("Content-Type", "application/xml")
        .withBody(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"
                + code
                + "</Code><Message>We encountered an internal error. Please try again.</Message>"
                + "<RequestId>FAULT</RequestId></Error>");
  }

  private PromoterComponent component() {
    return PromoterComponent.fromConfig(accounts.configJson(SMALL_PARTS));
  }

  private static String toStage() {
    return request(FUNCTION, "dev", "stage", null);
  }

  private Path publish(int size) throws Exception {
    Path pkg = LocalAccounts.packageFile(dir, "pkg.zip", size, 7);
    accounts.publish(FUNCTION, "dev", pkg, new BuildInfo(REVISION, "main", null, "m", null));
    return pkg;
  }

  private byte[] bytesAt(String key) {
    return stage()
        .getObjectAsBytes(b -> b.bucket(LocalAccounts.bucket("stage")).key(key))
        .asByteArray();
  }

  private S3Client stage() {
    return accounts.admin("stage");
  }

  /** Release and drop key hold exactly the built bytes, and say so. */
  private void assertPromotedIntact(Path pkg) throws Exception {
    byte[] built = Files.readAllBytes(pkg);
    for (String key :
        List.of(ArtifactLayout.releaseKey(FUNCTION, REVISION), ArtifactLayout.dropKey(FUNCTION))) {
      assertThat(bytesAt(key)).as(key).isEqualTo(built);
      assertThat(
              stage().headObject(b -> b.bucket(LocalAccounts.bucket("stage")).key(key)).metadata())
          .containsEntry("sha256", Sha256.hexOf(pkg))
          .containsEntry("git-revision", REVISION);
      assertThat(
              stage()
                  .listObjectVersions(b -> b.bucket(LocalAccounts.bucket("stage")).prefix(key))
                  .versions())
          .as("one version of " + key)
          .hasSize(1);
    }
    assertThat(stage().listMultipartUploads(b -> b.bucket(LocalAccounts.bucket("stage"))).uploads())
        .isEmpty();
  }

  /**
   * Nothing at stage's release or drop key, in any version, and no upload left open. The one object
   * a failed promotion may leave is the release's signed provenance, byte for byte dev's: it is
   * written before the release so that a release is never visible without it, it is evidence and
   * not a package (nothing deploys it), and the promotion role may not delete under releases/.
   */
  private void assertNothingVisible() {
    var versions = stage().listObjectVersions(b -> b.bucket(LocalAccounts.bucket("stage")));
    String envelope = ArtifactLayout.provenanceKey(FUNCTION, REVISION);
    assertThat(versions.versions())
        .allSatisfy(
            v -> {
              assertThat(v.key()).isEqualTo(envelope);
              assertThat(bytesAt(envelope))
                  .isEqualTo(
                      accounts
                          .admin("dev")
                          .getObjectAsBytes(
                              b -> b.bucket(LocalAccounts.bucket("dev")).key(envelope))
                          .asByteArray());
            });
    assertThat(versions.deleteMarkers()).isEmpty();
    assertThat(stage().listMultipartUploads(b -> b.bucket(LocalAccounts.bucket("stage"))).uploads())
        .isEmpty();
  }
}
