package org.artifactpromoter.cli;

import java.util.List;
import org.artifactpromoter.model.Environment;
import org.artifactpromoter.model.FunctionName;
import org.artifactpromoter.promotion.PromotionConfig;
import picocli.CommandLine.Option;

/** --function and an optional --env: what the read-only commands that span environments look at. */
final class FunctionScope {
  @Option(names = "--function", required = true, description = "Function name.")
  String function;

  @Option(names = "--env", description = "Only this environment (default: every environment).")
  String env;

  /** The function's name, refused before anything is read if it is not a valid one. */
  String function() {
    FunctionName.validate(function);
    return function;
  }

  /** --env's environment, or every environment in the configuration's order. */
  List<Environment> environments(PromotionConfig config) {
    return env == null ? List.copyOf(config.environments().values()) : List.of(config.require(env));
  }
}
