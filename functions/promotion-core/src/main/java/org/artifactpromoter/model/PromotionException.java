package org.artifactpromoter.model;

/** A refusal or failure with a stable {@link ErrorCode} and a message that says what to change. */
public final class PromotionException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;

  public PromotionException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public PromotionException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  public static PromotionException invalid(String message) {
    return new PromotionException(ErrorCode.INVALID_REQUEST, message);
  }
}
