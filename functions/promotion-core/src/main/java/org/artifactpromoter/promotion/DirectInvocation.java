package org.artifactpromoter.promotion;

import java.lang.System.Logger.Level;
import java.time.Clock;
import javax.inject.Inject;

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
    PromotionRequest request = PromotionRequest.parse(requestJson, promoter.config());
    PromotionResult result =
        promoter.promoteNow(
            request, PromotionContext.oneShot(PromotionIds.next(clock), "artifact-promoter"));
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
