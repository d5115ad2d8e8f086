package org.artifactpromoter.function;

import dagger.BindsInstance;
import dagger.Component;
import javax.inject.Singleton;
import org.artifactpromoter.promotion.PromotionConfig;
import org.artifactpromoter.wiring.AwsModule;
import org.artifactpromoter.wiring.PromotionModule;

/**
 * The promote function's object graph: the core's modules and the CodePipeline job protocol. The
 * Lambda handler and the CLI's {@code invoke} build this same graph.
 */
@Singleton
@Component(modules = {AwsModule.class, PromotionModule.class, FunctionModule.class})
public interface FunctionComponent {
  PromoteFunction promoteFunction();

  @Component.Factory
  interface Factory {
    FunctionComponent create(
        @BindsInstance PromotionConfig config, @BindsInstance PipelineEndpoint endpoint);
  }

  /** The function of a valid configuration document, reporting jobs to the standard endpoint. */
  static PromoteFunction fromConfig(String json) {
    return fromConfig(json, PipelineEndpoint.standard());
  }

  /** The function of a valid configuration document, reporting jobs to {@code endpoint}. */
  static PromoteFunction fromConfig(String json, PipelineEndpoint endpoint) {
    return DaggerFunctionComponent.factory()
        .create(PromotionConfig.parse(json), endpoint)
        .promoteFunction();
  }
}
