package org.artifactpromoter.cli;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.artifactpromoter.announce.Attempt;
import org.artifactpromoter.announce.PromotionAnnouncer;
import org.artifactpromoter.artifact.ArtifactLayout;
import org.artifactpromoter.artifact.ArtifactStore;
import org.artifactpromoter.json.Json;
import org.artifactpromoter.logsafety.LogSafe;
import org.artifactpromoter.model.Environment;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.ObjectVersion;
import org.artifactpromoter.model.PromotionAudit;
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
  private static final System.Logger LOG = System.getLogger(PromoteCommand.class.getName());

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

  @Option(
      names = "--reason",
      description =
          "Why (ticket, incident): recorded as metadata promotion-reason and shown by history.")
  String reason;

  @Option(
      names = "--break-glass",
      description = {
        "Promote into an environment that requires approval (requireApproval) without one, under"
            + " your own credentials. Needs --reason; records your ARN (promoted-by) and"
            + " break-glass=true."
      })
  boolean breakGlass;

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
    PromotionAudit audit = PromotionAudit.NONE;
    try {
      PromotionRequest request =
          PromotionRequest.of(function, from, to, revision, dryRun, reason, config);
      audit = audit(request, component);
      result =
          component
              .promoter()
              .promoteNow(request, PromotionContext.oneShot(promotionId, requestedBy(), audit));
      if (audit.promotedBy() != null) {
        LOG.log(
            Level.INFO,
            "{0} {1} {2} -> {3} revision {4} promotion {5} promoted-by {6} break-glass {7} reason"
                + " {8}",
            result.status(),
            result.function(),
            result.from(),
            result.to(),
            result.revision(),
            result.promotionId(),
            LogSafe.text(audit.promotedBy()),
            audit.breakGlass(),
            LogSafe.text(request.reason()));
      }
      announced =
          component
              .announcer()
              .announceInBackground(
                  PromotionAnnouncer.succeeded(
                      result,
                      Attempt.of(promotionId, request)
                          .withCaller(audit.promotedBy(), audit.breakGlass(), request.reason())),
                  ANNOUNCING_TIME);
    } catch (RuntimeException e) {
      PromotionException refusal =
          e instanceof PromotionException known
              ? known
              : new PromotionException(ErrorCode.INTERNAL, "Unexpected failure: " + e, e);
      Attempt attempt =
          Attempt.unvalidated(
                  promotionId, new Attempt.Fields(function, from, to, revision, reason), config)
              .withCaller(audit.promotedBy(), audit.breakGlass() ? true : null, reason);
      component
          .announcer()
          .announceInBackground(PromotionAnnouncer.refused(refusal, attempt), ANNOUNCING_TIME)
          .await();
      throw refusal;
    }
    print(result);
    if (result.status() == PromotionResult.Status.PROMOTED) {
      ArchiveProof.promotionSucceeded();
    }
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
      if (result.promotedBy() != null) {
        out.printf(
            "  by         %s%s%n",
            result.promotedBy(), result.breakGlass() ? " (break-glass)" : "");
      }
      if (result.reason() != null) {
        out.printf("  reason     %s%n", result.reason());
      }
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

  /**
   * Who is accountable, checked before anything is written. Into an environment that requires
   * approval, an operator promotes only with --break-glass --reason, or rolls back (--revision of a
   * release the destination already holds) with --reason; either way their ARN, as STS reports it,
   * is recorded. A dry run writes nothing and needs neither.
   */
  private PromotionAudit audit(PromotionRequest request, PromoterComponent component) {
    boolean required = component.promoter().config().approval(to).required();
    if (breakGlass && !required) {
      throw PromotionException.invalid(
          "--break-glass is only for environments that require approval, and "
              + to
              + " does not (requireApproval is false). Promote without it.");
    }
    if (breakGlass && request.reason() == null) {
      throw PromotionException.invalid(
          "--break-glass needs --reason TEXT (the ticket or incident): it is recorded with your"
              + " ARN on what is written.");
    }
    if (!required || request.dryRun()) {
      return PromotionAudit.NONE;
    }
    if (breakGlass) {
      return new PromotionAudit(null, component.callerIdentity().arn(), true);
    }
    if (request.revision() != null
        && request.reason() != null
        && holdsRelease(request, component)) {
      // A rollback: the destination already holds this revision as a release, so it was approved
      // into it before. Only the drop key moves back.
      return new PromotionAudit(null, component.callerIdentity().arn(), false);
    }
    throw new PromotionException(
        ErrorCode.APPROVAL_REQUIRED,
        to
            + " requires an approval (requireApproval), and a CLI promotion brings none. Promote"
            + " through the pipeline's manual approval, or in an emergency add --break-glass"
            + " --reason TEXT (your ARN and the reason are recorded). To roll back to a revision "
            + to
            + " already holds as a release, pass --revision SHA --reason TEXT.");
  }

  private boolean holdsRelease(PromotionRequest request, PromoterComponent component) {
    Environment destination = component.promoter().config().require(to);
    ArtifactStore store =
        component
            .artifactStores()
            .of(destination, "read-" + PromotionIds.next(component.clock()), requestedBy());
    return store
        .head(ArtifactLayout.releaseKey(request.function(), request.revision()), null)
        .isPresent();
  }

  /** Recorded as the STS SourceIdentity: who ran the promotion. */
  static String requestedBy() {
    String explicit = System.getenv("ARTIFACT_PROMOTER_REQUESTED_BY");
    return explicit != null && !explicit.isBlank() ? explicit : System.getProperty("user.name");
  }
}
