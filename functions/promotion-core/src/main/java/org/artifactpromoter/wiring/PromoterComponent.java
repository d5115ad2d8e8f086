package org.artifactpromoter.wiring;

import dagger.BindsInstance;
import dagger.Component;
import java.time.Clock;
import javax.inject.Singleton;
import org.artifactpromoter.announce.PromotionAnnouncer;
import org.artifactpromoter.artifact.ArtifactStores;
import org.artifactpromoter.aws.CallerIdentity;
import org.artifactpromoter.promotion.DirectInvocation;
import org.artifactpromoter.promotion.Promoter;
import org.artifactpromoter.promotion.PromotionConfig;
import org.artifactpromoter.status.RunningCode;

/**
 * The object graph of the promoter. The CLI's commands use these entry points; the function
 * (Lambda, and the CLI's {@code invoke}) builds a larger graph from the same modules, with the
 * CodePipeline job protocol on top.
 */
@Singleton
@Component(modules = {AwsModule.class, PromotionModule.class, DeployedCodeModule.class})
public interface PromoterComponent {
  Promoter promoter();

  /** A promotion request as JSON, answered as a direct Lambda invocation answers it. */
  DirectInvocation directInvocation();

  /** The artifact bucket of each environment, through its promotion role (status, history). */
  ArtifactStores artifactStores();

  Clock clock();

  /** Who runs the CLI, as STS says: recorded as promoted-by for break-glass and rollbacks. */
  CallerIdentity callerIdentity();

  /** Announces the CLI's promotion outcomes as promotion events. */
  PromotionAnnouncer announcer();

  /** What each environment's drop key holds and its deployed function runs (status, verify). */
  RunningCode runningCode();

  @Component.Factory
  interface Factory {
    PromoterComponent create(@BindsInstance PromotionConfig config);
  }

  /** Builds the graph from a configuration document (PROMOTION_CONFIG or a file's content). */
  static PromoterComponent fromConfig(String json) {
    return DaggerPromoterComponent.factory().create(PromotionConfig.parse(json));
  }
}
