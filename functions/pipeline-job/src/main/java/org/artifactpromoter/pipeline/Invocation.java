package org.artifactpromoter.pipeline;

/**
 * What the promote function knows about the invocation it runs in, whatever runs it (the Lambda
 * runtime, or the CLI's {@code invoke}).
 *
 * @param functionArn the invoked function's ARN, or null when unknown
 */
public record Invocation(String functionArn, Deadline deadline) {
  /** No function ARN and no deadline. */
  public static Invocation unbounded() {
    return new Invocation(null, Deadline.none());
  }
}
