package org.artifactpromoter.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.artifactpromoter.artifact.ArtifactStatus.EnvironmentState;
import org.artifactpromoter.json.Json;
import org.artifactpromoter.model.FunctionName;
import org.artifactpromoter.wiring.PromoterComponent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show which revision and SHA-256 each environment's drop key holds, and whether the"
          + " environment's deployed function runs it: RUNNING (its CodeSha256 equals the"
          + " release's), DRIFT (it differs) or UNKNOWN (not readable; the reason is printed)."
    })
final class StatusCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin CommonOptions common;

  @Option(names = "--function", required = true, description = "Function name.")
  String function;

  @Override
  public Integer call() {
    FunctionName.validate(function);
    PromoterComponent component = common.component();
    List<EnvironmentState> states =
        component
            .runningCode()
            .states(
                function,
                List.copyOf(component.promoter().config().environments().values()),
                PromoteCommand.requestedBy());
    var out = spec.commandLine().getOut();
    if (common.json) {
      out.println(Json.writePretty(states));
    } else {
      out.printf(
          "%-10s %-40s %-16s %-8s %-44s %s%n",
          "ENV", "REVISION", "SHA256", "DEPLOYED", "PROMOTION", "DROP-KEY VERSION");
      for (EnvironmentState s : states) {
        String deployed = s.deployed() == null ? "UNKNOWN" : s.deployed().state();
        if (s.error() != null) {
          out.printf("%-10s %-40s %-16s %-8s %s%n", s.environment(), "-", "-", deployed, s.error());
        } else if (s.revision() == null) {
          out.printf(
              "%-10s %-40s %-16s %-8s %s%n",
              s.environment(),
              "-",
              "-",
              deployed,
              "(nothing at s3://" + s.bucket() + "/" + s.key() + ")");
        } else {
          out.printf(
              "%-10s %-40s %-16s %-8s %-44s %s%n",
              s.environment(),
              s.revision(),
              s.sha256() == null
                  ? "-"
                  : s.sha256().substring(0, Math.min(12, s.sha256().length())) + "...",
              deployed,
              s.promotionId() == null ? "(published)" : s.promotionId(),
              s.versionId());
        }
      }
      for (EnvironmentState s : states) {
        if (s.deployed() != null && s.deployed().reason() != null) {
          out.printf("%-10s %s: %s%n", s.environment(), "deployed UNKNOWN", s.deployed().reason());
        }
      }
    }
    out.flush();
    // Drift is verify's verdict; status reports it and exits 0 unless a drop key was unreadable.
    return states.stream().anyMatch(s -> s.error() != null)
        ? Outcomes.EXIT_ACCESS_DENIED
        : Outcomes.EXIT_OK;
  }
}
