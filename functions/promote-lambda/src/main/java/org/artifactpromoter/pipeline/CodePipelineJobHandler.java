package org.artifactpromoter.pipeline;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.node.ObjectNode;
import javax.inject.Inject;
import org.artifactpromoter.promotion.Promoter;
import org.artifactpromoter.promotion.PromotionException;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;

/** WORK IN PROGRESS (issue 3): handles a CodePipeline job event. */
public final class CodePipelineJobHandler {
  public static final String EVENT_KEY = "CodePipeline.job";

  private final Promoter promoter;
  private final CodePipelineClient codePipeline;

  @Inject
  public CodePipelineJobHandler(Promoter promoter, CodePipelineClient codePipeline) {
    this.promoter = promoter;
    this.codePipeline = codePipeline;
  }

  public void handle(ObjectNode event, Context context) {
    throw new UnsupportedOperationException("issue 3");
  }

  public static void reportConfigurationError(ObjectNode event, PromotionException error) {
    throw new UnsupportedOperationException("issue 3");
  }
}
