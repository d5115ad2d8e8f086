package org.artifactpromoter.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.artifactpromoter.internal.Json;
import org.artifactpromoter.pipeline.CodePipelineJobHandler;
import org.artifactpromoter.promotion.ErrorCode;
import org.artifactpromoter.promotion.PromotionException;
import org.artifactpromoter.promotion.PromotionFailure;

/**
 * The Lambda entry point. One function serves both callers: a CodePipeline Invoke action (the event
 * has a {@code CodePipeline.job} key) and a direct {@code aws lambda invoke} with a promotion
 * request. It only translates events into one domain call and the outcome back.
 */
public final class PromoteHandler implements RequestStreamHandler {
  /** Generous for a job event (it lists artifacts); promotion requests are limited far lower. */
  static final int MAX_EVENT_BYTES = 256 * 1024;

  private final DirectInvocation direct;
  private final CodePipelineJobHandler jobs;
  private final PromotionException configurationError;

  /** The runtime's constructor: builds the graph once per container from PROMOTION_CONFIG. */
  public PromoteHandler() {
    PromoterComponent component = null;
    PromotionException error = null;
    try {
      component = PromoterComponent.fromConfig(System.getenv("PROMOTION_CONFIG"));
    } catch (PromotionException e) {
      // Reported on every invocation (and as the job's ConfigurationError) rather than a crash
      // loop that tells the caller nothing.
      error = e;
    }
    this.direct = component == null ? null : component.directInvocation();
    this.jobs = component == null ? null : component.codePipelineJobHandler();
    this.configurationError = error;
  }

  public PromoteHandler(DirectInvocation direct, CodePipelineJobHandler jobs) {
    this.direct = direct;
    this.jobs = jobs;
    this.configurationError = null;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    byte[] event = input.readNBytes(MAX_EVENT_BYTES + 1);
    String json = new String(event, StandardCharsets.UTF_8);
    ObjectNode root = null;
    try {
      if (event.length > MAX_EVENT_BYTES) {
        throw PromotionException.invalid(
            "The event is larger than " + MAX_EVENT_BYTES + " bytes; send a promotion request.");
      }
      root = Json.parseObject(json, "The event");
    } catch (PromotionException e) {
      fail(e);
    }
    if (root.has(CodePipelineJobHandler.EVENT_KEY)) {
      if (configurationError != null) {
        CodePipelineJobHandler.reportConfigurationError(root, configurationError);
        return;
      }
      jobs.handle(root, context);
      output.write("{}".getBytes(StandardCharsets.UTF_8));
      return;
    }
    if (configurationError != null) {
      fail(configurationError);
    }
    try {
      output.write(Json.write(direct.handle(json)).getBytes(StandardCharsets.UTF_8));
    } catch (PromotionException e) {
      fail(e);
    } catch (RuntimeException e) {
      fail(new PromotionException(ErrorCode.INTERNAL, "Unexpected failure: " + e, e));
    }
  }

  private static void fail(PromotionException e) {
    throw new PromotionFailedException(Json.write(PromotionFailure.of(e)));
  }
}
