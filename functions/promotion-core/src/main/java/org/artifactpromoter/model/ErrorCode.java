package org.artifactpromoter.model;

/**
 * The stable error codes of the README ("Promotion request, result and errors"); users and
 * pipelines match on these names.
 */
public enum ErrorCode {
  INVALID_REQUEST,
  PROMOTION_NOT_ALLOWED,
  REVISION_NOT_FOUND,
  INTEGRITY_MISMATCH,
  ACCESS_DENIED,
  /** The destination requires approval and this promotion brought no evidence of one. */
  APPROVAL_REQUIRED,
  CONFLICT,
  /** The release's signed build provenance is missing (when required) or does not verify. */
  PROVENANCE_INVALID,
  INTERNAL
}
