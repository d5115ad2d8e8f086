package org.artifactpromoter.pipeline;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.artifactpromoter.artifact.TimeBudget;

/** The time an invocation has left: the Lambda runtime's, a local run's, or none. */
public final class Deadline {
  private final LongSupplier remainingMillis;

  private Deadline(LongSupplier remainingMillis) {
    this.remainingMillis = remainingMillis;
  }

  /**
   * @param remainingMillis asked each time: the milliseconds the invocation has left
   */
  public static Deadline of(LongSupplier remainingMillis) {
    return new Deadline(remainingMillis);
  }

  /** No deadline at all. */
  public static Deadline none() {
    return new Deadline(() -> Long.MAX_VALUE);
  }

  /** The time the invocation has left (very long when there is no deadline). */
  public Duration remaining() {
    long millis = remainingMillis.getAsLong();
    return millis == Long.MAX_VALUE ? Duration.ofDays(1) : Duration.ofMillis(Math.max(0, millis));
  }

  /** Whether the invocation has more than {@code needed} left. */
  boolean hasTimeFor(Duration needed) {
    return remainingMillis.getAsLong() > needed.toMillis();
  }

  /**
   * Lets a copy start a part only while the invocation has the part's expected time plus {@code
   * reserve} left: the reserve pays for completing what is in flight and for reporting the result.
   */
  TimeBudget budget(Duration reserve) {
    return expected -> hasTimeFor(expected.plus(reserve));
  }
}
