package org.artifactpromoter.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.artifactpromoter.announce.Attempt;
import org.artifactpromoter.announce.PromotionAnnouncer;
import org.artifactpromoter.json.Json;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.ObjectVersion;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.promotion.PromotionConfig;
import org.artifactpromoter.promotion.PromotionContext;
import org.artifactpromoter.promotion.PromotionIds;
import org.artifactpromoter.promotion.PromotionRequest;
import org.artifactpromoter.promotion.PromotionResult;
import org.artifactpromoter.wiring.PromoterComponent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "promote",
    mixinStandardHelpOptions = true,
    description = {
      "Promote a function's package to the next environment, with the same checks as the Lambda.",
      "Without --revision, promotes the revision at the source environment's drop key."
    })
final class PromoteCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin CommonOptions common;

  @Option(names = "--function", required = true, description = "Function name, e.g. orders-api.")
  String function;

  @Option(names = "--from", required = true, description = "Source environment, e.g. dev.")
  String from;

  @Option(names = "--to", required = true, description = "Destination environment, e.g. stage.")
  String to;

  @Option(names = "--revision", paramLabel = "SHA", description = "40-hex git commit to promote.")
  String revision;

  @Option(names = "--dry-run", description = "Validate and resolve everything; write nothing.")
  boolean dryRun;

  @Option(names = "--reason", description = "Why (ticket, incident), recorded in the log.")
  String reason;

  /**
   * How long the process may spend announcing the outcome after it printed it: the event is sent
   * while the result is printed, and the process exits when it was sent or given up on.
   */
  static final Duration ANNOUNCING_TIME = Duration.ofSeconds(5);

  @Override
  public Integer call() {
    PromoterComponent component = common.component();
    PromotionConfig config = component.promoter().config();
    String promotionId = PromotionIds.next(component.clock());
    PromotionResult result;
    PromotionAnnouncer.Pending announced;
    try {
      PromotionRequest request =
          PromotionRequest.of(function, from, to, revision, dryRun, reason, config);
      result =
          component
              .promoter()
              .promoteNow(request, PromotionContext.oneShot(promotionId, requestedBy()));
      // MERGE(approval): the trust chain resolves the caller's ARN and --break-glass; pass them
      // with Attempt.withCaller so that the event carries promotedBy and breakGlass.
      announced =
          component
              .announcer()
              .announceInBackground(
                  PromotionAnnouncer.succeeded(result, Attempt.of(promotionId, request)),
                  ANNOUNCING_TIME);
    } catch (RuntimeException e) {
      PromotionException refusal =
          e instanceof PromotionException known
              ? known
              : new PromotionException(ErrorCode.INTERNAL, "Unexpected failure: " + e, e);
      Attempt attempt =
          Attempt.unvalidated(
              promotionId, new Attempt.Fields(function, from, to, revision, reason), config);
      component
          .announcer()
          .announceInBackground(PromotionAnnouncer.refused(refusal, attempt), ANNOUNCING_TIME)
          .await();
      throw refusal;
    }
    print(result);
    announced.await();
    return Outcomes.EXIT_OK;
  }

  private void print(PromotionResult result) {
    var out = spec.commandLine().getOut();
    if (common.json) {
      out.println(Json.writePretty(result));
    } else {
      out.printf(
          "%s %s %s -> %s%n", result.status(), result.function(), result.from(), result.to());
      out.printf("  revision   %s%n", result.revision());
      out.printf("  sha256     %s (%d bytes)%n", result.sha256(), result.sizeBytes());
      out.printf("  release    %s%n", describe(result.release()));
      out.printf("  drop key   %s%n", describe(result.dropKey()));
      out.printf("  promotion  %s%n", result.promotionId());
    }
    out.flush();
  }

  static String describe(ObjectVersion location) {
    if (location == null) {
      return "-";
    }
    return "s3://"
        + location.bucket()
        + "/"
        + location.key()
        + (location.versionId() == null
            ? " (not written)"
            : " (version " + location.versionId() + ")");
  }

  /** Recorded as the STS SourceIdentity: who ran the promotion. */
  static String requestedBy() {
    String explicit = System.getenv("ARTIFACT_PROMOTER_REQUESTED_BY");
    return explicit != null && !explicit.isBlank() ? explicit : System.getProperty("user.name");
  }
}
