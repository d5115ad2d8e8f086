package org.artifactpromoter.promotion;

/** The stable error codes of DESIGN.md; users and pipelines match on these names. */
public enum ErrorCode {
  INVALID_REQUEST,
  PROMOTION_NOT_ALLOWED,
  REVISION_NOT_FOUND,
  INTEGRITY_MISMATCH,
  ACCESS_DENIED,
  CONFLICT,
  INTERNAL
}
