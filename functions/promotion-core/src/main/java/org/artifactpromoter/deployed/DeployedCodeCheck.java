package org.artifactpromoter.deployed;

import java.lang.System.Logger.Level;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.PackageType;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * Compares the code a Lambda function runs with a release's SHA-256. Reads it with
 * GetFunctionConfiguration rather than GetFunction: both return {@code CodeSha256}, but GetFunction
 * also hands out a presigned URL to download the code, which a status check has no use for, and its
 * permission ({@code lambda:GetFunction}) would let the promotion role read every function's code.
 * {@code lambda:GetFunctionConfiguration} is the one permission this needs.
 *
 * <p>An answer that does not say what runs (no such function, access denied, a throttle, an image
 * function) is {@code match: null} with the reason, never an exception: {@code status} reports the
 * other environments regardless.
 */
public final class DeployedCodeCheck {
  private static final System.Logger LOG = System.getLogger(DeployedCodeCheck.class.getName());

  private final DeployedFunctionPattern pattern;

  public DeployedCodeCheck(DeployedFunctionPattern pattern) {
    this.pattern = pattern;
  }

  /**
   * What {@code function} runs in {@code environment}, compared with {@code releaseSha256}.
   *
   * @param lambda a client acting in the environment's account and region (its role)
   * @param releaseSha256 the release's SHA-256 in hex, or {@code null} when there is no release at
   *     the drop key to compare with
   * @throws IllegalArgumentException when the pattern gives no valid function name for these
   *     arguments (a configuration mistake, reported as such)
   */
  public DeployedCode check(
      LambdaClient lambda, String function, String environment, String releaseSha256) {
    String name = pattern.resolve(function, environment);
    GetFunctionConfigurationResponse configuration;
    try {
      configuration = lambda.getFunctionConfiguration(b -> b.functionName(name));
    } catch (ResourceNotFoundException e) {
      return DeployedCode.unknown(name, null, "function " + name + " not found in " + environment);
    } catch (AwsServiceException e) {
      String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
      if (e.statusCode() == 403 || "AccessDeniedException".equals(code)) {
        return DeployedCode.unknown(
            name,
            null,
            "access denied reading function "
                + name
                + " in "
                + environment
                + ": the environment's role needs lambda:GetFunctionConfiguration on it");
      }
      LOG.log(
          Level.WARNING,
          "reading function {0} in {1}: HTTP {2} {3}",
          name,
          environment,
          e.statusCode(),
          code);
      return DeployedCode.unknown(
          name, null, "Lambda answered HTTP " + e.statusCode() + (code == null ? "" : " " + code));
    } catch (SdkException e) {
      LOG.log(
          Level.WARNING,
          "reading function {0} in {1}: {2}",
          name,
          environment,
          e.getClass().getSimpleName());
      return DeployedCode.unknown(
          name, null, "Lambda not reachable: " + e.getClass().getSimpleName());
    }
    if (configuration.packageType() == PackageType.IMAGE) {
      return DeployedCode.unknown(
          name, null, "function " + name + " runs a container image, not a zip package");
    }
    String deployed;
    try {
      deployed = CodeSha256.toHex(configuration.codeSha256());
    } catch (IllegalArgumentException e) {
      return DeployedCode.unknown(name, null, "Lambda's " + e.getMessage());
    }
    if (releaseSha256 == null) {
      return DeployedCode.unknown(name, deployed, "no release at the drop key to compare with");
    }
    if (!CodeSha256.isHex(releaseSha256)) {
      return DeployedCode.unknown(
          name, deployed, "the release's recorded SHA-256 is not 64 hex characters");
    }
    return new DeployedCode(
        name, deployed, deployed.equals(CodeSha256.normalized(releaseSha256)), null);
  }
}
