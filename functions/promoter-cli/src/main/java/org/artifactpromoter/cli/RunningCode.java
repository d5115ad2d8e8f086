package org.artifactpromoter.cli;

import java.util.ArrayList;
import java.util.List;
import org.artifactpromoter.artifact.ArtifactStatus;
import org.artifactpromoter.artifact.ArtifactStatus.EnvironmentState;
import org.artifactpromoter.artifact.ArtifactStore;
import org.artifactpromoter.deployed.DeployedCode;
import org.artifactpromoter.deployed.DeployedCodeCheck;
import org.artifactpromoter.model.Environment;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.promotion.PromotionConfig;
import org.artifactpromoter.promotion.PromotionIds;
import org.artifactpromoter.wiring.PromoterComponent;

/**
 * What each environment's drop key holds and what its deployed function runs, read through that
 * environment's role: the rows of {@code status} and the verdict of {@code verify}. One unreadable
 * account never hides the others.
 */
final class RunningCode {
  private RunningCode() {}

  /** One state per environment (all of them, or the named ones), in configuration order. */
  static List<EnvironmentState> states(
      PromoterComponent component, String function, List<Environment> environments) {
    PromotionConfig config = component.promoter().config();
    String sessionId = "read-" + PromotionIds.next(component.clock());
    String requestedBy = PromoteCommand.requestedBy();
    List<EnvironmentState> states = new ArrayList<>();
    for (Environment env : environments) {
      EnvironmentState state;
      try {
        ArtifactStore store = component.artifactStores().of(env, sessionId, requestedBy);
        state = ArtifactStatus.current(store, env.name(), function);
      } catch (PromotionException e) {
        state =
            EnvironmentState.unreadable(env.name(), env.bucket(), e.code() + ": " + e.getMessage());
      }
      states.add(state.withDeployed(deployed(component, config, env, function, state, sessionId)));
    }
    return states;
  }

  private static DeployedCode deployed(
      PromoterComponent component,
      PromotionConfig config,
      Environment env,
      String function,
      EnvironmentState state,
      String sessionId) {
    DeployedCodeCheck check = new DeployedCodeCheck(config.deployedFunctionPattern(env.name()));
    String name;
    try {
      name = config.deployedFunctionPattern(env.name()).resolve(function, env.name());
    } catch (IllegalArgumentException e) {
      return DeployedCode.unknown(null, null, e.getMessage());
    }
    try {
      return check.check(
          component.lambdaClients().in(env, sessionId, PromoteCommand.requestedBy()),
          function,
          env.name(),
          state.error() == null ? state.sha256() : null);
    } catch (PromotionException e) {
      // The role could not be assumed: what runs there is unknown, and the reason says why.
      return DeployedCode.unknown(name, null, e.code() + ": " + e.getMessage());
    }
  }
}
