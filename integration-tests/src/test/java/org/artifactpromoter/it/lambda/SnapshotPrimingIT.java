package org.artifactpromoter.it.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.artifactpromoter.artifact.BuildInfo;
import org.artifactpromoter.function.PromoteFunction;
import org.artifactpromoter.it.support.AwsProxy;
import org.artifactpromoter.it.support.AwsProxy.Call;
import org.artifactpromoter.it.support.LocalAccounts;
import org.artifactpromoter.it.support.WithLocalAccounts;
import org.artifactpromoter.json.Json;
import org.artifactpromoter.lambda.PromoteHandler;
import org.artifactpromoter.promotion.PromotionIds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SnapStart's CRaC hooks on the handler (issue 13), called directly as the JVM would around a
 * snapshot: priming calls no AWS and resolves no credentials, a restored handler promotes correctly
 * against moto, and copies restored from one snapshot issue different promotion ids. The code under
 * test talks to moto through the recording {@link AwsProxy}, so every call it makes is seen.
 */
class SnapshotPrimingIT extends WithLocalAccounts {
  /** The ambient credentials while the snapshot is taken; none may be used or kept. */
  private static final String SNAPSHOT_TIME_KEY = "AKIASNAPSHOTTIME0000";

  /** The random state every copy of one snapshot holds. */
  private static final long SNAPSHOT_SEED = 13L;

  private static AwsProxy proxy;

  @BeforeAll
  static void startProxy() {
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
  }

  @AfterEach
  void ownIdsAgain() {
    PromotionIds.reseed();
    System.setProperty("aws.accessKeyId", "testing");
  }

  @Test
  void priming_makesNoAwsCall_butRunsAPromotionsSdkCallsOffline() {
    PromoteFunction function = PromoteFunction.forRuntime(accounts.configJson(null));

    int offlineCalls = function.beforeSnapshot();

    assertThat(offlineCalls)
        .as(
            "AssumeRole, HeadObject, GetObjectTagging, ListObjectVersions, CopyObject, PutObject,"
                + " PutJobSuccessResult")
        .isGreaterThanOrEqualTo(7);
    assertThat(proxy.calls()).as("requests that reached the endpoint").isEmpty();
  }

  @Test
  void restoredHandler_promotesCorrectly_withTheCredentialsOfAfterTheRestore() throws Exception {
    String revision = publish("orders-api", 1);
    System.setProperty("aws.accessKeyId", SNAPSHOT_TIME_KEY);
    PromoteHandler handler =
        new PromoteHandler(PromoteFunction.forRuntime(accounts.configJson(null)));
    handler.beforeCheckpoint(null);
    assertThat(proxy.calls()).as("priming called nothing").isEmpty();

    // The restored container has credentials of its own (Lambda hands them to the restored copy).
    System.setProperty("aws.accessKeyId", "testing");
    handler.afterRestore(null);
    JsonNode result = promote(handler, "orders-api");

    assertThat(result.get("status").asText()).as(result.toString()).isEqualTo("PROMOTED");
    assertThat(result.get("revision").asText()).isEqualTo(revision);
    assertThat(accounts.snapshot())
        .anyMatch(o -> o.contains(LocalAccounts.bucket("stage")) && o.contains("orders-api"));
    List<Call> calls = proxy.calls();
    assertThat(calls).isNotEmpty();
    assertThat(calls)
        .as("every call is signed with credentials resolved after the restore")
        .extracting(Call::accessKeyId)
        .doesNotContain(SNAPSHOT_TIME_KEY);
    assertThat(proxy.assumeRoleCalls())
        .as("the role sessions are opened after the restore, by the promotion")
        .isNotEmpty()
        .allSatisfy(c -> assertThat(c.accessKeyId()).isEqualTo("testing"));
  }

  @Test
  void twoCopiesRestoredFromOneSnapshot_issueDifferentPromotionIds() throws Exception {
    publish("orders-api", 2);
    publish("billing-api", 3);
    String config = accounts.configJson(null);
    PromoteHandler first = new PromoteHandler(PromoteFunction.forRuntime(config));
    PromoteHandler second = new PromoteHandler(PromoteFunction.forRuntime(config));
    first.beforeCheckpoint(null);
    second.beforeCheckpoint(null);

    // Each copy starts from the snapshot's random state, then runs its restore hook.
    PromotionIds.restoreSnapshotState(SNAPSHOT_SEED);
    first.afterRestore(null);
    String firstId = promote(first, "orders-api").get("promotionId").asText();
    PromotionIds.restoreSnapshotState(SNAPSHOT_SEED);
    second.afterRestore(null);
    String secondId = promote(second, "billing-api").get("promotionId").asText();

    // The time part may match (same second); the random part must not.
    assertThat(randomPart(secondId)).isNotEqualTo(randomPart(firstId));
  }

  private String publish(String function, long seed) throws Exception {
    Path pkg = LocalAccounts.packageFile(dir, function + ".zip", 30_000, seed);
    String revision = LocalAccounts.revision(seed);
    accounts.publish(function, "dev", pkg, new BuildInfo(revision, "main", null, "m", null));
    return revision;
  }

  private static JsonNode promote(PromoteHandler handler, String function) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(
        new ByteArrayInputStream(
            request(function, "dev", "stage", null).getBytes(StandardCharsets.UTF_8)),
        out,
        null);
    return Json.MAPPER.readTree(out.toString(StandardCharsets.UTF_8));
  }

  private static String randomPart(String promotionId) {
    return promotionId.substring(promotionId.lastIndexOf('-') + 1);
  }
}
