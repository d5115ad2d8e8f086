package org.artifactpromoter.lambda;

/**
 * How a refusal leaves a direct invocation: the Lambda runtime reports it as a function error whose
 * {@code errorMessage} is the error JSON the README describes. No stack trace: it is not a crash.
 */
public final class PromotionFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PromotionFailedException(String errorJson) {
    super(errorJson, null, false, false);
  }
}
