package org.artifactpromoter.lambda;

import dagger.Module;
import dagger.Provides;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.inject.Singleton;
import org.artifactpromoter.artifact.ArtifactCopier;
import org.artifactpromoter.aws.AccountSessions;
import org.artifactpromoter.aws.AttemptLog;
import org.artifactpromoter.aws.AwsClients;
import org.artifactpromoter.pipeline.AccountPipelineClients;
import org.artifactpromoter.pipeline.PipelineClients;
import org.artifactpromoter.promotion.Promoter;
import org.artifactpromoter.promotion.PromotionConfig;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.CodePipelineClientBuilder;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * SDK clients, built once per container (or CLI run) and shared: one HTTP client, explicit region
 * and credentials, no Apache or Netty on the classpath.
 */
@Module
public interface AwsModule {
  /** Attempts per CodePipeline call: one more than the SDK's default, results must arrive. */
  int RESULT_ATTEMPTS = 4;

  @Provides
  @Singleton
  static AwsClients awsClients() {
    return new AwsClients();
  }

  /** The promoter's own region: the Lambda's, or the CLI user's AWS_REGION / profile. */
  @Provides
  @Singleton
  static Region homeRegion() {
    try {
      return new DefaultAwsRegionProviderChain().getRegion();
    } catch (SdkClientException noRegionConfigured) {
      return Region.US_EAST_1;
    }
  }

  @Provides
  @Singleton
  static StsClient sts(AwsClients clients, Region region) {
    return clients.sts(region, DefaultCredentialsProvider.builder().build());
  }

  @Provides
  @Singleton
  static CodePipelineClient codePipeline(AwsClients clients, Region region) {
    return codePipelineBuilder(clients, region).build();
  }

  /**
   * Job results must arrive: the standard retry strategy, with one attempt more than its default,
   * retries throttling and server errors, and a bounded attempt time keeps those retries inside the
   * invocation's reporting reserve. Also used without the graph (a function whose configuration is
   * invalid still reports its jobs) and by tests that point it at a local endpoint.
   */
  static CodePipelineClientBuilder codePipelineBuilder(AwsClients clients, Region region) {
    return CodePipelineClient.builder()
        .httpClient(clients.http())
        .region(region)
        .credentialsProvider(DefaultCredentialsProvider.builder().build())
        .overrideConfiguration(
            o ->
                o.retryStrategy(
                        AwsRetryStrategy.standardRetryStrategy().toBuilder()
                            .maxAttempts(RESULT_ATTEMPTS)
                            .build())
                    .addExecutionInterceptor(new AttemptLog(RESULT_ATTEMPTS))
                    .apiCallAttemptTimeout(Duration.ofSeconds(5)));
  }

  /** Job results and approvals go to the pipeline's account: see {@link AccountPipelineClients}. */
  @Provides
  @Singleton
  static PipelineClients pipelineClients(
      CodePipelineClient own,
      PromotionConfig config,
      AccountSessions sessions,
      AwsClients clients,
      Region region) {
    return new AccountPipelineClients(
        own,
        config,
        sessions,
        (credentials, pipelineRegion) ->
            codePipelineBuilder(clients, pipelineRegion).credentialsProvider(credentials).build());
  }

  @Provides
  @Singleton
  static AccountSessions accountSessions(StsClient sts, AwsClients clients) {
    return new AccountSessions(sts, clients);
  }

  /** Part copies run here; daemon threads so a CLI run ends when its work does. */
  @Provides
  @Singleton
  static ExecutorService partExecutor(PromotionConfig config) {
    return Executors.newFixedThreadPool(
        config.copy().maxConcurrency(),
        task -> {
          Thread thread = new Thread(task, "artifact-promoter-part");
          thread.setDaemon(true);
          return thread;
        });
  }

  @Provides
  @Singleton
  static ArtifactCopier artifactCopier(PromotionConfig config, ExecutorService partExecutor) {
    return new ArtifactCopier(config.copy(), partExecutor);
  }

  @Provides
  @Singleton
  static Promoter promoter(
      PromotionConfig config,
      AccountSessions sessions,
      ArtifactCopier copier,
      ExecutorService partExecutor) {
    return new Promoter(config, sessions, copier, partExecutor);
  }

  @Provides
  @Singleton
  static Clock clock() {
    return Clock.systemUTC();
  }
}
