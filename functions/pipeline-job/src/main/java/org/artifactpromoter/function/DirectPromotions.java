package org.artifactpromoter.function;

import java.time.Clock;
import java.time.Duration;
import org.artifactpromoter.announce.Attempt;
import org.artifactpromoter.announce.PromotionAnnouncer;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.pipeline.Invocation;
import org.artifactpromoter.promotion.PromotionConfig;
import org.artifactpromoter.promotion.PromotionIds;
import org.artifactpromoter.promotion.PromotionRequest;
import org.artifactpromoter.promotion.PromotionResult;

/**
 * Direct invocations ({@code aws lambda invoke} with a promotion request): promotes, then announces
 * the outcome, refusals included, before the function returns (a frozen execution environment sends
 * nothing). The announcement never changes what the caller is answered.
 */
final class DirectPromotions {
  /** Kept back from announcing: the runtime needs it to return the answer before the timeout. */
  static final Duration RETURN_RESERVE = Duration.ofSeconds(1);

  /** The most an announcement may take when the invocation has no deadline (a local run). */
  static final Duration MAX_ANNOUNCING = Duration.ofSeconds(10);

  /** Promotes one request under the given promotion id, or throws the refusal. */
  @FunctionalInterface
  interface Promotions {
    PromotionResult promote(String requestJson, String promotionId);
  }

  private final Promotions promotions;
  private final PromotionConfig config;
  private final PromotionAnnouncer announcer;
  private final Clock clock;

  /**
   * @param config the configuration, or null when it is invalid (then every request is refused, and
   *     the event names no environment)
   */
  DirectPromotions(
      Promotions promotions, PromotionConfig config, PromotionAnnouncer announcer, Clock clock) {
    this.promotions = promotions;
    this.config = config;
    this.announcer = announcer;
    this.clock = clock;
  }

  PromotionResult handle(String requestJson, Invocation invocation) {
    String promotionId = PromotionIds.next(clock);
    PromotionResult result;
    try {
      result = promotions.promote(requestJson, promotionId);
    } catch (RuntimeException e) {
      PromotionException refusal =
          e instanceof PromotionException known
              ? known
              : new PromotionException(ErrorCode.INTERNAL, "Unexpected failure: " + e, e);
      announce(
          () ->
              PromotionAnnouncer.refused(
                  refusal, Attempt.ofRequestJson(promotionId, requestJson, config)),
          invocation);
      throw refusal;
    }
    announce(
        () ->
            PromotionAnnouncer.succeeded(
                result, Attempt.of(promotionId, PromotionRequest.parse(requestJson, config))),
        invocation);
    return result;
  }

  private void announce(
      java.util.function.Supplier<org.artifactpromoter.events.PromotionEvent> event,
      Invocation invocation) {
    Duration left = invocation.deadline().remaining().minus(RETURN_RESERVE);
    try {
      announcer.announce(event.get(), left.compareTo(MAX_ANNOUNCING) > 0 ? MAX_ANNOUNCING : left);
    } catch (RuntimeException e) {
      // Describing the event failed (a bug of ours): the promotion's answer stands.
      System.getLogger(DirectPromotions.class.getName())
          .log(System.Logger.Level.WARNING, "no promotion event: {0}", e.toString());
    }
  }
}
