package org.artifactpromoter.it.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.artifactpromoter.artifact.BuildInfo;
import org.artifactpromoter.aws.AccountSessions;
import org.artifactpromoter.aws.AwsClients;
import org.artifactpromoter.aws.S3ArtifactStores;
import org.artifactpromoter.it.support.LocalAccounts;
import org.artifactpromoter.it.support.MotoServer;
import org.artifactpromoter.promotion.Promoter;
import org.artifactpromoter.promotion.PromotionConfig;
import org.artifactpromoter.promotion.PromotionContext;
import org.artifactpromoter.promotion.PromotionIds;
import org.artifactpromoter.promotion.PromotionRequest;
import org.artifactpromoter.promotion.PromotionResult;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * Warm promotions: N full promotions (release copy + drop-key copy) in one JVM after a warm-up,
 * measuring the wall time of the promotions and the time covered by the S3/STS calls they make (the
 * union of every SDK call's interval, so parallel calls are not counted twice). What is left is the
 * time our code adds.
 *
 * <p>Run: {@code mvn -q -pl integration-tests exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.artifactpromoter.it.bench.WarmPromotionBenchmark -Dexec.args=200}
 */
public final class WarmPromotionBenchmark {
  private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("bench-start");
  private static final List<long[]> CALLS = new ArrayList<>();

  /** Per operation: calls and total nanoseconds, to see where the calls' time goes. */
  private static final java.util.Map<String, long[]> BY_OPERATION = new java.util.TreeMap<>();

  /** As the Lambda's graph builds it: KMS in the key's region, the promoter's own credentials. */
  private static org.artifactpromoter.promotion.ReleaseProvenance provenance(
      PromotionConfig config, AwsClients clients) {
    var policy = config.provenance();
    if (!policy.enabled()) {
      return org.artifactpromoter.promotion.ReleaseProvenance.off();
    }
    return new org.artifactpromoter.promotion.ReleaseProvenance(
        policy,
        new org.artifactpromoter.provenance.KmsPublicKeyProvider(
            clients.kms(
                software.amazon.awssdk.regions.Region.of(policy.signingKeyArn().region()),
                DefaultCredentialsProvider.builder().build())));
  }

  public static void main(String[] args) throws Exception {
    int promotions = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int warmUp = 50;
    try (MotoServer moto = MotoServer.start()) {
      LocalAccounts accounts = new LocalAccounts(moto).create();
      Path dir = Files.createTempDirectory("warm-bench");
      Path pkg = LocalAccounts.packageFile(dir, "p.zip", 64 * 1024, 1);
      String revision = LocalAccounts.revision(1);
      for (int i = 0; i < warmUp + promotions; i++) {
        accounts.publish(
            "fn-" + i, "dev", pkg, new BuildInfo(revision, "main", null, "bench", null));
      }
      PromotionConfig config = accounts.config(null);
      ExecutorService executor = Executors.newFixedThreadPool(4);
      AwsClients clients =
          new AwsClients(
              UrlConnectionHttpClient.create(),
              true,
              ClientOverrideConfiguration.builder().addExecutionInterceptor(new Timing()).build());
      AccountSessions sessions =
          new AccountSessions(
              clients.sts(LocalAccounts.REGION, DefaultCredentialsProvider.builder().build()),
              clients);
      Promoter promoter =
          new Promoter(
              config,
              new S3ArtifactStores(sessions, config.copy(), executor),
              executor,
              provenance(config, clients));

      for (int i = 0; i < warmUp; i++) {
        promote(promoter, config, "fn-" + i);
      }
      synchronized (CALLS) {
        CALLS.clear();
        BY_OPERATION.clear();
      }
      long start = System.nanoTime();
      for (int i = warmUp; i < warmUp + promotions; i++) {
        promote(promoter, config, "fn-" + i);
      }
      long wall = System.nanoTime() - start;
      long covered = covered();
      int calls;
      synchronized (CALLS) {
        calls = CALLS.size();
      }
      double overhead = (wall - covered) / (double) covered;
      System.out.printf(
          "%d warm promotions: wall %.0f ms, S3/STS calls %d covering %.0f ms, our code %.0f ms"
              + " (%.1f%% on top of the calls; target <= 10%%), %.2f ms per promotion%n",
          promotions,
          wall / 1e6,
          calls,
          covered / 1e6,
          (wall - covered) / 1e6,
          overhead * 100,
          wall / 1e6 / promotions);
      synchronized (CALLS) {
        BY_OPERATION.forEach(
            (operation, stats) ->
                System.out.printf(
                    "  %-22s %5d calls, %6.2f ms each%n",
                    operation, stats[0], stats[1] / 1e6 / stats[0]));
      }
      executor.shutdownNow();
    }
  }

  private static void promote(Promoter promoter, PromotionConfig config, String function) {
    PromotionResult result =
        promoter.promoteNow(
            PromotionRequest.of(function, "dev", "stage", null, false, null, config),
            PromotionContext.oneShot(PromotionIds.next(java.time.Clock.systemUTC()), "benchmark"));
    if (result.status() != PromotionResult.Status.PROMOTED) {
      throw new IllegalStateException("expected a full promotion, got " + result.status());
    }
  }

  /** Total time during which at least one SDK call was under way. */
  private static long covered() {
    List<long[]> intervals;
    synchronized (CALLS) {
      intervals = new ArrayList<>(CALLS);
    }
    intervals.sort(Comparator.comparingLong(a -> a[0]));
    long total = 0;
    long currentStart = -1;
    long currentEnd = -1;
    for (long[] call : intervals) {
      if (call[0] > currentEnd) {
        total += currentEnd - currentStart;
        currentStart = call[0];
        currentEnd = call[1];
      } else {
        currentEnd = Math.max(currentEnd, call[1]);
      }
    }
    return total + (currentEnd - currentStart);
  }

  /** Times every SDK call from the moment it is made to the moment its result is ready. */
  private static final class Timing implements ExecutionInterceptor {
    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      attributes.putAttribute(STARTED, System.nanoTime());
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
      record(attributes);
    }

    /** A 404 from HEAD ("not there yet") is a call like any other. */
    @Override
    public void onExecutionFailure(
        Context.FailedExecution context, ExecutionAttributes attributes) {
      record(attributes);
    }

    private static void record(ExecutionAttributes attributes) {
      long end = System.nanoTime();
      Long started = attributes.getAttribute(STARTED);
      if (started != null) {
        String operation =
            attributes.getAttribute(
                software.amazon.awssdk.core.interceptor.SdkExecutionAttribute.OPERATION_NAME);
        synchronized (CALLS) {
          CALLS.add(new long[] {started, end});
          long[] stats = BY_OPERATION.computeIfAbsent(operation, o -> new long[2]);
          stats[0]++;
          stats[1] += end - started;
        }
      }
    }
  }
}
