package org.artifactpromoter.it.deployed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.artifactpromoter.deployed.DeployedCode;
import org.artifactpromoter.deployed.DeployedCodeCheck;
import org.artifactpromoter.deployed.DeployedFunctionPattern;
import org.artifactpromoter.it.support.WithMoto;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * The deployed-code check on moto's Lambda, which computes CodeSha256 from the uploaded zip as AWS
 * does: the promoted package runs (match), changed code is drift, and a missing function or a role
 * without lambda:GetFunctionConfiguration is unknown with the reason.
 */
class DeployedCodeIT extends WithMoto {
  private static final String FUNCTION = "orders-api";

  private IamClient iam;
  private LambdaClient lambda;
  private String executionRole;

  @BeforeEach
  void clients() {
    iam =
        IamClient.builder()
            .endpointOverride(moto.endpoint())
            .region(Region.AWS_GLOBAL)
            .credentialsProvider(credentials("testing", "testing"))
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    lambda = lambda(credentials("testing", "testing"));
    // moto's CreateFunction insists that the execution role exists.
    executionRole =
        iam.createRole(
                b ->
                    b.roleName("orders-api-execution")
                        .assumeRolePolicyDocument(
                            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                                + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},"
                                + "\"Action\":\"sts:AssumeRole\"}]}"))
            .role()
            .arn();
  }

  @AfterEach
  void close() {
    moto.enforceIam(Integer.MAX_VALUE);
    iam.close();
    lambda.close();
  }

  @Test
  void thePromotedPackage_isRunning_andChangedCode_isDrift() throws Exception {
    byte[] promoted = zip("def handler(event, context):\n    return 'v1'\n");
    String releaseSha256 = sha256Hex(promoted);
    deploy("orders-api-prod", promoted);
    DeployedCodeCheck check = new DeployedCodeCheck(DeployedFunctionPattern.of(null));

    DeployedCode running = check.check(lambda, FUNCTION, "prod", releaseSha256);
    assertThat(running).isEqualTo(new DeployedCode("orders-api-prod", releaseSha256, true, null));
    assertThat(running.state()).isEqualTo("RUNNING");

    // Someone changes the code behind the pipeline's back.
    byte[] patched = zip("def handler(event, context):\n    return 'hotfix'\n");
    lambda.updateFunctionCode(
        b -> b.functionName("orders-api-prod").zipFile(SdkBytes.fromByteArray(patched)));

    DeployedCode drift = check.check(lambda, FUNCTION, "prod", releaseSha256);
    assertThat(drift.match()).isFalse();
    assertThat(drift.codeSha256()).isEqualTo(sha256Hex(patched));
    assertThat(drift.state()).isEqualTo("DRIFT");
  }

  @Test
  void aPattern_namesTheFunctionThatIsChecked() throws Exception {
    byte[] promoted = zip("def handler(event, context):\n    return 'live'\n");
    deploy("orders-api-live", promoted);
    deploy("orders-api-prod", zip("def handler(event, context):\n    return 'other'\n"));

    DeployedCode code =
        new DeployedCodeCheck(DeployedFunctionPattern.of("{function}-live"))
            .check(lambda, FUNCTION, "prod", sha256Hex(promoted));
    assertThat(code.function()).isEqualTo("orders-api-live");
    assertThat(code.match()).isTrue();
  }

  @Test
  void aMissingFunction_isUnknown() {
    DeployedCode code =
        new DeployedCodeCheck(DeployedFunctionPattern.of(null))
            .check(
                lambda,
                FUNCTION,
                "stage",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(code.match()).isNull();
    assertThat(code.state()).isEqualTo("UNKNOWN");
    assertThat(code.reason()).isEqualTo("function orders-api-stage not found in stage");
  }

  @Test
  void aRoleWithoutReadPermission_isUnknown_namingThePermission() throws Exception {
    byte[] promoted = zip("def handler(event, context):\n    return 'v1'\n");
    deploy("orders-api-prod", promoted);
    iam.createUser(b -> b.userName("no-lambda"));
    AccessKey key = iam.createAccessKey(b -> b.userName("no-lambda")).accessKey();
    moto.enforceIam(0);
    try (LambdaClient denied = lambda(credentials(key.accessKeyId(), key.secretAccessKey()))) {
      DeployedCode code =
          new DeployedCodeCheck(DeployedFunctionPattern.of(null))
              .check(denied, FUNCTION, "prod", sha256Hex(promoted));
      assertThat(code.match()).isNull();
      assertThat(code.codeSha256()).isNull();
      assertThat(code.reason())
          .contains("access denied")
          .contains("lambda:GetFunctionConfiguration");
    }
  }

  private void deploy(String name, byte[] zip) {
    lambda.createFunction(
        b ->
            b.functionName(name)
                .runtime(Runtime.PYTHON3_12)
                .role(executionRole)
                .handler("index.handler")
                .code(c -> c.zipFile(SdkBytes.fromByteArray(zip))));
  }

  private static LambdaClient lambda(AwsCredentialsProvider credentials) {
    return LambdaClient.builder()
        .endpointOverride(moto.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(credentials)
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  private static AwsCredentialsProvider credentials(String id, String secret) {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret));
  }

  static byte[] zip(String handler) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("index.py"));
      zip.write(handler.getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    return bytes.toByteArray();
  }

  static String sha256Hex(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }
}
