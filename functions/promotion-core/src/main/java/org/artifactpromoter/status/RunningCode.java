package org.artifactpromoter.status;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import org.artifactpromoter.artifact.ArtifactStatus;
import org.artifactpromoter.artifact.ArtifactStatus.EnvironmentState;
import org.artifactpromoter.artifact.ArtifactStore;
import org.artifactpromoter.artifact.ArtifactStores;
import org.artifactpromoter.deployed.DeployedCode;
import org.artifactpromoter.deployed.DeployedCodeCheck;
import org.artifactpromoter.deployed.DeployedFunctionPattern;
import org.artifactpromoter.deployed.LambdaClients;
import org.artifactpromoter.model.Environment;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.promotion.PromotionConfig;
import org.artifactpromoter.promotion.PromotionIds;

/**
 * What each environment's drop key holds and what its deployed function runs, read through that
 * environment's role: the rows of {@code status} and the verdict of {@code verify}. One unreadable
 * account never hides the others.
 */
public final class RunningCode {
  private final PromotionConfig config;
  private final ArtifactStores stores;
  private final LambdaClients lambdas;
  private final Clock clock;

  @Inject
  public RunningCode(
      PromotionConfig config, ArtifactStores stores, LambdaClients lambdas, Clock clock) {
    this.config = config;
    this.stores = stores;
    this.lambdas = lambdas;
    this.clock = clock;
  }

  /**
   * One state per environment of {@code environments}, in that order.
   *
   * @param requestedBy who asks (the sessions' source identity)
   */
  public List<EnvironmentState> states(
      String function, List<Environment> environments, String requestedBy) {
    String sessionId = "read-" + PromotionIds.next(clock);
    List<EnvironmentState> states = new ArrayList<>();
    for (Environment env : environments) {
      EnvironmentState state;
      try {
        ArtifactStore store = stores.of(env, sessionId, requestedBy);
        state = ArtifactStatus.current(store, env.name(), function);
      } catch (PromotionException e) {
        state =
            EnvironmentState.unreadable(env.name(), env.bucket(), e.code() + ": " + e.getMessage());
      }
      String releaseSha256 = state.error() == null ? state.sha256() : null;
      states.add(
          state.withDeployed(deployed(env, function, releaseSha256, sessionId, requestedBy)));
    }
    return states;
  }

  private DeployedCode deployed(
      Environment env,
      String function,
      String releaseSha256,
      String sessionId,
      String requestedBy) {
    DeployedFunctionPattern pattern = config.deployedFunctionPattern(env.name());
    String name;
    try {
      name = pattern.resolve(function, env.name());
    } catch (IllegalArgumentException e) {
      return DeployedCode.unknown(null, null, e.getMessage());
    }
    try {
      return new DeployedCodeCheck(pattern)
          .check(lambdas.in(env, sessionId, requestedBy), function, env.name(), releaseSha256);
    } catch (PromotionException e) {
      // The role could not be assumed: what runs there is unknown, and the reason says why.
      return DeployedCode.unknown(name, null, e.code() + ": " + e.getMessage());
    }
  }
}
