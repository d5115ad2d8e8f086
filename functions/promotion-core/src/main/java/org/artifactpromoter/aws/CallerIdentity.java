package org.artifactpromoter.aws;

import javax.inject.Inject;
import javax.inject.Singleton;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Who the promoter runs as, from sts:GetCallerIdentity: the ARN AWS itself vouches for (an IAM
 * user, or an assumed-role session naming its role and session), recorded as promoted-by when an
 * operator promotes under their own credentials. Nothing the caller types can change it.
 */
@Singleton
public final class CallerIdentity {
  private final StsClient sts;

  @Inject
  public CallerIdentity(StsClient sts) {
    this.sts = sts;
  }

  /** The caller's ARN; refuses ({@code ACCESS_DENIED}, {@code INTERNAL}) when STS does not say. */
  public String arn() {
    try {
      return sts.getCallerIdentity().arn();
    } catch (SdkException e) {
      boolean denied = e instanceof AwsServiceException service && service.statusCode() == 403;
      throw new PromotionException(
          denied ? ErrorCode.ACCESS_DENIED : ErrorCode.INTERNAL,
          "sts:GetCallerIdentity failed ("
              + (e instanceof AwsServiceException service && service.awsErrorDetails() != null
                  ? service.awsErrorDetails().errorCode()
                  : e.getClass().getSimpleName())
              + "), so who is promoting cannot be recorded; nothing was written. Check your AWS"
              + " credentials (aws sts get-caller-identity).",
          e);
    }
  }
}
