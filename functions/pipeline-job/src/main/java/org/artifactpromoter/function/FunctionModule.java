package org.artifactpromoter.function;

import dagger.Binds;
import dagger.Module;
import dagger.Provides;
import java.time.Clock;
import java.time.Duration;
import javax.inject.Singleton;
import org.artifactpromoter.announce.PromotionAnnouncer;
import org.artifactpromoter.aws.AccountSessions;
import org.artifactpromoter.aws.AttemptLog;
import org.artifactpromoter.aws.AwsClients;
import org.artifactpromoter.pipeline.AccountPipelineClients;
import org.artifactpromoter.pipeline.CodePipelineJobHandler;
import org.artifactpromoter.pipeline.JobWork;
import org.artifactpromoter.pipeline.PipelineClients;
import org.artifactpromoter.pipeline.PromotionJob;
import org.artifactpromoter.promotion.DirectInvocation;
import org.artifactpromoter.promotion.PromotionConfig;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.CodePipelineClientBuilder;

/** The CodePipeline side of the function: its client, the job work, and where results go. */
@Module
public interface FunctionModule {
  /** Attempts per CodePipeline call: one more than the SDK's default, results must arrive. */
  int RESULT_ATTEMPTS = 4;

  @Binds
  JobWork jobWork(PromotionJob job);

  @Provides
  static PromoteFunction promoteFunction(
      DirectPromotions direct, CodePipelineJobHandler jobs, SnapshotPriming snapshot) {
    return new PromoteFunction(direct, jobs, snapshot);
  }

  @Provides
  static DirectPromotions directPromotions(
      DirectInvocation direct, PromotionConfig config, PromotionAnnouncer announcer, Clock clock) {
    return new DirectPromotions(direct::handle, config, announcer, clock);
  }

  @Provides
  @Singleton
  static CodePipelineClient codePipeline(
      AwsClients clients, Region region, PipelineEndpoint endpoint) {
    return endpoint.applyTo(codePipelineBuilder(clients, region)).build();
  }

  /**
   * Job results must arrive: the standard retry strategy, with one attempt more than its default,
   * retries throttling and server errors, and a bounded attempt time keeps those retries inside the
   * invocation's reporting reserve. Also used without the graph (a function whose configuration is
   * invalid still reports its jobs).
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
      PipelineEndpoint endpoint) {
    return new AccountPipelineClients(
        own,
        config,
        sessions,
        (credentials, pipelineRegion) ->
            endpoint
                .applyTo(codePipelineBuilder(clients, pipelineRegion))
                .credentialsProvider(credentials)
                .build());
  }
}
