package org.artifactpromoter.it.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.artifactpromoter.artifact.BuildInfo;
import org.artifactpromoter.it.support.LocalAccounts;
import org.artifactpromoter.it.support.MotoServer;
import org.artifactpromoter.it.support.WithLocalAccounts;
import org.artifactpromoter.it.terraform.PolicyTemplate;
import org.artifactpromoter.json.Json;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.promotion.PromotionResult;
import org.artifactpromoter.wiring.PromoterComponent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Guarantee 7: with moto's IAM enforcement on, a full dev -> stage -> prod promotion passes using
 * exactly the policy documents Terraform ships (rendered from the same template files), and fails
 * with ACCESS_DENIED, writing nothing, when the statement granting the destination write is
 * removed.
 */
class ShippedPoliciesIT {
  private static final Path POLICIES =
      Path.of(System.getProperty("repo.root", ".."), "pipeline-terraform", "modules");
  private static final String PROMOTER_ROLE = "arn:aws:iam::111111111111:role/artifact-promoter";
  private static MotoServer moto;
  @TempDir Path dir;

  @BeforeAll
  static void startMoto() {
    moto = MotoServer.start();
  }

  @AfterAll
  static void stopMoto() {
    moto.close();
  }

  @AfterEach
  void clearCredentials() {
    System.clearProperty("aws.sessionToken");
  }

  @Test
  void promotion_withExactlyTheShippedPolicies_passesDevToStageToProd() throws Exception {
    LocalAccounts accounts = setUp(false);
    PromoterComponent component =
        PromoterComponent.fromConfig(withoutProvenance(accounts.configJson(null)));

    PromotionResult toStage =
        component
            .directInvocation()
            .handle(WithLocalAccounts.request("orders-api", "dev", "stage", null));
    PromotionResult toProd =
        component
            .directInvocation()
            .handle(WithLocalAccounts.request("orders-api", "stage", "prod", null));

    assertThat(toStage.status()).isEqualTo(PromotionResult.Status.PROMOTED);
    assertThat(toProd.status()).isEqualTo(PromotionResult.Status.PROMOTED);
    assertThat(
            component
                .directInvocation()
                .handle(WithLocalAccounts.request("orders-api", "stage", "prod", null))
                .status())
        .isEqualTo(PromotionResult.Status.ALREADY_PROMOTED);
  }

  @Test
  void promotion_withoutTheDestinationWriteStatement_isDeniedAndWritesNothing() throws Exception {
    LocalAccounts accounts = setUp(true);
    PromoterComponent component =
        PromoterComponent.fromConfig(withoutProvenance(accounts.configJson(null)));
    moto.enforceIam(1_000_000); // the snapshot reads as root
    List<String> before = accounts.snapshot();
    enforce();

    assertThatThrownBy(
            () ->
                component
                    .directInvocation()
                    .handle(WithLocalAccounts.request("orders-api", "dev", "stage", null)))
        .isInstanceOfSatisfying(
            PromotionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_DENIED);
              assertThat(e.getMessage()).contains("acme-stage-artifacts");
            });
    moto.enforceIam(1_000_000);
    assertThat(accounts.snapshot()).isEqualTo(before);
  }

  /**
   * The S3 and STS policies are what this test proves. The provenance grants (kms:GetPublicKey for
   * the promoter, kms:Sign for the build role) are proven as deployed by MultiAccountSystemIT,
   * whose emulator patches evaluate the signing key's policy: plain moto serves a KMS key only to
   * callers of the account that created it, so the ops execution role here could not reach the test
   * key.
   */
  private static String withoutProvenance(String config) {
    String stripped = config.replaceFirst(",\"provenance\":\\{[^}]*\\}", "");
    assertThat(stripped).doesNotContain("provenance");
    return stripped;
  }

  /**
   * Fresh accounts, a published package in dev, the promotion roles with the rendered policies, and
   * the promoter running as the ops execution role; then IAM enforcement on.
   */
  private LocalAccounts setUp(boolean withoutStageWrite) throws Exception {
    moto.enforceIam(1_000_000);
    moto.reset();
    System.clearProperty("aws.sessionToken");
    LocalAccounts accounts = new LocalAccounts(moto).create();
    Path pkg = LocalAccounts.packageFile(dir, "orders-api.zip", 40_000, 31);
    accounts.publish(
        "orders-api",
        "dev",
        pkg,
        new BuildInfo(LocalAccounts.revision(31), "main", null, "m", null));

    String previous = null;
    for (String env : LocalAccounts.ENVIRONMENTS) {
      try (IamClient iam = iam(accounts, env)) {
        String role = "artifact-promotion-" + env;
        iam.createRole(
            b ->
                b.roleName(role)
                    .assumeRolePolicyDocument(
                        render(
                            "promotion-role/policies/trust.json.tftpl",
                            Map.of(
                                "promoter_role_arn",
                                PROMOTER_ROLE,
                                "external_id",
                                LocalAccounts.externalId(env)))));
        String access =
            render(
                "promotion-role/policies/access.json.tftpl",
                Map.of(
                    "bucket_arn",
                    "arn:aws:s3:::" + LocalAccounts.bucket(env),
                    "kms_key_arn",
                    accounts.kmsKeyArn(env)));
        if (withoutStageWrite && env.equals("stage")) {
          access = withoutStatement(access, "WriteReleasesAndDropKey");
        }
        final String accessPolicy = access;
        iam.putRolePolicy(b -> b.roleName(role).policyName("access").policyDocument(accessPolicy));
        if (previous != null) {
          String source = previous;
          iam.putRolePolicy(
              b ->
                  b.roleName(role)
                      .policyName("read-source-" + source)
                      .policyDocument(
                          render(
                              "promotion-role/policies/read-source.json.tftpl",
                              Map.of(
                                  "source_bucket_arn",
                                  "arn:aws:s3:::" + LocalAccounts.bucket(source),
                                  "source_kms_key_arn",
                                  accounts.kmsKeyArn(source)))));
        }
        previous = env;
      }
    }
    String roleArns =
        Json.write(LocalAccounts.ENVIRONMENTS.stream().map(LocalAccounts::roleArn).toList());
    try (IamClient iam = iam(accounts, "ops")) {
      iam.createRole(
          b ->
              b.roleName("artifact-promoter")
                  .assumeRolePolicyDocument(
                      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"));
      iam.putRolePolicy(
          b ->
              b.roleName("artifact-promoter")
                  .policyName("execution")
                  .policyDocument(
                      render(
                          "promote-function/policies/execution.json.tftpl",
                          Map.of(
                              "promotion_role_arns_json",
                              roleArns,
                              "log_group_arn",
                              "arn:aws:logs:us-east-1:111111111111:log-group:/aws/lambda/artifact-promoter",
                              "partition",
                              "aws"))));
    }
    // The promoter runs as its execution role, as the Lambda does.
    Credentials execution;
    try (StsClient sts =
        StsClient.builder()
            .endpointOverride(moto.endpoint())
            .region(LocalAccounts.REGION)
            .httpClient(UrlConnectionHttpClient.create())
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
            .build()) {
      execution =
          sts.assumeRole(b -> b.roleArn(PROMOTER_ROLE).roleSessionName("lambda")).credentials();
    }
    System.setProperty("aws.accessKeyId", execution.accessKeyId());
    System.setProperty("aws.secretAccessKey", execution.secretAccessKey());
    System.setProperty("aws.sessionToken", execution.sessionToken());
    enforce();
    return accounts;
  }

  private static void enforce() {
    moto.enforceIam(0);
  }

  private static IamClient iam(LocalAccounts accounts, String env) {
    return IamClient.builder()
        .endpointOverride(moto.endpoint())
        .region(software.amazon.awssdk.regions.Region.AWS_GLOBAL)
        .httpClient(UrlConnectionHttpClient.create())
        .credentialsProvider(accounts.credentials(env))
        .build();
  }

  private static String render(String template, Map<String, String> vars) {
    return PolicyTemplate.render(POLICIES.resolve(template), vars);
  }

  private static String withoutStatement(String policy, String sid) throws Exception {
    ObjectNode document = (ObjectNode) Json.MAPPER.readTree(policy);
    ArrayNode statements = (ArrayNode) document.get("Statement");
    int before = statements.size();
    for (int i = statements.size() - 1; i >= 0; i--) {
      if (sid.equals(statements.get(i).path("Sid").asText())) {
        statements.remove(i);
      }
    }
    assertThat(statements.size()).as("statement %s present", sid).isEqualTo(before - 1);
    return Json.write(document);
  }
}
