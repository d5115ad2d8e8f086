package org.artifactpromoter.aws;

import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * Turns the failures of an artifact store call into refusals that name the bucket, the key and what
 * to check: S3's own answers, and STS's when the call needed a role session first.
 */
final class AwsErrors {
  private AwsErrors() {}

  static PromotionException translate(SdkException e, String action, String bucket, String key) {
    String where = "s3://" + bucket + "/" + key;
    if (e instanceof StsException sts) {
      String code =
          sts.awsErrorDetails() == null
              ? String.valueOf(sts.statusCode())
              : sts.awsErrorDetails().errorCode();
      if (sts.statusCode() == 403) {
        return new PromotionException(
            ErrorCode.ACCESS_DENIED,
            action
                + " "
                + where
                + " needed the promotion role, and STS refused it ("
                + code
                + "): "
                + sts.getMessage()
                + ". Check the role's trust policy names the promoter's role and that the"
                + " configuration's externalId matches.",
            e);
      }
      return new PromotionException(
          ErrorCode.INTERNAL,
          action
              + " "
              + where
              + " needed the promotion role, and STS did not give it after "
              + AwsClients.MAX_ATTEMPTS
              + " attempts ("
              + code
              + "): "
              + sts.getMessage()
              + ". The drop key was not updated; run the promotion again (for a pipeline, retry the"
              + " stage).",
          e);
    }
    if (e instanceof S3Exception s3) {
      int status = s3.statusCode();
      String code = s3.awsErrorDetails() == null ? "" : s3.awsErrorDetails().errorCode();
      if (status == 403) {
        return new PromotionException(
            ErrorCode.ACCESS_DENIED,
            action
                + " "
                + where
                + " was denied ("
                + code
                + "). Check the promotion role's policy and the bucket and KMS key policies"
                + " (pipeline-terraform/modules/promotion-role).",
            e);
      }
      if (status == 412 || status == 409) {
        return new PromotionException(
            ErrorCode.CONFLICT,
            action + " " + where + " conflicted with a concurrent write (" + code + "); retry.",
            e);
      }
      if (status == 404 && "NoSuchBucket".equals(code)) {
        return new PromotionException(
            ErrorCode.INTERNAL,
            "Bucket " + bucket + " does not exist. Check the environment's \"bucket\" setting.",
            e);
      }
      return new PromotionException(
          ErrorCode.INTERNAL, action + " " + where + " failed: HTTP " + status + " " + code, e);
    }
    if (e instanceof SdkClientException) {
      return new PromotionException(
          ErrorCode.INTERNAL,
          action + " " + where + " failed before S3 answered: " + e.getMessage(),
          e);
    }
    return new PromotionException(
        ErrorCode.INTERNAL, action + " " + where + " failed: " + e.getMessage(), e);
  }
}
