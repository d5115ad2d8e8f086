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
                    "ListArtifactVersions",
                    "UseBucketKey")),
            new Contract(
                "promotion-role/policies/read-source.json.tftpl",
                List.of("source_bucket_arn", "source_kms_key_arn"),
                List.of("ReadSourceReleases", "DecryptSourceReleases")),
            new Contract(
                "promote-function/policies/execution.json.tftpl",
                List.of("promotion_role_arns_json", "log_group_arn"),
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

  private Path write(String text) throws IOException {
    Path file = Files.createTempFile(tmp, "template", ".json.tftpl");
    Files.writeString(file, text);
    return file;
  }
}
