package org.artifactpromoter.wiring;

import dagger.Binds;
import dagger.Module;
import dagger.Provides;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.inject.Singleton;
import org.artifactpromoter.artifact.ArtifactStores;
import org.artifactpromoter.aws.S3ArtifactStores;
import org.artifactpromoter.model.CopySettings;
import org.artifactpromoter.promotion.PromotionConfig;

/** The promotion workflow's ports, bound to their AWS implementations. */
@Module
public interface PromotionModule {
  @Binds
  ArtifactStores artifactStores(S3ArtifactStores stores);

  /** The promoter's read-only lookups run on the part threads: they are idle at that point. */
  @Binds
  Executor lookups(ExecutorService partExecutor);

  @Provides
  static CopySettings copySettings(PromotionConfig config) {
    return config.copy();
  }

  /** Part copies run here; daemon threads so a CLI run ends when its work does. */
  @Provides
  @Singleton
  static ExecutorService partExecutor(CopySettings settings) {
    return Executors.newFixedThreadPool(
        settings.maxConcurrency(),
        task -> {
          Thread thread = new Thread(task, "artifact-promoter-part");
          thread.setDaemon(true);
          return thread;
        });
  }

  @Provides
  @Singleton
  static Clock clock() {
    return Clock.systemUTC();
  }
}
