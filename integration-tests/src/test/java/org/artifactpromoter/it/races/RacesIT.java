package org.artifactpromoter.it.races;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.artifactpromoter.artifact.ArtifactLayout;
import org.artifactpromoter.artifact.BuildInfo;
import org.artifactpromoter.function.PromoteFunction;
import org.artifactpromoter.it.support.AwsProxy;
import org.artifactpromoter.it.support.LocalAccounts;
import org.artifactpromoter.json.Json;
import org.artifactpromoter.lambda.PromoteHandler;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The races of {@link RaceGuarantees} on moto as it is, which ignores If-None-Match and If-Match on
 * CopyObject (conditionalWrites false: the promoter settles races by listing versions after
 * writing), and fifty promotions of different functions through one warm container.
 */
class RacesIT extends RaceGuarantees {
  private static final int PARALLEL = 50;
  private static final Pattern ACCESS_KEY = Pattern.compile("<AccessKeyId>([^<]+)</AccessKeyId>");
  private static final Pattern ROLE_ACCOUNT = Pattern.compile("^arn:aws:iam::(\\d{12}):role/");
  private static final Pattern PATH_BUCKET = Pattern.compile("^/([^/?]+)");

  @Override
  protected String configJson() {
    return accounts.configJson(null);
  }

  @Test
  void fiftyFunctionsAtOnceInOneContainer_eachBucketSeesOnlyItsAccountsRole() throws Exception {
    // Half go dev -> stage, half stage -> prod: two sources, two destinations, stage both.
    Map<String, String[]> promotions = new TreeMap<>();
    Map<String, String> revisions = new HashMap<>();
    Map<String, Path> packages = new HashMap<>();
    List<Future<?>> publishing = new ArrayList<>();
    LocalAccounts.ENVIRONMENTS.forEach(accounts::admin); // its cache is not for threads
    for (int i = 0; i < PARALLEL; i++) {
      String function = "fn-" + i;
      String from = i % 2 == 0 ? "dev" : "stage";
      String to = from.equals("dev") ? "stage" : "prod";
      promotions.put(function, new String[] {from, to});
      Path pkg = LocalAccounts.packageFile(dir, function + ".zip", 2_000 + i, 9000L + i);
      String revision = LocalAccounts.revision(9000L + i);
      BuildInfo git = new BuildInfo(revision, "main", null, "Change " + i, "b:" + i);
      publishing.add(racers.submit(() -> accounts.publish(function, from, pkg, git)));
      revisions.put(function, revision);
      packages.put(function, pkg);
    }
    for (Future<?> published : publishing) {
      published.get(60, TimeUnit.SECONDS);
    }

    long published = System.nanoTime();
    // After LocalAccounts pointed the SDK at moto, and before the container builds its clients.
    routeCodeUnderTestThroughProxy();
    PromoteHandler container =
        new PromoteHandler(PromoteFunction.forRuntime(accounts.configJson(null)));

    List<Callable<JsonNode>> invocations = new ArrayList<>();
    for (var p : promotions.entrySet()) {
      String event = request(p.getKey(), p.getValue()[0], p.getValue()[1], null);
      invocations.add(
          () -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            container.handleRequest(
                new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
            return Json.MAPPER.readTree(out.toByteArray());
          });
    }
    List<Outcome> outcomes = race(invocations);
    System.out.printf(
        "RacesIT: %d promotions in %d ms%n", PARALLEL, (System.nanoTime() - published) / 1_000_000);

    List<String> failures = new ArrayList<>();
    for (Outcome outcome : outcomes) {
      if (outcome.error() != null) {
        failures.add(outcome.error());
      }
    }
    assertThat(failures).as("failed promotions").isEmpty();
    for (Outcome outcome : outcomes) {
      JsonNode result = (JsonNode) outcome.value();
      assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("PROMOTED");
    }

    // Which account each access key acts in, from the AssumeRole answers the promoter received.
    Map<String, String> keyAccount = new HashMap<>();
    for (AwsProxy.Call call : proxy.assumeRoleCalls()) {
      assertThat(call.status()).as(call.responseBody()).isEqualTo(200);
      String role = call.form().get("RoleArn");
      Matcher account = ROLE_ACCOUNT.matcher(role);
      Matcher key = ACCESS_KEY.matcher(call.responseBody());
      assertThat(account.find()).as(role).isTrue();
      assertThat(key.find()).as(call.responseBody()).isTrue();
      assertThat(role)
          .isIn(LocalAccounts.ENVIRONMENTS.stream().map(LocalAccounts::roleArn).toList());
      keyAccount.put(key.group(1), account.group(1));
    }
    Map<String, String> bucketAccount = new HashMap<>();
    LocalAccounts.ENVIRONMENTS.forEach(
        env -> bucketAccount.put(LocalAccounts.bucket(env), LocalAccounts.account(env)));

    List<String> crossTalk = new ArrayList<>();
    int s3Calls = 0;
    for (AwsProxy.Call call : proxy.calls()) {
      if (!"s3".equals(call.service())) {
        continue;
      }
      s3Calls++;
      Matcher bucket = PATH_BUCKET.matcher(call.url());
      String expected = bucket.find() ? bucketAccount.get(bucket.group(1)) : null;
      String actual = keyAccount.get(call.accessKeyId());
      if (expected == null || !expected.equals(actual)) {
        crossTalk.add(
            call.operation()
                + " "
                + call.url()
                + " signed in account "
                + actual
                + " by "
                + key(call));
      }
    }
    System.out.printf(
        "RacesIT: %d promotions, %d S3 calls, %d AssumeRole calls, %d signed for another account%n",
        PARALLEL, s3Calls, proxy.assumeRoleCalls().size(), crossTalk.size());
    assertThat(s3Calls).isGreaterThanOrEqualTo(PARALLEL * 3);
    assertThat(crossTalk).as("S3 calls signed by another account's role").isEmpty();

    // What each destination holds, checked in parallel (moto answers one call at a time slowly).
    List<Future<?>> checks = new ArrayList<>();
    for (var p : promotions.entrySet()) {
      String function = p.getKey();
      checks.add(
          racers.submit(
              () -> {
                assertDelivered(
                    function,
                    p.getValue()[0],
                    p.getValue()[1],
                    revisions.get(function),
                    packages.get(function));
                return null;
              }));
    }
    for (Future<?> check : checks) {
      check.get(60, TimeUnit.SECONDS);
    }
  }

  /** The destination's release and drop key hold the package's bytes, metadata and tags. */
  private void assertDelivered(String function, String from, String to, String revision, Path pkg)
      throws Exception {
    S3Client s3 = accounts.admin(to);
    String bucket = LocalAccounts.bucket(to);
    byte[] bytes = Files.readAllBytes(pkg);
    for (String key :
        List.of(ArtifactLayout.releaseKey(function, revision), ArtifactLayout.dropKey(function))) {
      assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray())
          .as("%s %s", to, key)
          .isEqualTo(bytes);
      assertThat(s3.headObject(b -> b.bucket(bucket).key(key)).metadata())
          .as("%s %s", to, key)
          .containsEntry("git-revision", revision)
          .containsEntry("sha256", sha256(bytes))
          .containsEntry("source-env", from);
      assertThat(tags(s3, bucket, key, null))
          .as("%s %s", to, key)
          .containsEntry("git-revision", revision)
          .containsEntry("promoted-from", from);
    }
  }

  private static String key(AwsProxy.Call call) {
    return call.accessKeyId() == null ? "no key" : call.accessKeyId();
  }
}
