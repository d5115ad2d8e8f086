package org.artifactpromoter.artifact;

import org.artifactpromoter.model.Environment;

/** The artifact store of an environment, acting through that environment's promotion role. */
public interface ArtifactStores {
  /**
   * @param sessionId names the session (a promotion id, or a read's id) in the account's logs
   * @param requestedBy who asked: the approver or the CLI user (the session's source identity)
   */
  ArtifactStore of(Environment environment, String sessionId, String requestedBy);
}
