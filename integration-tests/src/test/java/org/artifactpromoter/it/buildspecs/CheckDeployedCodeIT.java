package org.artifactpromoter.it.buildspecs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.artifactpromoter.it.support.WithMoto;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * buildspecs/scripts/check-deployed-code.sh, the last step of deploy.yml, run with the real aws CLI
 * against moto's Lambda (which computes CodeSha256 from the zip as Lambda does).
 */
class CheckDeployedCodeIT extends WithMoto {
  private static final Path SCRIPT =
      Repository.buildspecs().resolve("scripts/check-deployed-code.sh");
  private static final String FUNCTION = "sample-function-stage";
  private static final String REVISION = "3f786850e387550fdab836ed7e6dc881de23001b";

  @TempDir Path work;
  private LambdaClient lambda;
  private IamClient iam;
  private byte[] promoted;

  @BeforeEach
  void deployedFunction() throws IOException {
    StaticCredentialsProvider credentials =
        StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    iam =
        IamClient.builder()
            .endpointOverride(moto.endpoint())
            .region(Region.AWS_GLOBAL)
            .credentialsProvider(credentials)
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    lambda =
        LambdaClient.builder()
            .endpointOverride(moto.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(credentials)
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    String role =
        iam.createRole(
                b ->
                    b.roleName("sample-function-stage")
                        .assumeRolePolicyDocument(
                            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                                + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},"
                                + "\"Action\":\"sts:AssumeRole\"}]}"))
            .role()
            .arn();
    promoted = zip("v1");
    lambda.createFunction(
        b ->
            b.functionName(FUNCTION)
                .runtime(Runtime.JAVA17)
                .role(role)
                .handler("org.artifactpromoter.sample.Handler")
                .code(c -> c.zipFile(SdkBytes.fromByteArray(promoted))));
  }

  @AfterEach
  void closeClients() {
    lambda.close();
    iam.close();
  }

  @Test
  void theDeployedPackage_passes() throws IOException {
    Processes.Result result = check(Map.of("DEPLOY_FUNCTION_NAME", FUNCTION));
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output())
        .contains("Lambda function " + FUNCTION + " runs the package: SHA-256 " + sha256(promoted));
  }

  @Test
  void anUppercasePackageSha256_isTheSameHash() throws IOException {
    Processes.Result result =
        check(
            Map.of(
                "DEPLOY_FUNCTION_NAME",
                FUNCTION,
                "PACKAGE_SHA256",
                sha256(promoted).toUpperCase()));
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  @Test
  void otherCode_failsTheDeploy_namingBothHashes() throws IOException {
    byte[] other = zip("changed behind the pipeline's back");
    lambda.updateFunctionCode(b -> b.functionName(FUNCTION).zipFile(SdkBytes.fromByteArray(other)));

    Processes.Result result = check(Map.of("DEPLOY_FUNCTION_NAME", FUNCTION));
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.output())
        .contains(
            "ERROR: Lambda function "
                + FUNCTION
                + " runs code with SHA-256 "
                + sha256(other)
                + ", not this deploy's package (PACKAGE_SHA256 "
                + sha256(promoted)
                + ", git "
                + REVISION
                + ")");
  }

  @Test
  void aMissingFunction_failsTheDeploy() throws IOException {
    Processes.Result result = check(Map.of("DEPLOY_FUNCTION_NAME", "sample-function-prod"));
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.output())
        .contains("could not read the code of Lambda function sample-function-prod")
        .contains("lambda:GetFunctionConfiguration");
  }

  @Test
  void theConfigurationsOutput_namesTheFunction_beforeTheVariables() throws IOException {
    Path bin =
        fakeTerraform(
            "output -json",
            "{\"function_name\": {\"sensitive\": false, \"type\": \"string\", \"value\": \""
                + FUNCTION
                + "\"}}");
    Processes.Result result =
        check(Map.of("DEPLOY_FUNCTION_NAME", "not-this-one"), bin + ":" + System.getenv("PATH"));
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("Lambda function " + FUNCTION + " runs the package");
  }

  @Test
  void tfVarFunctionName_isUsedWhenThereIsNoOutput() throws IOException {
    Processes.Result result =
        check(Map.of("TF_VAR_function_name", FUNCTION, "DEPLOY_FUNCTION_NAME", "not-this-one"));
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  @Test
  void noFunctionName_failsNamingWhatToSet() throws IOException {
    Processes.Result result = check(Map.of());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.output())
        .contains("cannot tell which Lambda function this deploy changed")
        .contains("DEPLOY_FUNCTION_NAME")
        .contains("VERIFY_DEPLOYED_CODE=false");
  }

  @Test
  void aBadPackageSha256_orSwitch_isRefused() throws IOException {
    Processes.Result sha = check(Map.of("DEPLOY_FUNCTION_NAME", FUNCTION, "PACKAGE_SHA256", "abc"));
    assertThat(sha.exitCode()).isEqualTo(1);
    assertThat(sha.output()).contains("PACKAGE_SHA256 \"abc\" is not 64 hex characters");
    Processes.Result verify =
        check(Map.of("DEPLOY_FUNCTION_NAME", FUNCTION, "VERIFY_DEPLOYED_CODE", "yes"));
    assertThat(verify.exitCode()).isEqualTo(1);
    assertThat(verify.output()).contains("VERIFY_DEPLOYED_CODE must be \"true\" or \"false\"");
  }

  @Test
  void aHostileFunctionName_isRefusedBeforeTheCliRuns() throws IOException {
    Processes.Result result = check(Map.of("DEPLOY_FUNCTION_NAME", "x --endpoint-url http://evil"));
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.output()).contains("is not a Lambda function name or ARN");
  }

  @Test
  void switchedOff_passesWithoutLookingAtLambda() throws IOException {
    Processes.Result result =
        check(Map.of("DEPLOY_FUNCTION_NAME", "no-such-function", "VERIFY_DEPLOYED_CODE", "false"));
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("VERIFY_DEPLOYED_CODE=false");
  }

  private Processes.Result check(Map<String, String> variables) throws IOException {
    return check(variables, System.getenv("PATH"));
  }

  private Processes.Result check(Map<String, String> variables, String path) throws IOException {
    Map<String, String> environment = new HashMap<>(moto.clientEnvironment());
    environment.put("PATH", path);
    environment.put("HOME", Files.createDirectories(work.resolve("home")).toString());
    // A directory without Terraform state: `terraform output` has nothing to say there.
    environment.put("TF_DIR", Files.createDirectories(work.resolve("no-config")).toString());
    environment.put("PACKAGE_SHA256", sha256(promoted));
    environment.put("GIT_REVISION", REVISION);
    environment.putAll(variables);
    return Processes.run(work, environment, List.of("bash", SCRIPT.toString()));
  }

  /** A terraform that prints {@code value} for exactly {@code args}, and fails otherwise. */
  private Path fakeTerraform(String args, String value) throws IOException {
    Path bin = Files.createDirectories(work.resolve("fake-bin"));
    Path terraform = bin.resolve("terraform");
    Files.writeString(
        terraform,
        """
        #!/usr/bin/env bash
        shift  # -chdir=...
        if [[ "$*" == "%s" ]]; then printf '%%s' '%s'; exit 0; fi
        exit 1
        """
            .formatted(args, value));
    Files.setPosixFilePermissions(terraform, PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin;
  }

  private static byte[] zip(String content) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("org/artifactpromoter/sample/Handler.class"));
      zip.write(content.getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    return bytes.toByteArray();
  }

  private static String sha256(byte[] data) {
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
