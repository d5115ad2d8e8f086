package org.artifactpromoter.wiring;

import dagger.Binds;
import dagger.Module;
import org.artifactpromoter.aws.SessionLambdaClients;
import org.artifactpromoter.deployed.LambdaClients;

/**
 * What the CLI's {@code status} and {@code verify} need to read a deployed function's code hash: a
 * Lambda client per environment. Kept out of {@link PromotionModule}, so that the promote
 * function's graph (and its package) has no Lambda client.
 */
@Module
public interface DeployedCodeModule {
  @Binds
  LambdaClients lambdaClients(SessionLambdaClients clients);
}
