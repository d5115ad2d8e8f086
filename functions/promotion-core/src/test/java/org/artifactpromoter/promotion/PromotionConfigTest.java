package org.artifactpromoter.promotion;

import static org.artifactpromoter.promotion.ConfigDocuments.edited;
import static org.artifactpromoter.promotion.ConfigDocuments.environment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.artifactpromoter.model.CopySettings;
import org.artifactpromoter.model.Environment;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PromotionConfigTest {
  private static final long GIB = 1024L * 1024 * 1024;
  private static final long MIB = 1024L * 1024;

  @Test
  void parse_fullDocument_keepsEveryValueAsWritten() {
    PromotionConfig config = ConfigDocuments.full();

    assertThat(config.environments().keySet()).containsExactly("dev", "stage", "prod");
    assertThat(config.environment("dev"))
        .contains(
            new Environment(
                "dev",
                "222222222222",
                "us-east-1",
                "acme-dev-artifacts",
                "arn:aws:iam::222222222222:role/artifact-promotion",
                ConfigDocuments.DEV_EXTERNAL_ID,
                ConfigDocuments.DEV_KMS_KEY,
                true));
    assertThat(config.environment("stage"))
        .contains(
            new Environment(
                "stage",
                "333333333333",
                "us-east-1",
                "acme-stage-artifacts",
                "arn:aws:iam::333333333333:role/promotion/artifact-promotion",
                "stage-shared-secret-19c2",
                null,
                true));
    assertThat(config.environment("prod").orElseThrow().kmsKeyArn())
        .isEqualTo(ConfigDocuments.PROD_KMS_ALIAS);
    assertThat(config.environment("prod").orElseThrow().bucket()).isEqualTo("acme.prod.artifacts");
    assertThat(config.promotions())
        .isEqualTo(Map.of("dev", List.of("stage"), "stage", List.of("prod")));
    assertThat(config.copy())
        .isEqualTo(new CopySettings(CopySettings.CopyMode.STREAMED, 100 * MIB, 8 * MIB, 8));
  }

  @Test
  void allows_followsTheGraphOnly() {
    PromotionConfig config = ConfigDocuments.full();

    assertThat(config.allows("dev", "stage")).isTrue();
    assertThat(config.allows("stage", "prod")).isTrue();
    assertThat(config.allows("dev", "prod")).isFalse();
    assertThat(config.allows("prod", "dev")).isFalse();
    assertThat(config.allows("stage", "dev")).isFalse();
    assertThat(config.allows("prod", "prod")).isFalse();
    assertThat(config.allows("qa", "stage")).isFalse();
  }

  @Test
  void parse_withoutCopyBlock_usesServerSideDefaults() {
    PromotionConfig config = PromotionConfig.parse(edited(root -> root.remove("copy")));

    assertThat(config.copy()).isEqualTo(CopySettings.defaults());
    assertThat(config.copy().mode()).isEqualTo(CopySettings.CopyMode.SERVER_SIDE);
  }

  @Test
  void parse_withoutKmsKey_leavesBucketDefaultEncryption() {
    PromotionConfig config =
        PromotionConfig.parse(edited(root -> environment(root, "dev").remove("kmsKeyArn")));

    assertThat(config.environment("dev").orElseThrow().kmsKeyArn()).isNull();
  }

  @Test
  void parse_otherPartitions_areAccepted() {
    PromotionConfig config =
        PromotionConfig.parse(
            edited(
                root -> {
                  ObjectNode dev = environment(root, "dev");
                  dev.put("region", "us-gov-west-1");
                  dev.put("role", "arn:aws-us-gov:iam::222222222222:role/artifact-promotion");
                  dev.put(
                      "kmsKeyArn", "arn:aws-us-gov:kms:us-gov-west-1:222222222222:alias/artifacts");
                }));

    assertThat(config.environment("dev").orElseThrow().region()).isEqualTo("us-gov-west-1");
  }

  @Test
  void parsedConfig_cannotBeChangedAfterwards() {
    PromotionConfig config = ConfigDocuments.full();

    assertThatThrownBy(() -> config.promotions().get("dev").add("prod"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> config.promotions().put("dev", List.of("prod")))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> config.environments().remove("prod"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(config.allows("dev", "prod")).isFalse();
  }

  @Test
  void toString_neverPrintsExternalIds() {
    PromotionConfig config = ConfigDocuments.full();
    Environment dev = config.environment("dev").orElseThrow();

    assertThat(dev.toString())
        .doesNotContain(ConfigDocuments.DEV_EXTERNAL_ID)
        .contains("externalId=***")
        .contains("222222222222");
    assertThat(config.toString())
        .doesNotContain(ConfigDocuments.DEV_EXTERNAL_ID)
        .doesNotContain("stage-shared-secret-19c2")
        .doesNotContain("prod-shared-secret-55e0");
  }

  // --- the document as a whole ---------------------------------------------------------------

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"  ", "\n"})
  void parse_whenEmpty_saysWhereConfigurationComesFrom(String json) {
    assertRefused(json, "PROMOTION_CONFIG", "--config");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "\"dev\"", "42", "null"})
  void parse_whenNotAJsonObject_isRefused(String json) {
    assertRefused(json, "must be a JSON object");
  }

  @Test
  void parse_whenNotJson_isRefused() {
    assertRefused("{\"environments\": {", "not valid JSON");
  }

  @Test
  void parse_whenMalformed_neverQuotesTheDocument() {
    // An unquoted external id is a secret the parser's own message would repeat.
    PromotionException refusal =
        assertRefused(
            "{\"environments\": {\"dev\": {\"externalId\": s3cr3tExternalId}}}", "line 1");

    assertThat(refusal.getMessage()).doesNotContain("s3cr3tExternalId");
  }

  @Test
  void parse_whenMoreFollowsTheDocument_isRefused() {
    assertRefused(
        ConfigDocuments.FULL + "{\"promotions\": {\"dev\": [\"prod\"]}}", "not valid JSON");
  }

  @Test
  void parse_whenAnEnvironmentIsDefinedTwice_isRefused() {
    String twice =
        ConfigDocuments.FULL.replace(
            "\"prod\": {", "\"dev\": {\"account\": \"999999999999\"}, \"prod\": {");

    assertRefused(twice, "Duplicate field 'dev'");
  }

  // --- provenance and conditionalWrites ----------------------------------------------------------

  @Test
  void parse_provenance_readsTheKeyArnAndWhetherItIsRequired() {
    PromotionConfig config =
        PromotionConfig.parse(
            edited(
                root ->
                    root.putObject("provenance")
                        .put(
                            "signingKeyArn",
                            "arn:aws:kms:eu-west-1:111111111111:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
                        .put("required", true)));

    assertThat(config.provenance().enabled()).isTrue();
    assertThat(config.provenance().required()).isTrue();
    assertThat(config.provenance().signingKeyArn().region()).isEqualTo("eu-west-1");
  }

  @Test
  void parse_withoutProvenance_turnsItOff() {
    assertThat(ConfigDocuments.full().provenance()).isEqualTo(ProvenancePolicy.OFF);
  }

  @Test
  void parse_provenanceWithAnAlias_isRefused_anAliasCanBeRepointed() {
    assertRefused(
        edited(
            root ->
                root.putObject("provenance")
                    .put("signingKeyArn", "arn:aws:kms:us-east-1:111111111111:alias/signing")
                    .put("required", true)),
        "not an alias",
        "re-pointed");
  }

  @Test
  void parse_provenanceWithoutRequired_isRefused() {
    assertRefused(
        edited(
            root ->
                root.putObject("provenance")
                    .put(
                        "signingKeyArn",
                        "arn:aws:kms:us-east-1:111111111111:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")),
        "provenance.required must be true");
  }

  @Test
  void parse_provenanceUnknownField_isRefused() {
    assertRefused(
        edited(root -> root.putObject("provenance").put("key", "x")),
        "unknown field(s) [key]",
        "[required, signingKeyArn]");
  }

  @Test
  void parse_conditionalWrites_defaultsToTrue_andReadsFalse() {
    PromotionConfig config =
        PromotionConfig.parse(
            edited(root -> environment(root, "stage").put("conditionalWrites", false)));

    assertThat(config.environment("dev").orElseThrow().conditionalWrites()).isTrue();
    assertThat(config.environment("stage").orElseThrow().conditionalWrites()).isFalse();
  }

  @Test
  void parse_conditionalWritesNotABoolean_isRefused() {
    assertRefused(
        edited(root -> environment(root, "stage").put("conditionalWrites", "no")),
        "environment \"stage\"",
        "conditionalWrites must be true");
  }

  // --- unknown fields at every level -----------------------------------------------------------

  @Test
  void parse_unknownTopLevelField_isRefusedNamingAllowedFields() {
    assertRefused(
        edited(root -> root.put("promotion", "typo")),
        "unknown field(s) [promotion]",
        "[copy, environments, eventBus, promotions, provenance]");
  }

  @Test
  void parse_unknownEnvironmentField_isRefusedNamingEnvironmentAndAllowedFields() {
    assertRefused(
        edited(root -> environment(root, "stage").put("acount", "333333333333")),
        "environment \"stage\"",
        "unknown field(s) [acount]",
        "[account, bucket, conditionalWrites, deployedFunctionPattern, externalId, kmsKeyArn,"
            + " pipelines, region, requireApproval, role]");
  }

  // --- observability (issue 14) ----------------------------------------------------------------

  @Test
  void parse_withoutEventBusOrPattern_usesTheDefaultBusAndFunctionDashEnvironment() {
    PromotionConfig config = PromotionConfig.parse(edited(root -> {}));

    assertThat(config.eventBus()).isEmpty();
    assertThat(config.deployedFunctionPattern("stage").resolve("orders-api", "stage"))
        .isEqualTo("orders-api-stage");
  }

  @Test
  void parse_eventBusAndPattern_areKept() {
    PromotionConfig config =
        PromotionConfig.parse(
            edited(
                root -> {
                  root.put("eventBus", "acme-promotions");
                  environment(root, "prod").put("deployedFunctionPattern", "{function}-live");
                }));

    assertThat(config.eventBus()).contains("acme-promotions");
    assertThat(config.deployedFunctionPattern("prod").resolve("orders-api", "prod"))
        .isEqualTo("orders-api-live");
    assertThat(config.deployedFunctionPattern("stage").resolve("orders-api", "stage"))
        .isEqualTo("orders-api-stage");
  }

  @Test
  void parse_invalidEventBus_isRefusedNamingTheField() {
    assertRefused(edited(root -> root.put("eventBus", "no spaces allowed")), "\"eventBus\"");
    assertRefused(edited(root -> root.put("eventBus", 42)), "eventBus");
  }

  @Test
  void parse_invalidDeployedFunctionPattern_isRefusedNamingTheEnvironment() {
    assertRefused(
        edited(root -> environment(root, "prod").put("deployedFunctionPattern", "live")),
        "environment \"prod\"",
        "deployedFunctionPattern \"live\"",
        "{function}");
  }

  @Test
  void parse_unknownCopyField_isRefusedNamingAllowedFields() {
    assertRefused(
        edited(root -> ((ObjectNode) root.get("copy")).put("threads", 4)),
        "\"copy\"",
        "unknown field(s) [threads]",
        "maxConcurrency");
  }

  // --- approval --------------------------------------------------------------------------------

  @Test
  void parse_approvalDefaults_requireApprovalEverywhere_andTheModulesPipelineNames() {
    PromotionConfig config = PromotionConfig.parse(edited(root -> {}));

    assertThat(config.approval("stage").required()).isTrue();
    assertThat(config.approval("dev").pipelineNames("orders-api", "dev"))
        .containsExactly("orders-api-dev");
  }

  @Test
  void parse_requireApprovalFalse_andExplicitPipelines_areRead() {
    PromotionConfig config =
        PromotionConfig.parse(
            edited(
                root -> {
                  environment(root, "stage").put("requireApproval", false);
                  environment(root, "dev")
                      .putArray("pipelines")
                      .add("{function}-{environment}")
                      .add("{function}-hotfix");
                }));

    assertThat(config.approval("stage").required()).isFalse();
    assertThat(config.approval("dev").names("orders-api-hotfix", "orders-api", "dev")).isTrue();
    assertThat(config.approval("dev").names("orders-api-stage", "orders-api", "dev")).isFalse();
  }

  @Test
  void parse_requireApprovalNotABoolean_isRefused() {
    assertRefused(
        edited(root -> environment(root, "stage").put("requireApproval", "yes")),
        "environment \"stage\": requireApproval must be true or false");
  }

  @Test
  void parse_pipelinesThatAreNotPipelineNames_areRefused() {
    assertRefused(
        edited(root -> environment(root, "dev").putArray("pipelines").add("orders api\n")),
        "environment \"dev\": pipelines lists",
        "which is not a CodePipeline pipeline name");
    assertRefused(
        edited(root -> environment(root, "dev").putArray("pipelines")),
        "pipelines must be a non-empty list");
    assertRefused(
        edited(root -> environment(root, "dev").putArray("pipelines").add("{branch}-x")),
        "which is not a CodePipeline pipeline name");
  }

  // --- environments ----------------------------------------------------------------------------

  @Test
  void parse_withoutEnvironments_isRefused() {
    assertRefused(edited(root -> root.remove("environments")), "\"environments\" object");
    assertRefused(edited(root -> root.putObject("environments")), "at least one environment");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Prod", "prod_eu", "1prod", "-prod", "abcdefghijklmnopqrstuvwxyz0123456"})
  void parse_badEnvironmentName_isRefused(String name) {
    assertRefused(
        edited(
            root -> {
              ObjectNode envs = (ObjectNode) root.get("environments");
              envs.set(name, envs.remove("prod"));
              root.putObject("promotions").putArray("dev").add("stage");
            }),
        "environment name \"" + name + "\"",
        "[a-z][a-z0-9-]{0,31}");
  }

  @Test
  void parse_environmentThatIsNotAnObject_isRefused() {
    assertRefused(
        edited(root -> ((ObjectNode) root.get("environments")).put("prod", "444444444444")),
        "environment \"prod\" must be a JSON object");
  }

  @ParameterizedTest
  @ValueSource(strings = {"account", "region", "bucket", "role", "externalId"})
  void parse_missingRequiredEnvironmentField_isRefusedNamingIt(String field) {
    assertRefused(
        edited(root -> environment(root, "stage").remove(field)),
        "environment \"stage\" is missing \"" + field + "\"");
  }

  @Test
  void parse_accountAsNumber_isRefusedAsNotAString() {
    assertRefused(
        edited(root -> environment(root, "stage").put("account", 333333333333L)),
        "field \"account\" must be a string");
  }

  @ParameterizedTest
  @ValueSource(strings = {"33333333333", "3333333333333", "33333333333a", " 333333333333", ""})
  void parse_badAccountId_isRefused(String account) {
    assertRefused(
        edited(root -> environment(root, "stage").put("account", account)),
        "environment \"stage\": account must be 12 digits");
  }

  @Test
  void parse_roleInAnotherAccount_isRefused() {
    assertRefused(
        edited(
            root ->
                environment(root, "stage")
                    .put("role", "arn:aws:iam::444444444444:role/artifact-promotion")),
        "environment \"stage\"",
        "is not in the environment's account 333333333333");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "artifact-promotion",
        "arn:aws:iam::333333333333:user/artifact-promotion",
        "arn:aws:iam::333333333333:role/",
        "arn:aws:iam:us-east-1:333333333333:role/artifact-promotion",
        "arn:aws:sts::333333333333:assumed-role/artifact-promotion/session"
      })
  void parse_roleThatIsNotAnIamRoleArn_isRefused(String role) {
    assertRefused(
        edited(root -> environment(root, "stage").put("role", role)),
        "role must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"us-east", "US-EAST-1", "useast1", "us-east-1a", "us_east_1", ""})
  void parse_badRegion_isRefused(String region) {
    assertRefused(
        edited(root -> environment(root, "stage").put("region", region)),
        "region \"" + region + "\" is not a region");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ab",
        "Acme-Artifacts",
        "acme_artifacts",
        "-acme-artifacts",
        "acme-artifacts-",
        "acme-artifacts.",
        "s3://acme-artifacts",
        "arn:aws:s3:::acme-artifacts",
        "a-bucket-name-that-is-sixty-four-characters-long-which-s3-refuse"
      })
  void parse_badBucketName_isRefused(String bucket) {
    assertRefused(
        edited(root -> environment(root, "stage").put("bucket", bucket)),
        "bucket \"" + bucket + "\" is not a valid S3 bucket name");
  }

  @Test
  void parse_bucketNamesAtTheLengthLimits_areAccepted() {
    String sixtyThree = "a".repeat(63);

    assertThat(
            PromotionConfig.parse(edited(root -> environment(root, "stage").put("bucket", "abc")))
                .environment("stage"))
        .map(Environment::bucket)
        .contains("abc");
    assertThat(
            PromotionConfig.parse(
                    edited(root -> environment(root, "stage").put("bucket", sixtyThree)))
                .environment("stage"))
        .map(Environment::bucket)
        .contains(sixtyThree);
  }

  @ParameterizedTest
  @ValueSource(strings = {"x", "has space", "quote\"in-it", "semi;colon", "tab\tin-it"})
  void parse_badExternalId_isRefused(String externalId) {
    assertRefused(
        edited(root -> environment(root, "stage").put("externalId", externalId)),
        "environment \"stage\": externalId must be 2-1224 characters");
  }

  @Test
  void parse_badExternalId_isNotEchoedInTheRefusal() {
    String secret = "stage shared-secret-19c2";

    PromotionException refusal =
        assertRefused(
            edited(root -> environment(root, "stage").put("externalId", secret)), "externalId");

    assertThat(refusal.getMessage()).doesNotContain("secret");
  }

  @Test
  void parse_externalIdAtTheLengthLimits_isAccepted() {
    for (String externalId : new String[] {"ab", "e".repeat(1224)}) {
      assertThat(
              PromotionConfig.parse(
                      edited(root -> environment(root, "stage").put("externalId", externalId)))
                  .environment("stage")
                  .orElseThrow()
                  .externalId())
          .isEqualTo(externalId);
    }
    assertRefused(
        edited(root -> environment(root, "stage").put("externalId", "e".repeat(1225))),
        "externalId must be 2-1224 characters");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "alias/artifacts",
        "1234abcd-12ab-34cd-56ef-1234567890ab",
        "arn:aws:kms:us-east-1:22222222222:key/1234abcd",
        "arn:aws:kms:us-east-1:222222222222:secret/1234abcd",
        "arn:aws:kms:us-east-1:222222222222:key/",
        "arn:aws:s3:::acme-dev-artifacts"
      })
  void parse_badKmsKeyArn_isRefused(String kmsKeyArn) {
    assertRefused(
        edited(root -> environment(root, "dev").put("kmsKeyArn", kmsKeyArn)),
        "environment \"dev\": kmsKeyArn must be a KMS key or alias ARN");
  }

  // --- the promotion graph ---------------------------------------------------------------------

  @Test
  void parse_withoutPromotions_isRefusedWithAnExample() {
    assertRefused(
        edited(root -> root.remove("promotions")), "\"promotions\" object", "[\"stage\"]");
  }

  @Test
  void parse_promotionToItself_isRefused() {
    assertRefused(
        edited(root -> ((ObjectNode) root.get("promotions")).putArray("stage").add("stage")),
        "\"stage\" cannot be promoted to itself");
  }

  @Test
  void parse_promotionFromUnknownEnvironment_isRefusedListingEnvironments() {
    assertRefused(
        edited(root -> ((ObjectNode) root.get("promotions")).putArray("qa").add("prod")),
        "\"qa\" is not one of the environments [dev, stage, prod]");
  }

  @Test
  void parse_promotionToUnknownEnvironment_isRefused() {
    assertRefused(
        edited(root -> ((ObjectNode) root.get("promotions")).putArray("stage").add("qa")),
        "\"stage\" lists \"qa\", which is not an environment");
  }

  @Test
  void parse_promotionTargetsThatAreNotAList_areRefused() {
    assertRefused(
        edited(root -> ((ObjectNode) root.get("promotions")).put("dev", "stage")),
        "\"dev\" must list destination environments");
    assertRefused(
        edited(root -> ((ObjectNode) root.get("promotions")).putArray("dev").add(1)),
        "\"dev\" lists 1, which is not an environment");
  }

  // --- copy settings ---------------------------------------------------------------------------

  @Test
  void parse_unknownCopyMode_isRefusedNamingTheModes() {
    assertRefused(editedCopy(copy -> copy.put("mode", "fast")), "\"server-side\" or \"streamed\"");
  }

  @Test
  void parse_copyBoundsThemselves_areAccepted() {
    CopySettings lowest =
        PromotionConfig.parse(
                editedCopy(
                    copy -> {
                      copy.put("multipartThresholdBytes", 1);
                      copy.put("partSizeBytes", 5 * MIB);
                      copy.put("maxConcurrency", 1);
                    }))
            .copy();
    CopySettings highest =
        PromotionConfig.parse(
                editedCopy(
                    copy -> {
                      copy.put("mode", "server-side");
                      copy.put("multipartThresholdBytes", 5 * GIB);
                      copy.put("partSizeBytes", 5 * GIB);
                      copy.put("maxConcurrency", 32);
                    }))
            .copy();

    assertThat(lowest).isEqualTo(new CopySettings(CopySettings.CopyMode.STREAMED, 1, 5 * MIB, 1));
    assertThat(highest)
        .isEqualTo(new CopySettings(CopySettings.CopyMode.SERVER_SIDE, 5 * GIB, 5 * GIB, 32));
  }

  @ParameterizedTest
  @ValueSource(longs = {0, -1, 5 * GIB + 1})
  void parse_multipartThresholdOutOfBounds_isRefused(long threshold) {
    assertRefused(
        editedCopy(copy -> copy.put("multipartThresholdBytes", threshold)),
        "copy.multipartThresholdBytes must be between 1 and 5 GiB");
  }

  @ParameterizedTest
  @ValueSource(longs = {5 * MIB - 1, 0, 5 * GIB + 1})
  void parse_partSizeOutOfBounds_isRefused(long partSize) {
    assertRefused(
        editedCopy(copy -> copy.put("partSizeBytes", partSize)),
        "copy.partSizeBytes must be between 5 MiB and 5 GiB");
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 33, -4, 4_294_967_297L})
  void parse_maxConcurrencyOutOfBounds_isRefused(long concurrency) {
    assertRefused(
        editedCopy(copy -> copy.put("maxConcurrency", concurrency)),
        "copy.maxConcurrency must be 1 to 32");
  }

  @ParameterizedTest
  @ValueSource(strings = {"4.5", "\"4\"", "true", "1e3", "99999999999999999999"})
  void parse_copyNumberThatIsNotAnInteger_isRefused(String value) {
    String json =
        ConfigDocuments.FULL.replace("\"maxConcurrency\": 8", "\"maxConcurrency\": " + value);

    assertRefused(json, "copy.maxConcurrency must be an integer");
  }

  @Test
  void parse_copyThatIsNotAnObject_isRefused() {
    assertRefused(edited(root -> root.put("copy", "streamed")), "\"copy\" must be a JSON object");
  }

  private static String editedCopy(Consumer<ObjectNode> edit) {
    return edited(root -> edit.accept((ObjectNode) root.get("copy")));
  }

  private static PromotionException assertRefused(String json, String... messageParts) {
    Throwable thrown = catchThrowable(() -> PromotionConfig.parse(json));
    assertThat(thrown).isInstanceOf(PromotionException.class);
    PromotionException refusal = (PromotionException) thrown;
    assertThat(refusal.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(refusal.getMessage()).contains(messageParts);
    return refusal;
  }
}
