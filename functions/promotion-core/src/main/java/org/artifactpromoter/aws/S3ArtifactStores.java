package org.artifactpromoter.aws;

import java.util.concurrent.ExecutorService;
import javax.inject.Inject;
import javax.inject.Singleton;
import org.artifactpromoter.artifact.ArtifactStore;
import org.artifactpromoter.artifact.ArtifactStores;
import org.artifactpromoter.model.CopySettings;
import org.artifactpromoter.model.Environment;

/** Environments' artifact buckets, each in a session of the environment's promotion role. */
@Singleton
public final class S3ArtifactStores implements ArtifactStores {
  private final AccountSessions sessions;
  private final CopySettings settings;
  private final ExecutorService partExecutor;

  @Inject
  public S3ArtifactStores(
      AccountSessions sessions, CopySettings settings, ExecutorService partExecutor) {
    this.sessions = sessions;
    this.settings = settings;
    this.partExecutor = partExecutor;
  }

  @Override
  public ArtifactStore of(Environment environment, String sessionId, String requestedBy) {
    return new S3ArtifactStore(
        sessions.s3(environment, sessionId, requestedBy),
        environment.bucket(),
        environment.kmsKeyArn(),
        settings,
        partExecutor);
  }
}
