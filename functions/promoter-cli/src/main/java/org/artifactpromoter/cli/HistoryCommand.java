package org.artifactpromoter.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.artifactpromoter.artifact.ArtifactStatus;
import org.artifactpromoter.artifact.ArtifactStore;
import org.artifactpromoter.json.Json;
import org.artifactpromoter.logsafety.LogSafe;
import org.artifactpromoter.model.Environment;
import org.artifactpromoter.promotion.PromotionConfig;
import org.artifactpromoter.promotion.PromotionIds;
import org.artifactpromoter.wiring.PromoterComponent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = {
      "List the versions of a function's drop key: time, environment, revision, promotion,"
          + " approver or break-glass caller, reason. Without --env, every environment's versions"
          + " merged into one timeline, newest first."
    })
final class HistoryCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin CommonOptions common;

  @Mixin FunctionScope scope;

  @Override
  public Integer call() {
    String function = scope.function();
    PromoterComponent component = common.component();
    PromotionConfig config = component.promoter().config();
    List<Environment> environments = scope.environments(config);
    String sessionId = "read-" + PromotionIds.next(component.clock());
    List<List<ArtifactStatus.HistoryEntry>> histories = new ArrayList<>();
    for (Environment environment : environments) {
      ArtifactStore store =
          component.artifactStores().of(environment, sessionId, PromoteCommand.requestedBy());
      histories.add(ArtifactStatus.history(store, environment.name(), function));
    }
    List<ArtifactStatus.HistoryEntry> entries = ArtifactStatus.merged(histories);
    var out = spec.commandLine().getOut();
    if (common.json) {
      out.println(Json.writePretty(entries));
    } else {
      out.printf(
          "%-20s %-8s %-40s %-44s %-6s %-24s %s%n",
          "TIME", "ENV", "REVISION", "PROMOTION", "FROM", "BY", "REASON");
      for (var e : entries) {
        out.printf(
            "%-20s %-8s %-40s %-44s %-6s %-24s %s%s%n",
            e.lastModified().replace("T", " ").replaceAll("\\..*|Z", ""),
            e.environment(),
            e.revision(),
            e.promotionId() == null ? "(published)" : e.promotionId(),
            e.sourceEnv() == null ? "-" : e.sourceEnv(),
            by(e),
            e.reason() == null ? "-" : e.reason(),
            e.latest() ? "  <- current" : "");
        if (e.promotedBy() != null || e.approvedBy() != null || e.reason() != null) {
          out.printf(
              "  %s%s%s%s%n",
              e.approvedBy() == null ? "" : "approved by " + LogSafe.text(e.approvedBy()) + "  ",
              e.promotedBy() == null ? "" : "promoted by " + LogSafe.text(e.promotedBy()) + "  ",
              Boolean.TRUE.equals(e.breakGlass()) ? "BREAK-GLASS  " : "",
              e.reason() == null ? "" : "reason: " + LogSafe.text(e.reason()));
        }
      }
      if (entries.isEmpty()) {
        out.printf(
            "(no versions of drop/%s.zip in %s)%n",
            function, environments.stream().map(Environment::bucket).toList());
      }
    }
    out.flush();
    return Outcomes.EXIT_OK;
  }

  /** The approver, or the break-glass caller marked as such. */
  static String by(ArtifactStatus.HistoryEntry e) {
    if (Boolean.TRUE.equals(e.breakGlass())) {
      return "break-glass " + (e.promotedBy() == null ? "?" : e.promotedBy());
    }
    if (e.approvedBy() != null) {
      return e.approvedBy();
    }
    return e.promotedBy() == null ? "-" : e.promotedBy();
  }
}
