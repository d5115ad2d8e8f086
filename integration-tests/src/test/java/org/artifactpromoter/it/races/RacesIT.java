package org.artifactpromoter.it.races;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.artifactpromoter.artifact.ArtifactLayout;
import org.artifactpromoter.artifact.BuildInfo;
import org.artifactpromoter.artifact.Sha256;
import org.artifactpromoter.function.PromoteFunction;
import org.artifactpromoter.it.support.AwsProxy;
import org.artifactpromoter.it.support.LocalAccounts;
import org.artifactpromoter.it.support.WithLocalAccounts;
import org.artifactpromoter.json.Json;
import org.artifactpromoter.lambda.PromoteHandler;
import org.artifactpromoter.promotion.DirectInvocation;
import org.artifactpromoter.promotion.PromotionResult;
import org.artifactpromoter.promotion.PromotionResult.Status;
import org.artifactpromoter.wiring.PromoterComponent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * Promotions that run at the same time: two revisions of one function racing to one environment,
 * the same promotion delivered twice at once, and fifty promotions of different functions through
 * one warm container. Each race is started from a barrier and repeated for several rounds, so that
 * an interleaving that breaks a guarantee shows up in one of them.
 */
class RacesIT extends WithLocalAccounts {
  private static final int ROUNDS = 15;
  private static final int PARALLEL = 50;
  private static final Pattern ACCESS_KEY = Pattern.compile("<AccessKeyId>([^<]+)</AccessKeyId>");
  private static final Pattern ROLE_ACCOUNT = Pattern.compile("^arn:aws:iam::(\\d{12}):role/");
  private static final Pattern PATH_BUCKET = Pattern.compile("^/([^/?]+)");

  private static AwsProxy proxy;
  private final ExecutorService racers = Executors.newCachedThreadPool();

  @AfterEach
  void stopRacers() throws InterruptedException {
    racers.shutdownNow();
    racers.awaitTermination(10, TimeUnit.SECONDS);
    // Code under test in later classes talks to moto, not to this class's proxy.
    System.setProperty("aws.endpointUrl", moto.endpoint().toString());
  }

  @AfterAll
  static void stopProxy() {
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  void twoRevisionsAtOnce_dropKeyVersionsEachHoldOneRevisionWhole() throws Exception {
    DirectInvocation promoter =
        PromoterComponent.fromConfig(accounts.configJson(null)).directInvocation();
    String function = "orders-api";
    S3Client stage = accounts.admin("stage");
    String bucket = LocalAccounts.bucket("stage");
    List<String> failures = new ArrayList<>();
    Set<String> checked = new HashSet<>();

    for (int round = 0; round < ROUNDS; round++) {
      List<String> revisions = new ArrayList<>();
      for (int racer = 0; racer < 2; racer++) {
        long seed = 1000L * round + racer + 1;
        revisions.add(publish(function, "dev", seed));
      }
      List<Outcome> outcomes =
          race(
              revisions.stream()
                  .<Callable<PromotionResult>>map(
                      r -> () -> promoter.handle(request(function, "dev", "stage", r)))
                  .toList());

      for (Outcome outcome : outcomes) {
        if (outcome.error() != null) {
          failures.add("round " + round + ": " + outcome.error());
        } else if (outcome.result().status() != Status.PROMOTED) {
          failures.add("round " + round + ": " + outcome.result().status());
        }
      }
      String newest =
          head(stage, bucket, ArtifactLayout.dropKey(function), null).get("git-revision");
      if (!revisions.contains(newest)) {
        failures.add("round " + round + ": the drop key holds " + newest + ", no racer's");
      }
      // Every drop-key version, not only the newest: each must be one revision's, whole.
      List<ObjectVersion> versions = dropVersions(stage, bucket, function);
      for (int i = 0; i < versions.size(); i++) {
        if (!checked.add(versions.get(i).versionId())) {
          continue;
        }
        String problem = wholeRevision(stage, bucket, function, versions.get(i).versionId());
        if (problem != null) {
          failures.add("round " + round + ", drop version " + i + " (newest 0): " + problem);
        }
      }
    }
    report("two revisions at once", failures);
    assertThat(failures).as("drop-key versions mixing revisions, or failed racers").isEmpty();
  }

  @Test
  void samePromotionTwiceAtOnce_promotesOnceAndWritesOneRelease() throws Exception {
    DirectInvocation promoter =
        PromoterComponent.fromConfig(accounts.configJson(null)).directInvocation();
    S3Client stage = accounts.admin("stage");
    String bucket = LocalAccounts.bucket("stage");
    List<String> failures = new ArrayList<>();

    for (int round = 0; round < ROUNDS; round++) {
      String function = "replayed-" + round;
      String revision = publish(function, "dev", 5000L + round);
      Callable<PromotionResult> promote =
          () -> promoter.handle(request(function, "dev", "stage", revision));
      List<Outcome> outcomes = race(List.of(promote, promote));

      List<String> statuses = statuses(outcomes);
      if (!statuses.equals(List.of("ALREADY_PROMOTED", "PROMOTED"))) {
        failures.add("round " + round + ": results " + statuses);
      } else {
        // The replay names the promotion that did the work.
        String winner = promotionId(outcomes, Status.PROMOTED);
        String replay = promotionId(outcomes, Status.ALREADY_PROMOTED);
        if (!winner.equals(replay)) {
          failures.add("round " + round + ": ALREADY_PROMOTED names " + replay + ", not " + winner);
        }
      }
      String releaseKey = ArtifactLayout.releaseKey(function, revision);
      int releases = versionsOf(stage, bucket, releaseKey).size();
      if (releases != 1) {
        failures.add("round " + round + ": " + releases + " versions at " + releaseKey);
      }
      long drops =
          dropVersions(stage, bucket, function).stream()
              .filter(
                  v ->
                      revision.equals(
                          head(stage, bucket, ArtifactLayout.dropKey(function), v.versionId())
                              .get("git-revision")))
              .count();
      if (drops != 1) {
        failures.add("round " + round + ": " + drops + " drop-key versions hold " + revision);
      }
      List<ObjectVersion> versions = dropVersions(stage, bucket, function);
      for (ObjectVersion v : versions) {
        String problem = wholeRevision(stage, bucket, function, v.versionId());
        if (problem != null) {
          failures.add("round " + round + ": " + problem);
        }
      }
    }
    report("same promotion twice at once", failures);
    assertThat(failures).as("replays that promoted twice").isEmpty();
  }

  @Test
  void sameRollbackTwiceAtOnce_writesOneDropKeyVersion() throws Exception {
    // The release is already there, so both racers go straight to the drop key: only the check
    // after writing it can tell them apart.
    DirectInvocation promoter =
        PromoterComponent.fromConfig(accounts.configJson(null)).directInvocation();
    S3Client stage = accounts.admin("stage");
    String bucket = LocalAccounts.bucket("stage");
    List<String> failures = new ArrayList<>();

    for (int round = 0; round < ROUNDS; round++) {
      String function = "rolled-back-" + round;
      String good = publish(function, "dev", 7000L + round);
      String bad = publish(function, "dev", 7500L + round);
      promoter.handle(request(function, "dev", "stage", good));
      promoter.handle(request(function, "dev", "stage", bad));
      Callable<PromotionResult> rollback =
          () -> promoter.handle(request(function, "dev", "stage", good));
      List<Outcome> outcomes = race(List.of(rollback, rollback));

      List<String> statuses = statuses(outcomes);
      if (!statuses.equals(List.of("ALREADY_PROMOTED", "PROMOTED"))) {
        failures.add("round " + round + ": results " + statuses);
      } else if (!promotionId(outcomes, Status.PROMOTED)
          .equals(promotionId(outcomes, Status.ALREADY_PROMOTED))) {
        failures.add("round " + round + ": ALREADY_PROMOTED names another promotion");
      }
      List<ObjectVersion> drops = dropVersions(stage, bucket, function);
      // good, bad, and the rollback once.
      if (drops.size() != 3) {
        failures.add("round " + round + ": " + drops.size() + " drop-key versions, not 3");
      }
      String newest =
          head(stage, bucket, ArtifactLayout.dropKey(function), null).get("git-revision");
      if (!good.equals(newest)) {
        failures.add("round " + round + ": the drop key holds " + newest + ", not " + good);
      }
      for (ObjectVersion v : drops) {
        String problem = wholeRevision(stage, bucket, function, v.versionId());
        if (problem != null) {
          failures.add("round " + round + ": " + problem);
        }
      }
    }
    report("same rollback twice at once", failures);
    assertThat(failures).as("replayed rollbacks that delivered twice").isEmpty();
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
    if (proxy == null) {
      proxy = AwsProxy.start(moto);
    }
    proxy.reset();
    // After LocalAccounts pointed the SDK at moto, and before the container builds its clients.
    proxy.routeCodeUnderTest();
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

  // ------------------------------------------------------------------ helpers

  /** What one racer ended with: a value, or the error it failed with. */
  private record Outcome(Object value, String error) {
    PromotionResult result() {
      return (PromotionResult) value;
    }
  }

  /** Runs every contender on its own thread, all released at once by one barrier. */
  private <T> List<Outcome> race(List<Callable<T>> contenders) throws Exception {
    CyclicBarrier start = new CyclicBarrier(contenders.size());
    List<Future<T>> futures = new ArrayList<>();
    for (Callable<T> contender : contenders) {
      futures.add(
          racers.submit(
              () -> {
                start.await(30, TimeUnit.SECONDS);
                return contender.call();
              }));
    }
    List<Outcome> outcomes = new ArrayList<>();
    for (Future<T> future : futures) {
      try {
        outcomes.add(new Outcome(future.get(60, TimeUnit.SECONDS), null));
      } catch (java.util.concurrent.ExecutionException e) {
        outcomes.add(new Outcome(null, String.valueOf(e.getCause())));
      }
    }
    return outcomes;
  }

  private String publish(String function, String env, long seed) throws Exception {
    Path pkg = LocalAccounts.packageFile(dir, function + "-" + seed + ".zip", 1_500, seed);
    String revision = LocalAccounts.revision(seed);
    accounts.publish(
        function, env, pkg, new BuildInfo(revision, "main", null, "Change " + seed, "b:" + seed));
    return revision;
  }

  /** The racers' statuses (or errors), sorted. */
  private static List<String> statuses(List<Outcome> outcomes) {
    List<String> statuses = new ArrayList<>();
    for (Outcome outcome : outcomes) {
      statuses.add(outcome.error() != null ? outcome.error() : outcome.result().status().name());
    }
    statuses.sort(String::compareTo);
    return statuses;
  }

  private static String promotionId(List<Outcome> outcomes, Status status) {
    return outcomes.stream()
        .filter(o -> o.error() == null && o.result().status() == status)
        .findFirst()
        .orElseThrow()
        .result()
        .promotionId();
  }

  /**
   * Null when the drop key's version holds one revision throughout: its bytes hash to its sha256
   * metadata, which is the SHA-256 of that revision's release, and its tags name the same revision
   * and promotion as its metadata; else what is wrong.
   */
  private static String wholeRevision(S3Client s3, String bucket, String function, String version) {
    String dropKey = ArtifactLayout.dropKey(function);
    Map<String, String> meta = head(s3, bucket, dropKey, version);
    Map<String, String> tags = tags(s3, bucket, dropKey, version);
    String revision = meta.get("git-revision");
    String bytes =
        sha256(
            s3.getObjectAsBytes(b -> b.bucket(bucket).key(dropKey).versionId(version))
                .asByteArray());
    String release =
        head(s3, bucket, ArtifactLayout.releaseKey(function, revision), null).get("sha256");
    if (!bytes.equals(meta.get("sha256"))
        || !bytes.equals(release)
        || !revision.equals(tags.get("git-revision"))
        || !meta.get("promotion-id").equals(tags.get("promotion-id"))) {
      return "version "
          + version
          + ": bytes "
          + bytes.substring(0, 12)
          + ", metadata sha256 "
          + abbreviate(meta.get("sha256"))
          + " git-revision "
          + abbreviate(revision)
          + " promotion-id "
          + meta.get("promotion-id")
          + ", release of that revision "
          + abbreviate(release)
          + ", tags git-revision "
          + abbreviate(tags.get("git-revision"))
          + " promotion-id "
          + tags.get("promotion-id");
    }
    return null;
  }

  private static String sha256(byte[] bytes) {
    MessageDigest digest = Sha256.newDigest();
    return HexFormat.of().formatHex(digest.digest(bytes));
  }

  private static String abbreviate(String hex) {
    return hex == null ? "none" : hex.substring(0, Math.min(12, hex.length()));
  }

  private static List<ObjectVersion> dropVersions(S3Client s3, String bucket, String function) {
    return versionsOf(s3, bucket, ArtifactLayout.dropKey(function));
  }

  private static List<ObjectVersion> versionsOf(S3Client s3, String bucket, String key) {
    return s3.listObjectVersions(b -> b.bucket(bucket).prefix(key)).versions().stream()
        .filter(v -> v.key().equals(key))
        .toList();
  }

  private static Map<String, String> head(S3Client s3, String bucket, String key, String version) {
    return s3.headObject(b -> b.bucket(bucket).key(key).versionId(version)).metadata();
  }

  private static Map<String, String> tags(S3Client s3, String bucket, String key, String version) {
    Map<String, String> tags = new TreeMap<>();
    s3.getObjectTagging(b -> b.bucket(bucket).key(key).versionId(version))
        .tagSet()
        .forEach(t -> tags.put(t.key(), t.value()));
    return tags;
  }

  private static String key(AwsProxy.Call call) {
    return call.accessKeyId() == null ? "no key" : call.accessKeyId();
  }

  private static void report(String race, List<String> failures) {
    System.out.printf("RacesIT %s: %d rounds, %d problems%n", race, ROUNDS, failures.size());
    failures.forEach(f -> System.out.println("  " + f));
  }
}
