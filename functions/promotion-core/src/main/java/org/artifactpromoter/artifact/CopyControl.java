package org.artifactpromoter.artifact;

import java.time.Duration;

/**
 * Lets a long multipart copy stop between parts when its caller (a Lambda invocation) is about to
 * run out of time, and resume an upload a previous invocation started.
 */
public interface CopyControl {
  /** Whether there is time to start work expected to take {@code expected}. */
  boolean hasTimeFor(Duration expected);

  /** The multipart upload a previous invocation started for this copy, or null. */
  String resumeUploadId();

  /** No deadline and nothing to resume: the CLI and direct invocations. */
  static CopyControl unbounded() {
    return new CopyControl() {
      @Override
      public boolean hasTimeFor(Duration expected) {
        return true;
      }

      @Override
      public String resumeUploadId() {
        return null;
      }
    };
  }
}
