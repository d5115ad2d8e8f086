package org.artifactpromoter.wiring;

import dagger.Module;
import dagger.Provides;
import javax.inject.Singleton;
import org.artifactpromoter.aws.AccountSessions;
import org.artifactpromoter.aws.AwsClients;
import org.artifactpromoter.promotion.PromotionConfig;
import org.artifactpromoter.promotion.ProvenancePolicy;
import org.artifactpromoter.promotion.ReleaseProvenance;
import org.artifactpromoter.provenance.KmsPublicKeyProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.kms.KmsClient;
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

  /**
   * Provenance is verified with the promoter's own credentials (the promote function's role, which
   * the signing key's policy lets call kms:GetPublicKey), through a client in the key's region.
   * Built only when the configuration turns provenance on; the public key is fetched once.
   */
  @Provides
  @Singleton
  static ReleaseProvenance releaseProvenance(PromotionConfig config, AwsClients clients) {
    ProvenancePolicy policy = config.provenance();
    if (!policy.enabled()) {
      return ReleaseProvenance.off();
    }
    KmsClient kms =
        clients.kms(
            Region.of(policy.signingKeyArn().region()),
            DefaultCredentialsProvider.builder().build());
    return new ReleaseProvenance(policy, new KmsPublicKeyProvider(kms));
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
