package org.artifactpromoter.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.artifactpromoter.artifact.ArtifactStatus;
import org.artifactpromoter.artifact.ArtifactStore;
import org.artifactpromoter.json.Json;
import org.artifactpromoter.logsafety.LogSafe;
import org.artifactpromoter.model.Environment;
import org.artifactpromoter.model.FunctionName;
import org.artifactpromoter.promotion.PromotionIds;
import org.artifactpromoter.wiring.PromoterComponent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = "List the versions of an environment's drop key: revision, promotion, time.")
final class HistoryCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin CommonOptions common;

  @Option(names = "--function", required = true, description = "Function name.")
  String function;

  @Option(names = "--env", required = true, description = "Environment.")
  String env;

  @Override
  public Integer call() {
    FunctionName.validate(function);
    PromoterComponent component = common.component();
    Environment environment = component.promoter().config().require(env);
    ArtifactStore store =
        component
            .artifactStores()
            .of(
                environment,
                "read-" + PromotionIds.next(component.clock()),
                PromoteCommand.requestedBy());
    List<ArtifactStatus.HistoryEntry> entries = ArtifactStatus.history(store, function);
    var out = spec.commandLine().getOut();
    if (common.json) {
      out.println(Json.writePretty(entries));
    } else {
      out.printf("%-20s %-40s %-44s %-6s %s%n", "TIME", "REVISION", "PROMOTION", "FROM", "VERSION");
      for (var e : entries) {
        out.printf(
            "%-20s %-40s %-44s %-6s %s%s%n",
            e.lastModified().replace("T", " ").replaceAll("\\..*|Z", ""),
            e.revision(),
            e.promotionId() == null ? "(published)" : e.promotionId(),
            e.sourceEnv() == null ? "-" : e.sourceEnv(),
            e.versionId(),
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
        out.printf("(no versions of drop/%s.zip in %s)%n", function, environment.bucket());
      }
    }
    out.flush();
    return Outcomes.EXIT_OK;
  }
}
