package org.artifactpromoter.promotion;

import java.lang.System.Logger.Level;
import java.time.Clock;
import javax.inject.Inject;
import org.artifactpromoter.logging.LogContext;
import org.artifactpromoter.logsafety.LogSafe;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionAudit;
import org.artifactpromoter.model.PromotionException;

/**
 * A promotion request sent with {@code aws lambda invoke}: parse, promote, answer. Its caller sees
 * the result only as the function's output, so the outcome is logged here too.
 *
 * <p>The function cannot know who invoked it (Lambda does not tell it), so a direct invocation
 * cannot prove an approval: into an environment with {@code requireApproval} it is refused ({@code
 * APPROVAL_REQUIRED}) before anything is read or written. Only a dry run, which writes nothing, is
 * answered there.
 */
public final class DirectInvocation {
  /**
   * What is known of who promoted: only the channel. Recorded as promoted-by (and as the STS
   * SourceIdentity) instead of a name that would suggest an identity was checked.
   */
  public static final String PROMOTED_BY = "direct-lambda-invocation";

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
    if (promoter.config().approval(request.to()).required() && !request.dryRun()) {
      throw new PromotionException(
          ErrorCode.APPROVAL_REQUIRED,
          request.to()
              + " requires an approval (requireApproval), and a direct invocation cannot prove"
              + " one: the function does not know who invoked it. Promote "
              + request.from()
              + " -> "
              + request.to()
              + " through the pipeline's manual approval, or in an emergency with the CLI:"
              + " `artifact-promoter promote --break-glass --reason TEXT` under your own"
              + " credentials.");
    }
    PromotionResult result =
        promoter.promoteNow(
            request,
            PromotionContext.oneShot(
                promotionId, PROMOTED_BY, new PromotionAudit(null, PROMOTED_BY, false)));
    LOG.log(
        Level.INFO,
        "{0} {1} {2} -> {3} revision {4} promotion {5} drop-key version {6} promoted-by {7}"
            + " reason {8}",
        result.status(),
        result.function(),
        result.from(),
        result.to(),
        result.revision(),
        result.promotionId(),
        result.dropKey() == null ? null : result.dropKey().versionId(),
        PROMOTED_BY,
        LogSafe.text(result.reason()));
    return result;
  }
}
