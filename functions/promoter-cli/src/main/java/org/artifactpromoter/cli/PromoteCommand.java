package org.artifactpromoter.cli;

import java.util.concurrent.Callable;
import org.artifactpromoter.json.Json;
import org.artifactpromoter.model.ObjectVersion;
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

  @Override
  public Integer call() {
    PromoterComponent component = common.component();
    PromotionRequest request =
        PromotionRequest.of(
            function, from, to, revision, dryRun, reason, component.promoter().config());
    PromotionResult result =
        component
            .promoter()
            .promoteNow(
                request,
                PromotionContext.oneShot(PromotionIds.next(component.clock()), requestedBy()));
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
    if (result.status() == PromotionResult.Status.PROMOTED) {
      ArchiveProof.promotionSucceeded();
    }
    return Outcomes.EXIT_OK;
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
