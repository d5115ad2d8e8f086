package org.artifactpromoter.artifact;

import java.time.Duration;

/**
 * Lets a long multipart copy stop between parts when its caller (a Lambda invocation) is about to
 * run out of time.
 */
@FunctionalInterface
public interface TimeBudget {
  /** Whether there is time to start work expected to take {@code expected}. */
  boolean hasTimeFor(Duration expected);

  /** No deadline: the CLI and direct invocations. */
  static TimeBudget unbounded() {
    return expected -> true;
  }
}
