package org.artifactpromoter.lambda;

import dagger.BindsInstance;
import dagger.Component;
import java.time.Clock;
import javax.inject.Singleton;
import org.artifactpromoter.artifact.ArtifactCopier;
import org.artifactpromoter.aws.AccountSessions;
import org.artifactpromoter.aws.AwsClients;
import org.artifactpromoter.pipeline.CodePipelineJobHandler;
import org.artifactpromoter.promotion.Promoter;
import org.artifactpromoter.promotion.PromotionConfig;

/** The object graph of the promoter, shared by the Lambda handlers and the CLI. */
@Singleton
@Component(modules = AwsModule.class)
public interface PromoterComponent {
  Promoter promoter();

  DirectInvocation directInvocation();

  CodePipelineJobHandler codePipelineJobHandler();

  AccountSessions accountSessions();

  AwsClients awsClients();

  ArtifactCopier artifactCopier();

  Clock clock();

  @Component.Factory
  interface Factory {
    PromoterComponent create(@BindsInstance PromotionConfig config);
  }

  /** Builds the graph from a configuration document (PROMOTION_CONFIG or a file's content). */
  static PromoterComponent fromConfig(String json) {
    return DaggerPromoterComponent.factory().create(PromotionConfig.parse(json));
  }
}
