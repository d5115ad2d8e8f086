package org.artifactpromoter.promotion;

import java.lang.System.Logger.Level;
import java.time.Clock;
import javax.inject.Inject;
import org.artifactpromoter.logging.LogContext;

/**
 * A promotion request sent with {@code aws lambda invoke}: parse, promote, answer. Its caller sees
 * the result only as the function's output, so the outcome is logged here too.
 */
public final class DirectInvocation {
  private static final System.Logger LOG = System.getLogger(DirectInvocation.class.getName());

  private final Promoter promoter;
  private final Clock clock;

  @Inject
  public DirectInvocation(Promoter promoter, Clock clock) {
    this.promoter = promoter;
    this.clock = clock;
  }

  /** Throws {@link org.artifactpromoter.model.PromotionException} on any refusal. */
  public PromotionResult handle(String requestJson) {
    return handle(requestJson, PromotionIds.next(clock));
  }

  /**
   * As {@link #handle(String)}, under a promotion id the caller chose (to announce a refusal under
   * the same id); every record logged meanwhile carries the promotion's fields.
   */
  public PromotionResult handle(String requestJson, String promotionId) {
    PromotionRequest request = PromotionRequest.parse(requestJson, promoter.config());
    try (LogContext.Scope scope =
        LogContext.builder()
            .promotionId(promotionId)
            .function(request.function())
            .from(request.from())
            .to(request.to())
            .open()) {
      return promote(request, promotionId);
    }
  }

  private PromotionResult promote(PromotionRequest request, String promotionId) {
    PromotionResult result =
        promoter.promoteNow(request, PromotionContext.oneShot(promotionId, "artifact-promoter"));
    LOG.log(
        Level.INFO,
        "{0} {1} {2} -> {3} revision {4} promotion {5} drop-key version {6}",
        result.status(),
        result.function(),
        result.from(),
        result.to(),
        result.revision(),
        result.promotionId(),
        result.dropKey() == null ? null : result.dropKey().versionId());
    return result;
  }
}
