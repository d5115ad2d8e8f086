package org.artifactpromoter.it.terraform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What every rendered policy document must satisfy, and sample values to render templates. */
final class PolicyRules {

  /**
   * Statements that need {@code "Resource": "*"} because the actions have no resource-level
   * permissions (CodePipeline job results and job details).
   */
  static final Set<String> SIDS_ALLOWED_ANY_RESOURCE =
      Set.of("JobResultsHaveNoResourceLevelPermissions");

  private static final ObjectMapper JSON = new ObjectMapper();

  private PolicyRules() {}

  static JsonNode parse(String json) throws JsonProcessingException {
    return JSON.readTree(json);
  }

  /**
   * Problems of one rendered document. {@code keyPolicy} documents may use {@code "Resource": "*"}:
   * in a KMS key policy it means "this key".
   */
  static List<String> problems(String origin, String json, boolean keyPolicy) {
    List<String> problems = new ArrayList<>();
    JsonNode doc;
    try {
      doc = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      return List.of(origin + ": not valid JSON: " + e.getOriginalMessage());
    }
    if (!"2012-10-17".equals(doc.path("Version").asText())) {
      problems.add(origin + ": Version must be 2012-10-17");
    }
    JsonNode statements = doc.path("Statement");
    if (!statements.isArray() || statements.isEmpty()) {
      problems.add(origin + ": Statement must be a non-empty list");
      return problems;
    }
    Set<String> sids = new HashSet<>();
    for (JsonNode statement : statements) {
      String sid = statement.path("Sid").asText("");
      if (sid.isEmpty()) {
        problems.add(origin + ": a statement has no Sid");
      } else if (!sids.add(sid)) {
        problems.add(origin + ": Sid " + sid + " is used twice");
      }
      String where = origin + " " + sid;
      boolean allow = "Allow".equals(statement.path("Effect").asText());
      for (String action : values(statement.path("Action"))) {
        if (action.equals("*")) {
          problems.add(where + ": Action \"*\"");
        } else if (allow && action.contains("*")) {
          problems.add(where + ": Allow with wildcard action " + action);
        }
      }
      if (statement.has("NotAction")) {
        problems.add(where + ": NotAction grants everything else");
      }
      if (allow
          && values(statement.path("Resource")).contains("*")
          && !keyPolicy
          && !SIDS_ALLOWED_ANY_RESOURCE.contains(sid)) {
        problems.add(where + ": Allow on Resource \"*\" where a narrower resource works");
      }
      if (allow && values(statement.path("Principal")).contains("*")) {
        problems.add(where + ": Allow to Principal \"*\"");
      }
    }
    return problems;
  }

  static List<String> sids(String json) throws JsonProcessingException {
    List<String> sids = new ArrayList<>();
    for (JsonNode statement : JSON.readTree(json).path("Statement")) {
      sids.add(statement.path("Sid").asText());
    }
    return sids;
  }

  /** Plausible values for every placeholder of a template, chosen by the placeholder's name. */
  static Map<String, String> sampleValues(Path template) throws java.io.IOException {
    Map<String, String> vars = new LinkedHashMap<>();
    for (String name : PolicyTemplate.placeholders(template)) {
      vars.put(name, sampleValue(name));
    }
    return vars;
  }

  static String sampleValue(String name) {
    if (name.endsWith("account_root_arns_json")) {
      // What the modules pass: the roots of the accounts of the role ARNs (patterns) beside them.
      return "[\"arn:aws:iam::222222222222:root\",\"arn:aws:iam::333333333333:root\"]";
    }
    if (name.endsWith("_json")) {
      return "[\"arn:aws:iam::222222222222:role/sample-a\",\"arn:aws:iam::333333333333:role/sample-b\"]";
    }
    if (name.equals("signing_key_arn")) {
      return "arn:aws:kms:us-east-1:111111111111:key/abcd1234-12ab-34cd-56ef-1234567890ab";
    }
    if (name.contains("kms_key_arn")) {
      return "arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    }
    if (name.contains("bucket_arn")) {
      return "arn:aws:s3:::acme-dev-artifacts";
    }
    if (name.equals("log_group_arn")) {
      return "arn:aws:logs:us-east-1:111111111111:log-group:/aws/lambda/artifact-promoter-ops";
    }
    if (name.equals("account_root_arn")) {
      return "arn:aws:iam::222222222222:root";
    }
    if (name.endsWith("role_arn")) {
      return "arn:aws:iam::111111111111:role/artifact-promoter-ops-execution";
    }
    if (name.equals("function_arn") || name.equals("alias_arn")) {
      return "arn:aws:lambda:us-east-1:111111111111:function:artifact-promoter-ops:live";
    }
    if (name.equals("connection_arn")) {
      return "arn:aws:codeconnections:us-east-1:333333333333:connection/0a1b2c3d-4e5f-6789-abcd-ef0123456789";
    }
    if (name.endsWith("_arn")) {
      return "arn:aws:codepipeline:us-east-1:222222222222:orders-api-dev";
    }
    return switch (name) {
      case "account_id" -> "222222222222";
      case "partition" -> "aws";
      case "region" -> "us-east-1";
      case "external_id" -> "0123456789abcdef0123456789abcdef";
      case "service" -> "codebuild.amazonaws.com";
      case "function_name" -> "orders-api";
      case "drop_key" -> "drop/orders-api.zip";
      case "state_key" -> "orders-api/terraform.tfstate";
      default -> "sample-" + name.replace('_', '-');
    };
  }

  private static List<String> values(JsonNode node) {
    List<String> values = new ArrayList<>();
    if (node.isTextual()) {
      values.add(node.asText());
    } else if (node.isArray()) {
      node.forEach(n -> values.addAll(values(n)));
    } else if (node.isObject()) {
      node.forEach(n -> values.addAll(values(n)));
    }
    return values;
  }
}
