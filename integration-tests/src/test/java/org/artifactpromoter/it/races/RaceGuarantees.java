package org.artifactpromoter.it.races;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
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
import org.artifactpromoter.artifact.ArtifactLayout;
import org.artifactpromoter.artifact.BuildInfo;
import org.artifactpromoter.artifact.Sha256;
import org.artifactpromoter.it.support.AwsProxy;
import org.artifactpromoter.it.support.LocalAccounts;
import org.artifactpromoter.it.support.WithLocalAccounts;
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
 * the same promotion and the same rollback delivered twice at once. Each race is started from a
 * barrier and repeated for several rounds, so that an interleaving that breaks a guarantee shows up
 * in one of them. Run against two stores: one that ignores write conditions (moto as it is, {@link
 * RacesIT}: the promoter lists versions after writing) and one that honours them as S3 does ({@link
 * ConditionalRacesIT}: S3 settles the races).
 */
abstract class RaceGuarantees extends WithLocalAccounts {
  protected static final int ROUNDS = 15;

  protected final ExecutorService racers = Executors.newCachedThreadPool();

  /** In front of the class's moto, recording each call, once a test routes through it. */
  protected static AwsProxy proxy;

  @AfterAll
  static void stopProxy() {
    if (proxy != null) {
      proxy.close();
      proxy = null;
    }
  }

  /** From here on, the code under test talks to moto through {@link #proxy}, whose log is empty. */
  protected static void routeCodeUnderTestThroughProxy() {
    if (proxy == null) {
      proxy = AwsProxy.start(moto);
    }
    proxy.reset();
    proxy.routeCodeUnderTest();
  }

  /** The promotion configuration the races run with. */
  protected abstract String configJson();

  @AfterEach
  void stopRacers() throws InterruptedException {
    racers.shutdownNow();
    racers.awaitTermination(10, TimeUnit.SECONDS);
    // Code under test in later classes talks to moto, not to this class's proxy.
    System.setProperty("aws.endpointUrl", moto.endpoint().toString());
  }

  @Test
  void twoRevisionsAtOnce_dropKeyVersionsEachHoldOneRevisionWhole() throws Exception {
    DirectInvocation promoter = PromoterComponent.fromConfig(configJson()).directInvocation();
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
    DirectInvocation promoter = PromoterComponent.fromConfig(configJson()).directInvocation();
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
    DirectInvocation promoter = PromoterComponent.fromConfig(configJson()).directInvocation();
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

  // ------------------------------------------------------------------ helpers

  /** What one racer ended with: a value, or the error it failed with. */
  protected record Outcome(Object value, String error) {
    PromotionResult result() {
      return (PromotionResult) value;
    }
  }

  /** Runs every contender on its own thread, all released at once by one barrier. */
  protected <T> List<Outcome> race(List<Callable<T>> contenders) throws Exception {
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

  protected String publish(String function, String env, long seed) throws Exception {
    Path pkg = LocalAccounts.packageFile(dir, function + "-" + seed + ".zip", 1_500, seed);
    String revision = LocalAccounts.revision(seed);
    accounts.publish(
        function, env, pkg, new BuildInfo(revision, "main", null, "Change " + seed, "b:" + seed));
    return revision;
  }

  /** The racers' statuses (or errors), sorted. */
  protected static List<String> statuses(List<Outcome> outcomes) {
    List<String> statuses = new ArrayList<>();
    for (Outcome outcome : outcomes) {
      statuses.add(outcome.error() != null ? outcome.error() : outcome.result().status().name());
    }
    statuses.sort(String::compareTo);
    return statuses;
  }

  protected static String promotionId(List<Outcome> outcomes, Status status) {
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
  protected static String wholeRevision(
      S3Client s3, String bucket, String function, String version) {
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

  protected static String sha256(byte[] bytes) {
    MessageDigest digest = Sha256.newDigest();
    return HexFormat.of().formatHex(digest.digest(bytes));
  }

  protected static String abbreviate(String hex) {
    return hex == null ? "none" : hex.substring(0, Math.min(12, hex.length()));
  }

  protected static List<ObjectVersion> dropVersions(S3Client s3, String bucket, String function) {
    return versionsOf(s3, bucket, ArtifactLayout.dropKey(function));
  }

  protected static List<ObjectVersion> versionsOf(S3Client s3, String bucket, String key) {
    return s3.listObjectVersions(b -> b.bucket(bucket).prefix(key)).versions().stream()
        .filter(v -> v.key().equals(key))
        .toList();
  }

  protected static Map<String, String> head(
      S3Client s3, String bucket, String key, String version) {
    return s3.headObject(b -> b.bucket(bucket).key(key).versionId(version)).metadata();
  }

  protected static void report(String race, List<String> failures) {
    System.out.printf("races: %s: %d rounds, %d problems%n", race, ROUNDS, failures.size());
    failures.forEach(f -> System.out.println("  " + f));
  }

  protected static Map<String, String> tags(
      S3Client s3, String bucket, String key, String version) {
    Map<String, String> tags = new TreeMap<>();
    s3.getObjectTagging(b -> b.bucket(bucket).key(key).versionId(version))
        .tagSet()
        .forEach(t -> tags.put(t.key(), t.value()));
    return tags;
  }
}
