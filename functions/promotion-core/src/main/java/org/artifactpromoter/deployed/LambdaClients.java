package org.artifactpromoter.deployed;

import org.artifactpromoter.model.Environment;
import software.amazon.awssdk.services.lambda.LambdaClient;

/** Lambda of each environment's account, acting through that environment's promotion role. */
public interface LambdaClients {
  /**
   * @param sessionId names the session in the account's CloudTrail (a read's id)
   * @param requestedBy who asked (the session's source identity)
   * @throws org.artifactpromoter.model.PromotionException when the role cannot be assumed
   */
  LambdaClient in(Environment environment, String sessionId, String requestedBy);
}
