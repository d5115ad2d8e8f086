package org.artifactpromoter.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.artifactpromoter.json.Json;
import org.artifactpromoter.pipeline.CodePipelineJobHandler;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.promotion.PromotionFailure;

/**
 * The Lambda entry point. One function serves both callers: a CodePipeline Invoke action (the event
 * has a {@code CodePipeline.job} key) and a direct {@code aws lambda invoke} with a promotion
 * request. It only translates events into one domain call and the outcome back.
 */
public final class PromoteHandler implements RequestStreamHandler {
  /** Generous for a job event (it lists artifacts); promotion requests are limited far lower. */
  static final int MAX_EVENT_BYTES = 256 * 1024;

  static {
    LogFormat.configure();
  }

  private final DirectInvocation direct;
  private final CodePipelineJobHandler jobs;
  private final PromotionException configurationError;

  /** The runtime's constructor: builds the graph once per container from PROMOTION_CONFIG. */
  public PromoteHandler() {
    this(System.getenv("PROMOTION_CONFIG"));
  }

  /**
   * Builds the graph from a configuration document (the CLI's {@code invoke} passes its file). An
   * invalid document does not fail construction: it is reported on every invocation, and as the
   * job's ConfigurationError, rather than as a crash loop that tells the caller nothing.
   */
  public PromoteHandler(String configJson) {
    PromoterComponent component = null;
    PromotionException error = null;
    try {
      component = PromoterComponent.fromConfig(configJson);
    } catch (PromotionException e) {
      error = e;
    }
    if (component != null) {
      this.direct = component.directInvocation();
      this.jobs = component.codePipelineJobHandler();
    } else {
      this.direct = null;
      this.jobs =
          CodePipelineJobHandler.misconfigured(
              error, AwsModule.codePipeline(AwsModule.awsClients(), AwsModule.homeRegion()));
    }
    this.configurationError = error;
  }

  /** For tests: collaborators built elsewhere. */
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
      // Reports to CodePipeline itself and never throws: Lambda must not retry a reported job.
      jobs.handle(root, context);
      try {
        output.write("{}".getBytes(StandardCharsets.UTF_8));
      } catch (IOException | RuntimeException ignored) {
        // CodePipeline reads the job result, not the function's output.
      }
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
