package org.artifactpromoter.function;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.artifactpromoter.json.Json;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.pipeline.CodePipelineJobHandler;
import org.artifactpromoter.pipeline.ConfigurationErrorJob;
import org.artifactpromoter.pipeline.Invocation;
import org.artifactpromoter.pipeline.PipelineClients;
import org.artifactpromoter.promotion.PromotionIds;
import org.artifactpromoter.promotion.PromotionResult;
import org.artifactpromoter.wiring.AwsModule;

/**
 * The promote function, whatever runs it: one function serves both callers, a CodePipeline Invoke
 * action (the event has a {@code CodePipeline.job} key) and a direct invocation with a promotion
 * request. The Lambda handler and the CLI's {@code invoke} only move bytes in and out.
 */
public final class PromoteFunction {
  /** Generous for a job event (it lists artifacts); promotion requests are limited far lower. */
  public static final int MAX_EVENT_BYTES = 256 * 1024;

  /**
   * The error type a refused direct invocation reports (what {@code aws lambda invoke} shows as
   * {@code errorType}): the Lambda handler's exception, which its tests keep equal to this name.
   */
  public static final String FUNCTION_ERROR_TYPE =
      "org.artifactpromoter.lambda.PromotionFailedException";

  /** The answer to a job event: its result went to CodePipeline, which ignores the output. */
  public static final String JOB_ANSWER = "{}";

  /** Answers a promotion request, or refuses it. */
  @FunctionalInterface
  public interface DirectRequests {
    PromotionResult handle(String requestJson);
  }

  /** What a SnapStart snapshot needs done before it is taken and after each restore. */
  public interface SnapshotHooks {
    /**
     * A function that cannot promote (invalid configuration) has nothing to prime, but its restored
     * copies still need ids of their own.
     */
    SnapshotHooks IDS_ONLY =
        new SnapshotHooks() {
          @Override
          public int beforeSnapshot() {
            return 0;
          }

          @Override
          public void afterRestore() {
            PromotionIds.reseed();
          }
        };

    /** Loads and links what a promotion uses, calling no AWS; returns the offline calls made. */
    int beforeSnapshot();

    /** Refreshes what every copy of one snapshot would otherwise share. */
    void afterRestore();
  }

  private final DirectRequests direct;
  private final CodePipelineJobHandler jobs;
  private final SnapshotHooks snapshot;

  public PromoteFunction(
      DirectRequests direct, CodePipelineJobHandler jobs, SnapshotHooks snapshot) {
    this.direct = direct;
    this.jobs = jobs;
    this.snapshot = snapshot;
  }

  /** Before a SnapStart snapshot: see {@link SnapshotHooks#beforeSnapshot()}. */
  public int beforeSnapshot() {
    return snapshot.beforeSnapshot();
  }

  /** After a SnapStart restore: see {@link SnapshotHooks#afterRestore()}. */
  public void afterRestore() {
    snapshot.afterRestore();
  }

  /**
   * The function of {@code configJson} as the Lambda runtime runs it. An invalid document does not
   * fail here: it is reported on every invocation, and as each job's ConfigurationError, rather
   * than as a crash loop that tells the caller nothing.
   */
  public static PromoteFunction forRuntime(String configJson) {
    try {
      return FunctionComponent.fromConfig(configJson);
    } catch (PromotionException invalid) {
      return misconfigured(invalid);
    }
  }

  private static PromoteFunction misconfigured(PromotionException error) {
    return new PromoteFunction(
        request -> {
          throw error;
        },
        new CodePipelineJobHandler(
            new ConfigurationErrorJob(error),
            PipelineClients.single(
                FunctionModule.codePipelineBuilder(AwsModule.awsClients(), AwsModule.homeRegion())
                    .build())),
        SnapshotHooks.IDS_ONLY);
  }

  /**
   * Answers one event with the function's output (JSON). A refused direct invocation throws {@link
   * PromotionException}; a job event is answered {@code {}} after its result went to CodePipeline,
   * and never throws: Lambda must not retry a reported job.
   *
   * @param event the event's bytes, at most {@link #MAX_EVENT_BYTES} (one more says it is larger)
   */
  public String handle(byte[] event, Invocation invocation) {
    if (event.length > MAX_EVENT_BYTES) {
      throw PromotionException.invalid(
          "The event is larger than " + MAX_EVENT_BYTES + " bytes; send a promotion request.");
    }
    String json = new String(event, StandardCharsets.UTF_8);
    ObjectNode root = Json.parseObject(json, "The event");
    if (root.has(CodePipelineJobHandler.EVENT_KEY)) {
      jobs.handle(root, invocation);
      return JOB_ANSWER;
    }
    try {
      return Json.write(direct.handle(json));
    } catch (RuntimeException e) {
      throw e instanceof PromotionException refusal
          ? refusal
          : new PromotionException(ErrorCode.INTERNAL, "Unexpected failure: " + e, e);
    }
  }
}
