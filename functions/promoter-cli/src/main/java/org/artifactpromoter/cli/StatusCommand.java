package org.artifactpromoter.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.artifactpromoter.artifact.ArtifactStatus;
import org.artifactpromoter.artifact.ArtifactStatus.EnvironmentState;
import org.artifactpromoter.artifact.ArtifactStore;
import org.artifactpromoter.json.Json;
import org.artifactpromoter.model.Environment;
import org.artifactpromoter.model.FunctionName;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.promotion.PromotionIds;
import org.artifactpromoter.wiring.PromoterComponent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show which revision and SHA-256 each environment's drop key holds.")
final class StatusCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin CommonOptions common;

  @Option(names = "--function", required = true, description = "Function name.")
  String function;

  @Override
  public Integer call() {
    FunctionName.validate(function);
    PromoterComponent component = common.component();
    String sessionId = "read-" + PromotionIds.next(component.clock());
    List<EnvironmentState> states = new ArrayList<>();
    for (Environment env : component.promoter().config().environments().values()) {
      try {
        ArtifactStore store =
            component.artifactStores().of(env, sessionId, PromoteCommand.requestedBy());
        states.add(ArtifactStatus.current(store, env.name(), function));
      } catch (PromotionException e) {
        // One unreadable account should not hide the others.
        states.add(
            EnvironmentState.unreadable(
                env.name(), env.bucket(), e.code() + ": " + e.getMessage()));
      }
    }
    var out = spec.commandLine().getOut();
    if (common.json) {
      out.println(Json.writePretty(states));
    } else {
      out.printf(
          "%-10s %-40s %-16s %-44s %s%n",
          "ENV", "REVISION", "SHA256", "PROMOTION", "DROP-KEY VERSION");
      for (EnvironmentState s : states) {
        if (s.error() != null) {
          out.printf("%-10s %s%n", s.environment(), s.error());
        } else if (s.revision() == null) {
          out.printf(
              "%-10s %s%n",
              s.environment(), "(nothing at s3://" + s.bucket() + "/" + s.key() + ")");
        } else {
          out.printf(
              "%-10s %-40s %-16s %-44s %s%n",
              s.environment(),
              s.revision(),
              s.sha256() == null
                  ? "-"
                  : s.sha256().substring(0, Math.min(12, s.sha256().length())) + "...",
              s.promotionId() == null ? "(published)" : s.promotionId(),
              s.versionId());
        }
      }
    }
    out.flush();
    return states.stream().anyMatch(s -> s.error() != null)
        ? Outcomes.EXIT_ACCESS_DENIED
        : Outcomes.EXIT_OK;
  }
}
