package org.artifactpromoter.function;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.artifactpromoter.announce.PromotionAnnouncer;
import org.artifactpromoter.aws.AwsClients;
import org.artifactpromoter.events.PromotionEventPublisher;
import org.artifactpromoter.json.Json;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.pipeline.CodePipelineJobHandler;
import org.artifactpromoter.pipeline.ConfigurationErrorJob;
import org.artifactpromoter.pipeline.Invocation;
import org.artifactpromoter.pipeline.PipelineClients;
import org.artifactpromoter.promotion.PromotionIds;
import org.artifactpromoter.wiring.AwsModule;
import software.amazon.awssdk.regions.Region;

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

  private final DirectPromotions direct;
  private final CodePipelineJobHandler jobs;
  private final SnapshotHooks snapshot;

  PromoteFunction(DirectPromotions direct, CodePipelineJobHandler jobs, SnapshotHooks snapshot) {
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

  /**
   * Without a valid configuration there is no graph: the clients are built here, and outcomes go to
   * the default event bus (the configuration that would name another one is what is broken).
   */
  private static PromoteFunction misconfigured(PromotionException error) {
    AwsClients clients = AwsModule.awsClients();
    Region region = AwsModule.homeRegion();
    PromotionAnnouncer announcer =
        new PromotionAnnouncer(
            new PromotionEventPublisher(AwsModule.eventBridge(clients, region), null));
    return new PromoteFunction(
        new DirectPromotions(
            (request, promotionId) -> {
              throw error;
            },
            null,
            announcer,
            Clock.systemUTC()),
        new CodePipelineJobHandler(
            new ConfigurationErrorJob(error),
            PipelineClients.single(FunctionModule.codePipelineBuilder(clients, region).build()),
            announcer),
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
      return Json.write(direct.handle(json, invocation));
    } catch (RuntimeException e) {
      throw e instanceof PromotionException refusal
          ? refusal
          : new PromotionException(ErrorCode.INTERNAL, "Unexpected failure: " + e, e);
    }
  }
}
