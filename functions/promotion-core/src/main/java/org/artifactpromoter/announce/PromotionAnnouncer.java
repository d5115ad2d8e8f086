package org.artifactpromoter.announce;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.inject.Inject;
import org.artifactpromoter.events.PromotionEvent;
import org.artifactpromoter.events.PromotionEventPublisher.Publication;
import org.artifactpromoter.events.PromotionEventSink;
import org.artifactpromoter.logging.LogContext;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.promotion.PromotionResult;

/**
 * Announces every promotion outcome (success, refusal, failure) as one {@link PromotionEvent},
 * whichever entry point reached it: the Lambda's direct invocation, a CodePipeline job, the CLI.
 * Announcing never changes the outcome: the publisher never throws, and the caller reports its
 * result first wherever the result has a deadline of its own.
 */
public final class PromotionAnnouncer {
  private final PromotionEventSink publisher;

  @Inject
  public PromotionAnnouncer(PromotionEventSink publisher) {
    this.publisher = publisher;
  }

  /** The event of a promotion that ended well (PROMOTED, ALREADY_PROMOTED, DRY_RUN). */
  public static PromotionEvent succeeded(PromotionResult result, Attempt attempt) {
    // The result's fields are what was recorded on the drop key: they win over the attempt's.
    return PromotionEvent.builder()
        .promotionId(result.promotionId())
        .function(result.function())
        .from(result.from())
        .to(result.to())
        .revision(result.revision())
        .sha256(result.sha256())
        .status(result.status().name())
        .approvedBy(result.approvedBy() != null ? result.approvedBy() : attempt.approvedBy())
        .promotedBy(result.promotedBy() != null ? result.promotedBy() : attempt.promotedBy())
        .breakGlass(result.breakGlass() ? Boolean.TRUE : attempt.breakGlass())
        .reason(result.reason() != null ? result.reason() : attempt.reason())
        .build();
  }

  /** The event of a refusal or failure: its code decides Refused or Failed. */
  public static PromotionEvent refused(PromotionException error, Attempt attempt) {
    return PromotionEvent.builder()
        .promotionId(attempt.promotionId())
        .function(attempt.function())
        .from(attempt.from())
        .to(attempt.to())
        .revision(attempt.revision())
        .status("FAILED")
        .error(error.code().name(), error.getMessage())
        .approvedBy(attempt.approvedBy())
        .promotedBy(attempt.promotedBy())
        .breakGlass(attempt.breakGlass())
        .reason(attempt.reason())
        .build();
  }

  /** Publishes now, retrying within {@code timeLeft}; never throws. */
  public Publication announce(PromotionEvent event, Duration timeLeft) {
    return publisher.publish(event, timeLeft);
  }

  /**
   * Publishes on a thread of its own, so that the caller (the CLI) prints its result meanwhile; the
   * caller must {@link Pending#await} it before the process exits.
   */
  public Pending announceInBackground(PromotionEvent event, Duration timeLeft) {
    CompletableFuture<Publication> future = new CompletableFuture<>();
    Thread thread =
        new Thread(
            LogContext.propagate(
                () -> {
                  try {
                    future.complete(publisher.publish(event, timeLeft));
                  } catch (Throwable e) {
                    future.complete(new Publication(false, 0, e.getClass().getSimpleName()));
                  }
                }),
            "artifact-promoter-events");
    // A daemon: a publication must not keep a JVM alive past await's bound.
    thread.setDaemon(true);
    thread.start();
    return new Pending(future, timeLeft);
  }

  /** A publication under way. */
  public static final class Pending {
    /** Time beyond the publisher's own deadline for its last attempt to return. */
    private static final Duration GRACE = Duration.ofSeconds(2);

    private final CompletableFuture<Publication> future;
    private final Duration timeLeft;

    private Pending(CompletableFuture<Publication> future, Duration timeLeft) {
      this.future = future;
      this.timeLeft = timeLeft;
    }

    /** Waits until the event was sent or given up on (the publisher logs which); never throws. */
    public Publication await() {
      try {
        return future.get(timeLeft.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Publication(false, 0, "interrupted");
      } catch (ExecutionException | TimeoutException e) {
        return new Publication(false, 0, e.getClass().getSimpleName());
      }
    }
  }
}
