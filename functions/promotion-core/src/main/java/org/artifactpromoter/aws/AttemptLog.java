package org.artifactpromoter.aws;

import java.lang.System.Logger.Level;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.AwsRequest;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Makes the SDK's retries visible: when a call needs more than one attempt, each attempt is logged
 * with the promotion it belongs to, what the previous one got, and how the call ended. A call that
 * succeeds at once is logged only at FINE. Logs operation, path and status, never headers: they
 * carry the session token.
 */
public final class AttemptLog implements ExecutionInterceptor {
  /** Set on every request a promotion makes (see {@link SessionS3}); "-" when there is none. */
  public static final ExecutionAttribute<String> PROMOTION_ID =
      new ExecutionAttribute<>("artifact-promoter.promotion-id");

  private static final System.Logger LOG = System.getLogger(AttemptLog.class.getName());
  private static final ExecutionAttribute<Attempts> ATTEMPTS =
      new ExecutionAttribute<>("artifact-promoter.attempts");

  private final int maxAttempts;

  public AttemptLog(int maxAttempts) {
    this.maxAttempts = maxAttempts;
  }

  /**
   * For a request built with a consumer: {@code .overrideConfiguration(forPromotion(id))} names the
   * promotion in the attempt log lines of calls made outside {@link SessionS3} (job results).
   */
  public static Consumer<AwsRequestOverrideConfiguration.Builder> forPromotion(String promotionId) {
    return o -> {
      if (promotionId != null) {
        o.putExecutionAttribute(PROMOTION_ID, promotionId);
      }
    };
  }

  /** {@code request} with {@code promotionId} attached, for the attempt log lines. */
  @SuppressWarnings("unchecked")
  static <T extends SdkRequest> T tagged(T request, String promotionId) {
    if (!(request instanceof AwsRequest aws)) {
      return request;
    }
    AwsRequestOverrideConfiguration override =
        aws.overrideConfiguration()
            .map(AwsRequestOverrideConfiguration::toBuilder)
            .orElseGet(AwsRequestOverrideConfiguration::builder)
            .putExecutionAttribute(PROMOTION_ID, promotionId)
            .build();
    return (T) aws.toBuilder().overrideConfiguration(override).build();
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    attributes.putAttribute(ATTEMPTS, new Attempts());
  }

  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes attributes) {
    Attempts attempts = attributes.getAttribute(ATTEMPTS);
    if (attempts == null) {
      return;
    }
    attempts.number++;
    String call = describe(context.httpRequest().encodedPath(), attributes);
    if (attempts.number == 1) {
      LOG.log(Level.DEBUG, "{0}: attempt 1 of {1}", call, maxAttempts);
    } else {
      LOG.log(
          Level.INFO,
          "{0}: attempt {1} got {2}; attempt {3} of {4}",
          call,
          attempts.number - 1,
          attempts.lastOutcome,
          attempts.number,
          maxAttempts);
    }
    // Stays so if no response arrives (connection refused or reset, timeout).
    attempts.lastOutcome = "no response";
  }

  @Override
  public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
    Attempts attempts = attributes.getAttribute(ATTEMPTS);
    if (attempts != null) {
      attempts.lastOutcome = "HTTP " + context.httpResponse().statusCode();
    }
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    Attempts attempts = attributes.getAttribute(ATTEMPTS);
    if (attempts != null && attempts.number > 1) {
      LOG.log(
          Level.INFO,
          "{0}: succeeded on attempt {1} of {2}",
          describe(context.httpRequest().encodedPath(), attributes),
          attempts.number,
          maxAttempts);
    }
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    Attempts attempts = attributes.getAttribute(ATTEMPTS);
    if (attempts == null || attempts.number == 0) {
      return;
    }
    Throwable failure = context.exception();
    String path = context.httpRequest().map(r -> r.encodedPath()).orElse("");
    LOG.log(
        expected(failure) ? Level.DEBUG : Level.WARNING,
        "{0}: failed on attempt {1} of {2} ({3}): {4}",
        describe(path, attributes),
        attempts.number,
        maxAttempts,
        attempts.lastOutcome,
        reason(failure));
  }

  /** A 404 or 412 is an answer the promoter asked for (does it exist? is it still absent?). */
  private static boolean expected(Throwable failure) {
    return failure instanceof SdkServiceException service
        && (service.statusCode() == 404 || service.statusCode() == 412);
  }

  private static String reason(Throwable failure) {
    if (failure instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
      // A refused HEAD has no body and so no code: the status is all there is.
      String code = aws.awsErrorDetails().errorCode();
      return code != null ? code : "no error body";
    }
    // Client-side failures name their cause (reset, timeout); they carry no request headers.
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName()
        + (root.getMessage() == null ? "" : " " + root.getMessage());
  }

  private static String describe(String path, ExecutionAttributes attributes) {
    String promotion = attributes.getAttribute(PROMOTION_ID);
    return attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME)
        + " "
        + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME)
        + (path.isEmpty() || path.equals("/") ? "" : " " + path)
        + " promotion "
        + (promotion == null ? "-" : promotion);
  }

  /** Per call; the SDK runs one call's attempts one after another. */
  private static final class Attempts {
    int number;
    String lastOutcome = "";
  }
}
