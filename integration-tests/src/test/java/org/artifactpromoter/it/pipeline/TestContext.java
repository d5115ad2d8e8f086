package org.artifactpromoter.it.pipeline;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Lambda context whose remaining time is plentiful for the first {@code checks} questions and
 * then drops below any reporting reserve: an invocation that runs out of time after that many
 * parts, without waiting for a real clock.
 */
public final class TestContext implements Context {
  static final int PLENTY_MILLIS = 600_000;
  static final int NEARLY_OUT_MILLIS = 2_000;

  private final AtomicInteger checksLeft;

  private TestContext(int checks) {
    this.checksLeft = new AtomicInteger(checks);
  }

  public static TestContext plentyOfTime() {
    return new TestContext(Integer.MAX_VALUE);
  }

  /** Time for {@code checks} more "is there time for the next part?" questions. */
  public static TestContext timeForChecks(int checks) {
    return new TestContext(checks);
  }

  @Override
  public int getRemainingTimeInMillis() {
    return checksLeft.getAndUpdate(n -> n == Integer.MAX_VALUE ? n : Math.max(0, n - 1)) > 0
        ? PLENTY_MILLIS
        : NEARLY_OUT_MILLIS;
  }

  @Override
  public String getAwsRequestId() {
    return "it-request";
  }

  @Override
  public String getLogGroupName() {
    return "/aws/lambda/artifact-promoter";
  }

  @Override
  public String getLogStreamName() {
    return "it";
  }

  @Override
  public String getFunctionName() {
    return "artifact-promoter";
  }

  @Override
  public String getFunctionVersion() {
    return "$LATEST";
  }

  @Override
  public String getInvokedFunctionArn() {
    return "arn:aws:lambda:us-east-1:111111111111:function:artifact-promoter";
  }

  @Override
  public CognitoIdentity getIdentity() {
    return null;
  }

  @Override
  public ClientContext getClientContext() {
    return null;
  }

  @Override
  public int getMemoryLimitInMB() {
    return 512;
  }

  @Override
  public LambdaLogger getLogger() {
    return new LambdaLogger() {
      @Override
      public void log(String message) {
        System.out.print(message);
      }

      @Override
      public void log(byte[] message) {
        System.out.print(new String(message, StandardCharsets.UTF_8));
      }
    };
  }
}
