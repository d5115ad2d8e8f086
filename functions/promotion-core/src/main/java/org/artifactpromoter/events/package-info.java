/**
 * Promotion outcomes as Amazon EventBridge events.
 *
 * <p>Every outcome is one event on the default bus of the account the promoter runs in, or on a
 * named bus:
 *
 * <pre>{@code
 * {
 *   "source": "artifact-promoter",
 *   "detail-type": "Promotion Succeeded" | "Promotion Refused" | "Promotion Failed",
 *   "detail": {
 *     "promotionId": "...", "function": "orders-api", "from": "stage", "to": "prod",
 *     "revision": "<40 hex>", "sha256": "<64 hex>",
 *     "status": "PROMOTED" | "ALREADY_PROMOTED" | "DRY_RUN" | "FAILED",
 *     "error": "<stable error code>", "message": "<what to do>",
 *     "approvedBy": "...", "promotedBy": "<caller ARN>", "breakGlass": true, "reason": "..."
 *   }
 * }
 * }</pre>
 *
 * <ul>
 *   <li>Only {@code status} is always there. A field that is not known is left out, never {@code
 *       null}: EventBridge patterns test presence with {@code "exists"}.
 *   <li><b>Succeeded</b>: PROMOTED, ALREADY_PROMOTED (nothing written, the drop key already held
 *       the revision) and DRY_RUN. A rule for "every promotion into prod" matches {@code
 *       "detail.to": ["prod"], "detail.status": ["PROMOTED"]}.
 *   <li><b>Refused</b>: the request or its evidence is not acceptable and nothing was written:
 *       INVALID_REQUEST, PROMOTION_NOT_ALLOWED, REVISION_NOT_FOUND, APPROVAL_REQUIRED,
 *       PROVENANCE_INVALID. A person fixes the request, approves, or signs.
 *   <li><b>Failed</b>: the promotion was allowed but could not be carried out: INTEGRITY_MISMATCH
 *       (the bytes differ from the recorded SHA-256: possible tampering), ACCESS_DENIED (a role or
 *       bucket policy denies the promoter: infrastructure), CONFLICT, INTERNAL, and any code this
 *       version does not know, so that an alert fires rather than stays silent.
 *   <li>{@code message} and {@code reason} are cut at 2048 characters.
 * </ul>
 *
 * <p>Publishing never changes a promotion's outcome: {@link
 * org.artifactpromoter.events.PromotionEventPublisher#publish} retries throttling, 5xx answers and
 * entries PutEvents refused with a retryable code until the caller's deadline, logs what it could
 * not send (detail type, promotion id, error code; never the detail), and returns.
 */
package org.artifactpromoter.events;
