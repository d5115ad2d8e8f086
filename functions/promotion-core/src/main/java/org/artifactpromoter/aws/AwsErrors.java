package org.artifactpromoter.aws;

import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * Turns the failures of an artifact store call into refusals that name the bucket, the key and what
 * to check: S3's own answers, and STS's when the call needed a role session first.
 */
final class AwsErrors {
  private AwsErrors() {}

  static PromotionException translate(
      SdkException e, StorePrincipal principal, String action, String bucket, String key) {
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
                + " needed "
                + principal.description()
                + ", and STS refused it ("
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
              + " needed "
              + principal.description()
              + ", and STS did not give it after "
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
      String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
      if (status == 403) {
        return denied(principal, action, bucket, key, code, e);
      }
      code = code == null ? "no error code" : code;
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
    if (e instanceof SdkServiceException service && service.statusCode() == 403) {
      return denied(principal, action, bucket, key, null, e);
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

  /**
   * A refusal that says who was refused, where, and which policies to open. S3 answers a denied
   * HEAD with a bare 403 (a HEAD response has no body), so the code is often unknown: the status
   * alone says enough.
   */
  private static PromotionException denied(
      StorePrincipal principal,
      String action,
      String bucket,
      String key,
      String code,
      SdkException e) {
    return new PromotionException(
        ErrorCode.ACCESS_DENIED,
        action
            + " s3://"
            + bucket
            + "/"
            + key
            + " was denied to "
            + principal.description()
            + " ("
            + (code == null ? "HTTP 403 without an error body" : code)
            + "). Check "
            + principal.policyToCheck()
            + " allows it on bucket "
            + bucket
            + " and key "
            + key
            + ", and that the bucket policy and the bucket's KMS key policy let that principal in"
            + " (pipeline-terraform/modules/artifact-bucket).",
        e);
  }
}
