package org.artifactpromoter.it.terraform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyTemplateTest {

  @TempDir Path tmp;

  // ------------------------------------------------------------- the renderer itself

  @Test
  void render_replacesPlaceholders_andPlacesJsonListsUnquoted() throws IOException {
    Path template = write("{\"Resource\": ${arns_json}, \"Principal\": \"${arn}\"}\n");

    String rendered =
        PolicyTemplate.render(template, Map.of("arns_json", "[\"a\",\"b\"]", "arn", "x"));

    assertThat(rendered).isEqualTo("{\"Resource\": [\"a\",\"b\"], \"Principal\": \"x\"}\n");
  }

  @Test
  void render_turnsEscapesIntoLiterals_likeTemplatefile() throws IOException {
    Path template = write("$${aws:username} %%{ not a directive } $ % ${a}");

    assertThat(PolicyTemplate.render(template, Map.of("a", "1")))
        .isEqualTo("${aws:username} %{ not a directive } $ % 1");
  }

  @Test
  void render_whenTemplateHasDirective_fails() throws IOException {
    Path template = write("[%{ for a in list }\"${a}\"%{ endfor }]");

    assertThatThrownBy(() -> PolicyTemplate.render(template, Map.of("a", "1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("directives");
  }

  @Test
  void render_whenPlaceholderHasNoValue_fails() throws IOException {
    Path template = write("{\"a\": \"${known}\", \"b\": \"${unknown}\"}");

    assertThatThrownBy(() -> PolicyTemplate.render(template, Map.of("known", "1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("${unknown} has no value");
  }

  @Test
  void render_whenVariableHasNoPlaceholder_fails() throws IOException {
    Path template = write("{\"a\": \"${a}\"}");

    assertThatThrownBy(() -> PolicyTemplate.render(template, Map.of("a", "1", "stale", "2")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[stale]");
  }

  @Test
  void render_whenPlaceholderIsAnExpression_fails() throws IOException {
    for (String expression : List.of("${var.a}", "${upper(a)}", "${ a }", "${a[0]}")) {
      Path template = write("{\"a\": \"" + expression + "\"}");

      assertThatThrownBy(() -> PolicyTemplate.render(template, Map.of("a", "1")))
          .as(expression)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("only ${name} placeholders");
    }
  }

  // -------------------------------------------------------------- the policy rules

  @Test
  void rules_reportWildcardActions_broadResources_invalidJson_andMissingSids() {
    String wildcard =
        """
        {"Version": "2012-10-17", "Statement": [
          {"Sid": "All", "Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::b"},
          {"Sid": "S3All", "Effect": "Allow", "Action": ["s3:*"], "Resource": "arn:aws:s3:::b"},
          {"Sid": "Anywhere", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
          {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}
        ]}""";

    assertThat(PolicyRules.problems("fixture", wildcard, false))
        .anySatisfy(p -> assertThat(p).contains("All: Action \"*\""))
        .anySatisfy(p -> assertThat(p).contains("S3All: Allow with wildcard action s3:*"))
        .anySatisfy(p -> assertThat(p).contains("Anywhere: Allow on Resource \"*\""))
        .anySatisfy(p -> assertThat(p).contains("a statement has no Sid"));
    assertThat(PolicyRules.problems("fixture", "{\"Version\": ", false))
        .singleElement()
        .asString()
        .contains("not valid JSON");
  }

  @Test
  void rules_acceptDenyOnAllS3Actions_andStarResourceInKeyPolicies() {
    String deny =
        """
        {"Version": "2012-10-17", "Statement": [
          {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
           "Resource": "arn:aws:s3:::b", "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
          {"Sid": "KeyUse", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"},
           "Action": "kms:Decrypt", "Resource": "*"}
        ]}""";

    assertThat(PolicyRules.problems("fixture", deny, true)).isEmpty();
    assertThat(PolicyRules.problems("fixture", deny, false))
        .singleElement()
        .asString()
        .contains("KeyUse");
  }

  // ------------------------------------------------------- the shipped templates

  @Test
  void everyShippedTemplate_rendersToAScopedValidPolicy() throws IOException {
    List<Path> templates = TerraformLayout.templates();
    assertThat(templates).hasSizeGreaterThanOrEqualTo(10);

    for (Path template : templates) {
      String rendered = PolicyTemplate.render(template, PolicyRules.sampleValues(template));

      assertThat(
              PolicyRules.problems(
                  template.toString(), rendered, TerraformLayout.isKeyPolicy(template)))
          .as(template.toString())
          .isEmpty();
    }
  }

  @Test
  void contractTemplates_takeExactlyTheContractVariables_andCarryTheContractSids()
      throws IOException {
    Path modules = TerraformLayout.terraformRoot().resolve("modules");
    record Contract(String path, List<String> vars, List<String> sids) {}
    List<Contract> contracts =
        List.of(
            new Contract(
                "promotion-role/policies/trust.json.tftpl",
                List.of("promoter_role_arn", "external_id"),
                List.of()),
            new Contract(
                "promotion-role/policies/access.json.tftpl",
                List.of("bucket_arn", "kms_key_arn"),
                List.of(
                    "ReadArtifacts",
                    "WriteReleasesAndDropKey",
                    "TakeBackOwnDropKeyVersions",
                    "ListArtifactVersions",
                    "UseBucketKey")),
            new Contract(
                "artifact-bucket/policies/bucket.json.tftpl",
                List.of("bucket_arn", "kms_key_arn"),
                List.of("DenyInsecureTransport", "DenyReleaseWritesWithoutIfNoneMatch")),
            new Contract(
                "signing-key/policies/key.json.tftpl",
                List.of(
                    "account_root_arn",
                    "signer_account_root_arns_json",
                    "signer_role_arns_json",
                    "verifier_account_root_arns_json",
                    "verifier_role_arns_json"),
                List.of(
                    "KeyAdministration",
                    "SignProvenanceFromTheBuild",
                    "VerifyProvenanceWhenPromoting")),
            new Contract(
                "promotion-role/policies/read-source.json.tftpl",
                List.of("source_bucket_arn", "source_kms_key_arn"),
                List.of("ReadSourceReleases", "DecryptSourceReleases")),
            new Contract(
                "promote-function/policies/execution.json.tftpl",
                List.of("promotion_role_arns_json", "log_group_arn", "partition"),
                List.of()));

    for (Contract contract : contracts) {
      Path template = modules.resolve(contract.path());
      Map<String, String> vars = new java.util.LinkedHashMap<>();
      contract.vars().forEach(v -> vars.put(v, PolicyRules.sampleValue(v)));

      String rendered = PolicyTemplate.render(template, vars);

      assertThat(PolicyRules.sids(rendered)).as(contract.path()).containsAll(contract.sids());
    }
  }

  @Test
  void trustPolicy_trustsOnlyThePromoterRole_withExternalId_andAllowsSourceIdentity()
      throws IOException {
    Path template =
        TerraformLayout.terraformRoot().resolve("modules/promotion-role/policies/trust.json.tftpl");
    String promoter = "arn:aws:iam::111111111111:role/artifact-promoter-ops-execution";

    var doc =
        PolicyRules.parse(
            PolicyTemplate.render(
                template,
                Map.of("promoter_role_arn", promoter, "external_id", "abcdefghijklmnop")));

    assertThat(doc.path("Statement").findValuesAsText("AWS")).containsOnly(promoter);
    assertThat(doc.toString())
        .contains("\"sts:ExternalId\":\"abcdefghijklmnop\"")
        .contains("sts:SetSourceIdentity")
        .contains("sts:TagSession")
        .doesNotContain(":root");
  }

  /**
   * Trust policies whose assumer cannot present an ExternalId, each with the reason. Any other
   * trust policy naming an AWS principal must require one.
   */
  private static final Map<String, String> TRUSTED_WITHOUT_EXTERNAL_ID =
      Map.of(
          "promote-function/policies/invoke-trust.json.tftpl",
          "CodePipeline assumes an action's role_arn with the pipeline role and sends no"
              + " ExternalId; the statement is scoped to the pipeline roles instead");

  private static final java.util.regex.Pattern ROLE_ARN =
      java.util.regex.Pattern.compile("arn:aws[a-z-]*:iam::(\\d{12}):role/[^*?].*");
  private static final java.util.regex.Pattern ROOT_ARN =
      java.util.regex.Pattern.compile("arn:aws[a-z-]*:iam::(\\d{12}):root");

  @Test
  void everyTrustPolicy_trustsRolesNotAccounts_andRequiresTheExternalIdWhereItCan()
      throws IOException {
    Path modules = TerraformLayout.terraformRoot().resolve("modules");
    Map<String, List<String>> problems = new java.util.TreeMap<>();
    List<String> trustPolicies = new java.util.ArrayList<>();

    for (Path template : TerraformLayout.templates()) {
      String name = modules.relativize(template).toString().replace('\\', '/');
      var doc =
          PolicyRules.parse(PolicyTemplate.render(template, PolicyRules.sampleValues(template)));
      List<String> found = new java.util.ArrayList<>();
      boolean trust = false;
      for (var statement : doc.path("Statement")) {
        List<String> actions = texts(statement.path("Action"));
        if (!statement.has("Principal")
            || actions.stream().noneMatch(a -> a.toLowerCase().startsWith("sts:"))) {
          continue;
        }
        trust = true;
        String sid = statement.path("Sid").asText();
        var principal = statement.path("Principal");
        List<String> aws = texts(principal.path("AWS"));
        if (!principal.isObject() || (aws.isEmpty() && !principal.has("Service"))) {
          found.add(sid + ": Principal must name roles or a service, found " + principal);
          continue;
        }
        if (aws.isEmpty()) {
          continue; // A service principal (codebuild.amazonaws.com, lambda.amazonaws.com).
        }
        List<String> roots = aws.stream().filter(a -> ROOT_ARN.matcher(a).matches()).toList();
        for (String arn : aws) {
          if (!ROLE_ARN.matcher(arn).matches() && !roots.contains(arn)) {
            found.add(sid + ": Principal " + arn + " is neither a role ARN nor an account root");
          }
        }
        var condition = statement.path("Condition");
        if (!roots.isEmpty()) {
          // Only with a condition that narrows the account to named roles: otherwise anyone the
          // account's administrators allow could assume it.
          List<String> principalArns = texts(condition.path("ArnLike").path("aws:PrincipalArn"));
          principalArns.addAll(texts(condition.path("ArnEquals").path("aws:PrincipalArn")));
          if (principalArns.isEmpty()) {
            found.add(sid + ": trusts " + roots + " without an aws:PrincipalArn condition");
          }
          for (String arn : principalArns) {
            var role = ROLE_ARN.matcher(arn);
            if (!role.matches()) {
              found.add(sid + ": aws:PrincipalArn " + arn + " does not name roles");
            } else if (!roots.contains(arn.replaceFirst(":role/.*", ":root"))) {
              found.add(sid + ": aws:PrincipalArn " + arn + " is outside the trusted accounts");
            }
          }
        }
        boolean externalId =
            !condition.path("StringEquals").path("sts:ExternalId").asText().isBlank();
        if (actions.contains("sts:AssumeRole")
            && !externalId
            && !TRUSTED_WITHOUT_EXTERNAL_ID.containsKey(name)) {
          found.add(sid + ": sts:AssumeRole by " + aws + " without a StringEquals sts:ExternalId");
        }
        if (externalId && !roots.isEmpty()) {
          found.add(sid + ": requires an ExternalId but trusts account roots " + roots);
        }
      }
      if (trust) {
        trustPolicies.add(name);
        problems.put(name, found);
      }
    }

    assertThat(trustPolicies)
        .as("trust policies found")
        .contains(
            "promotion-role/policies/trust.json.tftpl",
            "promote-function/policies/invoke-trust.json.tftpl",
            "promote-function/policies/execution-trust.json.tftpl",
            "function-pipeline/policies/service-trust.json.tftpl")
        .containsAll(TRUSTED_WITHOUT_EXTERNAL_ID.keySet());
    assertThat(problems).allSatisfy((name, found) -> assertThat(found).as(name).isEmpty());
  }

  @Test
  void everyRolesTrustPolicy_isAShippedTemplate() throws IOException {
    List<String> offenders = new java.util.ArrayList<>();
    List<Path> files;
    try (var walk = Files.walk(TerraformLayout.terraformRoot())) {
      files =
          walk.filter(p -> p.toString().endsWith(".tf"))
              .filter(p -> !p.toString().contains(".terraform"))
              .toList();
    }
    int trustPolicies = 0;
    var assignment = java.util.regex.Pattern.compile("assume_role_policy\\s*=\\s*(.*)");
    for (Path file : files) {
      for (String line : Files.readAllLines(file)) {
        var m = assignment.matcher(line.strip());
        if (m.matches()) {
          trustPolicies++;
          if (!m.group(1)
              .matches(
                  "templatefile\\(\"\\$\\{path\\.module\\}/policies/([a-z-]+-)?trust\\.json\\.tftpl\".*")) {
            offenders.add(file + ": " + line.strip());
          }
        }
      }
      String text = Files.readString(file);
      if (text.contains("aws_iam_policy_document") || text.contains("jsonencode({")) {
        if (text.contains("sts:AssumeRole")) {
          offenders.add(file + ": a policy document with sts:AssumeRole outside policies/");
        }
      }
    }

    assertThat(trustPolicies).as("assume_role_policy arguments found").isGreaterThanOrEqualTo(4);
    assertThat(offenders)
        .as("trust policies must be templates the tests render (policies/*trust.json.tftpl)")
        .isEmpty();
  }

  private static List<String> texts(com.fasterxml.jackson.databind.JsonNode node) {
    List<String> values = new java.util.ArrayList<>();
    if (node.isTextual()) {
      values.add(node.asText());
    } else if (node.isArray()) {
      node.forEach(n -> values.add(n.asText()));
    }
    return values;
  }

  @Test
  void executionPolicy_usesStarResourceOnlyForJobResults() throws IOException {
    Path template =
        TerraformLayout.terraformRoot()
            .resolve("modules/promote-function/policies/execution.json.tftpl");

    var doc =
        PolicyRules.parse(PolicyTemplate.render(template, PolicyRules.sampleValues(template)));

    for (var statement : doc.path("Statement")) {
      if ("*".equals(statement.path("Resource").asText())) {
        assertThat(statement.path("Sid").asText())
            .isEqualTo("JobResultsHaveNoResourceLevelPermissions");
        List<String> actions = new java.util.ArrayList<>();
        statement.path("Action").forEach(a -> actions.add(a.asText()));
        assertThat(actions)
            .isNotEmpty()
            .isSubsetOf(
                "codepipeline:GetJobDetails",
                "codepipeline:PutJobFailureResult",
                "codepipeline:PutJobSuccessResult");
      }
    }
  }

  // ------------------------------------------------------- only approved, tested bytes move

  private static com.fasterxml.jackson.databind.JsonNode rendered(String modulePath)
      throws IOException {
    Path template = TerraformLayout.terraformRoot().resolve("modules").resolve(modulePath);
    return PolicyRules.parse(PolicyTemplate.render(template, PolicyRules.sampleValues(template)));
  }

  private static List<String> strings(com.fasterxml.jackson.databind.JsonNode node) {
    List<String> values = new java.util.ArrayList<>();
    if (node.isArray()) {
      node.forEach(n -> values.add(n.asText()));
    } else if (!node.isMissingNode()) {
      values.add(node.asText());
    }
    return values;
  }

  @Test
  void promotionRole_cannotDeleteOrUnlockAnyReleaseVersion() throws IOException {
    var doc = rendered("promotion-role/policies/access.json.tftpl");
    List<String> forbiddenOnReleases =
        List.of(
            "s3:DeleteObject",
            "s3:DeleteObjectVersion",
            "s3:BypassGovernanceRetention",
            "s3:PutObjectRetention",
            "s3:PutObjectLegalHold",
            "s3:PutBucketPolicy",
            "s3:PutBucketVersioning");
    boolean dropTakeBackAllowed = false;

    for (var statement : doc.path("Statement")) {
      List<String> actions = strings(statement.path("Action"));
      List<String> resources = strings(statement.path("Resource"));
      if (resources.stream().anyMatch(r -> r.contains("/releases/") || r.endsWith("/*"))) {
        assertThat(resources)
            .as(statement.path("Sid").asText() + " reaches releases/*")
            .noneMatch(r -> r.endsWith(":::acme-dev-artifacts/*"));
      }
      if (resources.stream().anyMatch(r -> r.contains("/releases/"))) {
        assertThat(actions)
            .as(statement.path("Sid").asText() + " on releases/*")
            .doesNotContainAnyElementsOf(forbiddenOnReleases);
      }
      if (actions.contains("s3:DeleteObjectVersion")) {
        assertThat(resources).containsExactly("arn:aws:s3:::acme-dev-artifacts/drop/*");
        dropTakeBackAllowed = true;
      }
    }
    // The race settlement takes back a duplicate drop-key version (Promoter), so drop/* keeps it.
    assertThat(dropTakeBackAllowed).isTrue();
  }

  @Test
  void bucketPolicy_deniesEveryReleaseWriteThatCouldOverwrite() throws IOException {
    var doc = rendered("artifact-bucket/policies/bucket.json.tftpl");

    var deny =
        java.util.stream.StreamSupport.stream(doc.path("Statement").spliterator(), false)
            .filter(s -> s.path("Sid").asText().equals("DenyReleaseWritesWithoutIfNoneMatch"))
            .findFirst()
            .orElseThrow();

    assertThat(deny.path("Effect").asText()).isEqualTo("Deny");
    assertThat(deny.path("Principal").asText()).isEqualTo("*");
    assertThat(strings(deny.path("Action"))).containsExactly("s3:PutObject");
    assertThat(strings(deny.path("Resource")))
        .containsExactly("arn:aws:s3:::acme-dev-artifacts/releases/*");
    assertThat(deny.path("Condition").path("Null").path("s3:if-none-match").asText())
        .isEqualTo("true");
    // Multipart parts carry no conditional header; the request that creates the object does.
    assertThat(deny.path("Condition").path("Bool").path("s3:ObjectCreationOperation").asText())
        .isEqualTo("true");
    assertThat(deny.path("Condition").size()).isEqualTo(2);
  }

  @Test
  void signingKeyPolicy_letsOnlyTheBuildSign_andOnlyThePromoterVerify() throws IOException {
    var doc = rendered("signing-key/policies/key.json.tftpl");
    Map<String, com.fasterxml.jackson.databind.JsonNode> bySid = new java.util.HashMap<>();
    doc.path("Statement").forEach(s -> bySid.put(s.path("Sid").asText(), s));

    for (var statement : doc.path("Statement")) {
      List<String> actions = strings(statement.path("Action"));
      if (!statement.path("Sid").asText().equals("SignProvenanceFromTheBuild")) {
        assertThat(actions).as(statement.path("Sid").asText()).doesNotContain("kms:Sign");
      }
      assertThat(actions).noneMatch(a -> a.endsWith("*"));
    }
    var sign = bySid.get("SignProvenanceFromTheBuild");
    assertThat(strings(sign.path("Action"))).containsExactly("kms:Sign");
    assertThat(strings(sign.path("Condition").path("ArnLike").path("aws:PrincipalArn")))
        .containsExactlyElementsOf(
            strings(PolicyRules.parse(PolicyRules.sampleValue("signer_role_arns_json"))));
    assertThat(sign.path("Condition").path("StringEquals").path("kms:SigningAlgorithm").asText())
        .isEqualTo("ECDSA_SHA_256");
    assertThat(sign.path("Condition").path("StringEquals").path("kms:MessageType").asText())
        .isEqualTo("RAW");
    var verify = bySid.get("VerifyProvenanceWhenPromoting");
    assertThat(strings(verify.path("Action")))
        .containsExactlyInAnyOrder("kms:DescribeKey", "kms:GetPublicKey", "kms:Verify");
    assertThat(verify.path("Condition").path("ArnLike").has("aws:PrincipalArn")).isTrue();
  }

  private Path write(String text) throws IOException {
    Path file = Files.createTempFile(tmp, "template", ".json.tftpl");
    Files.writeString(file, text);
    return file;
  }
}
