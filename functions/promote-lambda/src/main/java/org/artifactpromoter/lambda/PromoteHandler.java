package org.artifactpromoter.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.artifactpromoter.function.PromoteFunction;
import org.artifactpromoter.json.Json;
import org.artifactpromoter.logging.LogContext;
import org.artifactpromoter.logging.LogFormat;
import org.artifactpromoter.logging.StructuredLogging;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.pipeline.Deadline;
import org.artifactpromoter.pipeline.Invocation;
import org.artifactpromoter.promotion.PromotionFailure;
import org.crac.Core;
import org.crac.Resource;

/**
 * The Lambda entry point: moves the event's bytes to the {@link PromoteFunction} and its answer
 * back, and turns a refusal into the function error the runtime reports. With SnapStart it is also
 * the snapshot's CRaC resource: before the snapshot it primes the function (offline, no AWS call,
 * no credentials resolved), after each restore it gives the copy fresh ids and no old sessions.
 */
public final class PromoteHandler implements RequestStreamHandler, Resource {
  static {
    LogFormat.configure();
    // AWS_LAMBDA_LOG_FORMAT=JSON (the promote-function module sets it): one JSON object per record,
    // with the LogContext fields (promotionId, function, from, to, jobId) the scopes below set.
    StructuredLogging.configure(System.getenv());
  }

  private final PromoteFunction function;

  /**
   * The runtime's constructor: builds the graph once per container from PROMOTION_CONFIG, and
   * registers for SnapStart's checkpoint and restore. The global context holds resources weakly;
   * the runtime holds this handler for the container's life.
   */
  public PromoteHandler() {
    this(PromoteFunction.forRuntime(System.getenv("PROMOTION_CONFIG")));
    Core.getGlobalContext().register(this);
  }

  public PromoteHandler(PromoteFunction function) {
    this.function = function;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    byte[] event = input.readNBytes(PromoteFunction.MAX_EVENT_BYTES + 1);
    String answer;
    try (LogContext.Scope scope =
        LogContext.builder().requestId(context == null ? null : context.getAwsRequestId()).open()) {
      answer = function.handle(event, invocation(context));
    } catch (PromotionException e) {
      throw new PromotionFailedException(Json.write(PromotionFailure.of(e)));
    }
    try {
      output.write(answer.getBytes(StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      if (!PromoteFunction.JOB_ANSWER.equals(answer)) {
        throw e;
      }
      // A job's answer: CodePipeline reads the job result, not the function's output.
    }
  }

  @Override
  public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
    function.beforeSnapshot();
  }

  @Override
  public void afterRestore(org.crac.Context<? extends Resource> context) {
    function.afterRestore();
  }

  private static Invocation invocation(Context context) {
    return context == null
        ? Invocation.unbounded()
        : new Invocation(
            context.getInvokedFunctionArn(), Deadline.of(context::getRemainingTimeInMillis));
  }
}
