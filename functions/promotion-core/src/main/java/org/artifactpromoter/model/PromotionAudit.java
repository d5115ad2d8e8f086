package org.artifactpromoter.model;

/**
 * Who is accountable for a promotion, as far as the promoter could verify it: recorded as tags and
 * metadata on what it writes and in its result.
 *
 * @param approvedBy the manual approver CodePipeline reported for the job's execution, or null
 * @param promotedBy the verified identity that ran the promotion (the CLI caller's ARN from
 *     sts:GetCallerIdentity), or a description of what is known when no identity is ("direct Lambda
 *     invocation"), or null
 * @param breakGlass whether an operator promoted into an approval-required environment without an
 *     approval (CLI {@code --break-glass})
 */
public record PromotionAudit(String approvedBy, String promotedBy, boolean breakGlass) {
  public static final PromotionAudit NONE = new PromotionAudit(null, null, false);

  public static PromotionAudit approved(String approver) {
    return new PromotionAudit(approver, null, false);
  }
}
