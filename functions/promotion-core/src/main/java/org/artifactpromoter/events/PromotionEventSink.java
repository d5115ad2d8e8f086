package org.artifactpromoter.events;

import java.time.Duration;
import org.artifactpromoter.events.PromotionEventPublisher.Publication;

/**
 * Where promotion events go: EventBridge ({@link PromotionEventPublisher}) in every deployment; a
 * recording list in the entry points' unit tests, which touch no network.
 */
@FunctionalInterface
public interface PromotionEventSink {
  /** Sends {@code event} within {@code timeLeft}; never throws. */
  Publication publish(PromotionEvent event, Duration timeLeft);
}
