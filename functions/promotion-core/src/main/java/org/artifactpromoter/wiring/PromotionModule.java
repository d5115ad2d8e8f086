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
import org.artifactpromoter.events.PromotionEventPublisher;
import org.artifactpromoter.events.PromotionEventSink;
import org.artifactpromoter.model.CopySettings;
import org.artifactpromoter.promotion.PromotionConfig;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/** The promotion workflow's ports, bound to their AWS implementations. */
@Module
public interface PromotionModule {
  @Binds
  ArtifactStores artifactStores(S3ArtifactStores stores);

  /** The promoter's read-only lookups run on the part threads: they are idle at that point. */
  @Binds
  Executor lookups(ExecutorService partExecutor);

  @Binds
  PromotionEventSink promotionEventSink(PromotionEventPublisher publisher);

  /** The configuration's {@code eventBus}, or the default bus. */
  @Provides
  @Singleton
  static PromotionEventPublisher promotionEvents(
      EventBridgeClient eventBridge, PromotionConfig config) {
    return new PromotionEventPublisher(eventBridge, config.eventBus().orElse(null));
  }

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
