package org.artifactpromoter.wiring;

import dagger.Module;
import dagger.Provides;
import javax.inject.Singleton;
import org.artifactpromoter.aws.AccountSessions;
import org.artifactpromoter.aws.AwsClients;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * SDK clients, built once per container (or CLI run) and shared: one HTTP client, explicit region
 * and credentials, no Apache or Netty on the classpath.
 */
@Module
public interface AwsModule {
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

  /** Promotion events go to the bus of the account (and region) the promoter runs in. */
  @Provides
  @Singleton
  static EventBridgeClient eventBridge(AwsClients clients, Region region) {
    return clients.eventBridge(region, DefaultCredentialsProvider.builder().build());
  }

  @Provides
  @Singleton
  static AccountSessions accountSessions(StsClient sts, AwsClients clients) {
    return new AccountSessions(sts, clients);
  }
}
