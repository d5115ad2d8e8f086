package org.artifactpromoter.pipeline;

import com.amazonaws.services.lambda.runtime.Context;
import java.time.Duration;
import org.artifactpromoter.artifact.CopyControl;

/** The time an invocation has left, from the Lambda context (none given: no deadline). */
final class Deadline {
  private final Context context;

  private Deadline(Context context) {
    this.context = context;
  }

  static Deadline of(Context context) {
    return new Deadline(context);
  }

  /** Whether the invocation has more than {@code needed} left. */
  boolean hasTimeFor(Duration needed) {
    return context == null || context.getRemainingTimeInMillis() > needed.toMillis();
  }

  /**
   * Lets a copy start a part only while the invocation has the part's expected time plus {@code
   * reserve} left: the reserve pays for completing what is in flight and for reporting the result.
   */
  CopyControl copyControl(Duration reserve) {
    return new CopyControl() {
      @Override
      public boolean hasTimeFor(Duration expected) {
        return Deadline.this.hasTimeFor(expected.plus(reserve));
      }

      @Override
      public String resumeUploadId() {
        return null;
      }
    };
  }
}
