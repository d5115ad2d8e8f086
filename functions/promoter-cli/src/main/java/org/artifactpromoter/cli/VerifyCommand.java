package org.artifactpromoter.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.artifactpromoter.artifact.ArtifactStatus.EnvironmentState;
import org.artifactpromoter.json.Json;
import org.artifactpromoter.promotion.PromotionConfig;
import org.artifactpromoter.wiring.PromoterComponent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** For monitors: does each environment's deployed function run the release at its drop key? */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Check that the deployed function of each environment (or of --env) runs the release at"
          + " that environment's drop key (its CodeSha256 equals the release's SHA-256)."
    },
    footer = {
      "",
      "Exit codes: 0 every checked environment runs its release, 5 drift (some function runs",
      "  other code), 6 unknown (a function or its drop key could not be read, or holds",
      "  nothing to compare), 2 invalid usage or configuration, 1 internal error."
    })
final class VerifyCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin CommonOptions common;

  @Mixin FunctionScope scope;

  @Override
  public Integer call() {
    String function = scope.function();
    PromoterComponent component = common.component();
    PromotionConfig config = component.promoter().config();
    List<EnvironmentState> states =
        component
            .runningCode()
            .states(function, scope.environments(config), PromoteCommand.requestedBy());
    var out = spec.commandLine().getOut();
    if (common.json) {
      out.println(Json.writePretty(states));
    } else {
      for (EnvironmentState s : states) {
        var d = s.deployed();
        out.printf(
            "%-10s %-8s %s%s%n",
            s.environment(),
            d.state(),
            d.function() == null ? "-" : d.function(),
            switch (d.state()) {
              case "RUNNING" -> " runs " + s.revision();
              case "DRIFT" ->
                  " runs code "
                      + d.codeSha256()
                      + ", not release "
                      + s.revision()
                      + " ("
                      + s.sha256()
                      + ")";
              default -> ": " + d.reason();
            });
      }
    }
    out.flush();
    return verdict(states);
  }

  /** Drift outranks unknown: a monitor must page for code that differs even if another is down. */
  static int verdict(List<EnvironmentState> states) {
    if (states.stream().anyMatch(s -> Boolean.FALSE.equals(s.deployed().match()))) {
      return Outcomes.EXIT_DRIFT;
    }
    if (states.stream().anyMatch(s -> s.deployed().match() == null)) {
      return Outcomes.EXIT_UNKNOWN;
    }
    return Outcomes.EXIT_OK;
  }
}
