package org.artifactpromoter.lambda;

import java.time.Clock;
import javax.inject.Inject;
import org.artifactpromoter.promotion.Promoter;
import org.artifactpromoter.promotion.PromotionContext;
import org.artifactpromoter.promotion.PromotionIds;
import org.artifactpromoter.promotion.PromotionRequest;
import org.artifactpromoter.promotion.PromotionResult;

/** A promotion request sent with {@code aws lambda invoke}: parse, promote, answer. */
public final class DirectInvocation {
  private final Promoter promoter;
  private final Clock clock;

  @Inject
  public DirectInvocation(Promoter promoter, Clock clock) {
    this.promoter = promoter;
    this.clock = clock;
  }

  /** Throws {@link org.artifactpromoter.promotion.PromotionException} on any refusal. */
  public PromotionResult handle(String requestJson) {
    PromotionRequest request = PromotionRequest.parse(requestJson, promoter.config());
    return promoter.promoteNow(
        request, PromotionContext.oneShot(PromotionIds.next(clock), "artifact-promoter"));
  }
}
