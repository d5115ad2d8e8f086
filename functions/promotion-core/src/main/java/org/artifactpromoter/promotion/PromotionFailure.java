package org.artifactpromoter.promotion;

import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;

/** The error body every entry point returns: {@code {"status":"FAILED","error":...}}. */
public record PromotionFailure(String status, ErrorCode error, String message) {
  public static PromotionFailure of(PromotionException e) {
    return new PromotionFailure("FAILED", e.code(), e.getMessage());
  }
}
