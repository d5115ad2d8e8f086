package org.artifactpromoter.aws;

import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.StsException;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * An assumed role's credentials that can be replaced by a new session when AWS says the current
 * one's token has expired (a clock that drifted, a session cut short). Each replacement is one new
 * AssumeRole; callers that saw the same expired session share it.
 */
final class RoleCredentials implements AwsCredentialsProvider, SessionRenewal, SdkAutoCloseable {
  private final String roleArn;

  /** Opens a session (one AssumeRole) named after the given promotion id. */
  private final Function<String, StsAssumeRoleCredentialsProvider> assume;

  private StsAssumeRoleCredentialsProvider current;
  private long generation;

  RoleCredentials(
      String roleArn,
      Function<String, StsAssumeRoleCredentialsProvider> assume,
      String promotionId) {
    this.roleArn = roleArn;
    this.assume = assume;
    this.current = assume.apply(promotionId);
  }

  @Override
  public AwsCredentials resolveCredentials() {
    try {
      return provider().resolveCredentials();
    } catch (StsException e) {
      // The S3 call that needed these credentials fails with this; say which role it was.
      throw (StsException)
          StsException.builder()
              .message(
                  "AssumeRole of "
                      + roleArn
                      + ": "
                      + (e.awsErrorDetails() == null
                          ? e.getMessage()
                          : e.awsErrorDetails().errorMessage()))
              .statusCode(e.statusCode())
              .awsErrorDetails(e.awsErrorDetails())
              .requestId(e.requestId())
              .cause(e)
              .build();
    }
  }

  private synchronized StsAssumeRoleCredentialsProvider provider() {
    return current;
  }

  @Override
  public synchronized long generation() {
    return generation;
  }

  @Override
  public boolean renewable() {
    return true;
  }

  @Override
  public synchronized void renew(long expired, String promotionId) {
    if (generation != expired) {
      return;
    }
    // The old provider is not closed: a call on another thread may still be signing with it.
    current = assume.apply(promotionId);
    generation++;
  }

  @Override
  public synchronized void close() {
    current.close();
  }
}
