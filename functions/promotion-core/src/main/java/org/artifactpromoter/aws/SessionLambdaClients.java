package org.artifactpromoter.aws;

import javax.inject.Inject;
import org.artifactpromoter.deployed.LambdaClients;
import org.artifactpromoter.model.Environment;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * Lambda clients on the same role sessions the artifact stores use: {@code status} reads a bucket
 * and a function of one account with one AssumeRole.
 */
public final class SessionLambdaClients implements LambdaClients {
  private final AccountSessions sessions;
  private final AwsClients clients;

  @Inject
  public SessionLambdaClients(AccountSessions sessions, AwsClients clients) {
    this.sessions = sessions;
    this.clients = clients;
  }

  @Override
  public LambdaClient in(Environment environment, String sessionId, String requestedBy) {
    return clients
        .configured(
            LambdaClient.builder(),
            Region.of(environment.region()),
            sessions.credentials(environment, sessionId, requestedBy))
        .build();
  }
}
