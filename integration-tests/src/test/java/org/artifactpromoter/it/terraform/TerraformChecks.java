package org.artifactpromoter.it.terraform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The house rules for pipeline-terraform, as checks that return the problems they find (an empty
 * list means the rule holds). Each check reads a tree of modules, so the same code runs on the real
 * modules and on the broken fixtures that prove the check catches what it names.
 */
final class TerraformChecks {

  /** Resource types whose name must be unique in an account/region, and the attribute naming it. */
  static final Map<String, String> UNIQUE_NAME_ATTRIBUTES =
      Map.ofEntries(
          Map.entry("aws_s3_bucket", "bucket"),
          Map.entry("aws_iam_role", "name"),
          Map.entry("aws_iam_policy", "name"),
          Map.entry("aws_kms_alias", "name"),
          Map.entry("aws_lambda_function", "function_name"),
          Map.entry("aws_cloudwatch_log_group", "name"),
          Map.entry("aws_codebuild_project", "name"),
          Map.entry("aws_codepipeline", "name"),
          Map.entry("aws_cloudwatch_event_rule", "name"),
          Map.entry("aws_dynamodb_table", "name"),
          Map.entry("aws_sns_topic", "name"),
          Map.entry("aws_sqs_queue", "name"));

  private static final Set<String> MODULE_META_ARGUMENTS =
      Set.of("source", "version", "providers", "count", "for_each", "depends_on");

  private static final Set<String> FULL_BACKEND_ATTRIBUTES =
      Set.of("bucket", "key", "region", "dynamodb_table", "kms_key_id", "use_lockfile");

  private TerraformChecks() {}

  static List<TerraformModule> modules(Path root) {
    return TerraformModule.moduleDirs(root).stream().map(TerraformModule::read).toList();
  }

  static List<String> parseErrors(List<TerraformModule> modules) {
    List<String> problems = new ArrayList<>();
    for (TerraformModule module : modules) {
      for (TerraformModule.ParsedFile file : module.files()) {
        if (file.parseError() != null) {
          problems.add(file.path() + ": cannot parse it: " + file.parseError());
        }
      }
    }
    return problems;
  }

  static List<String> undocumentedVariablesAndOutputs(List<TerraformModule> modules) {
    List<String> problems = new ArrayList<>();
    for (TerraformModule module : modules) {
      module
          .declared("variable")
          .forEach(
              (name, attributes) -> {
                if (!attributes.containsKey("type")) {
                  problems.add(module + ": variable " + name + " has no type");
                }
                if (isBlank(attributes.get("description"))) {
                  problems.add(module + ": variable " + name + " has no description");
                }
              });
      module
          .declared("output")
          .forEach(
              (name, attributes) -> {
                if (isBlank(attributes.get("description"))) {
                  problems.add(module + ": output " + name + " has no description");
                }
              });
    }
    return problems;
  }

  static List<String> unresolvedReferences(List<TerraformModule> modules) {
    List<String> problems = new ArrayList<>();
    for (TerraformModule module : modules) {
      String code = module.codeWithoutComments();
      Set<String> variables = module.declared("variable").keySet();
      Set<String> locals = module.locals().keySet();
      Set<String> calls = module.declared("module").keySet();
      for (String name : HclText.references("var", code)) {
        if (!variables.contains(name)) {
          problems.add(module + ": var." + name + " is not a declared variable");
        }
      }
      for (String name : HclText.references("local", code)) {
        if (!locals.contains(name)) {
          problems.add(module + ": local." + name + " is not a declared local");
        }
      }
      for (String name : HclText.references("module", code)) {
        if (!calls.contains(name)) {
          problems.add(module + ": module." + name + " is not a declared module call");
        }
      }
    }
    return problems;
  }

  static List<String> badModuleCalls(List<TerraformModule> modules) {
    List<String> problems = new ArrayList<>();
    for (TerraformModule module : modules) {
      module
          .declared("module")
          .forEach(
              (call, arguments) -> {
                String s = HclText.stringLiteral(arguments.get("source"));
                if (s == null || !(s.startsWith("./") || s.startsWith("../"))) {
                  return;
                }
                Path target = module.dir().resolve(s).normalize();
                if (!Files.isDirectory(target)) {
                  problems.add(module + ": module " + call + " has a missing source " + s);
                  return;
                }
                Map<String, Map<String, String>> declared =
                    TerraformModule.read(target).declared("variable");
                Set<String> passed = new LinkedHashSet<>(arguments.keySet());
                passed.removeAll(MODULE_META_ARGUMENTS);
                for (String argument : passed) {
                  if (!declared.containsKey(argument)) {
                    problems.add(
                        module
                            + ": module "
                            + call
                            + " passes "
                            + argument
                            + ", which "
                            + s
                            + " does not declare");
                  }
                }
                declared.forEach(
                    (variable, attributes) -> {
                      if (!attributes.containsKey("default") && !passed.contains(variable)) {
                        problems.add(
                            module
                                + ": module "
                                + call
                                + " does not pass required variable "
                                + variable);
                      }
                    });
              });
    }
    return problems;
  }

  static List<String> fullBackends(List<TerraformModule> modules) {
    List<String> problems = new ArrayList<>();
    for (TerraformModule module : modules) {
      for (TerraformModule.ParsedFile file : module.files()) {
        for (HclText.Block terraform : file.text().blocks()) {
          if (!terraform.type().equals("terraform")) {
            continue;
          }
          for (HclText.Block backend : HclText.parse(terraform.body()).blocks()) {
            if (!backend.type().equals("backend")) {
              continue;
            }
            for (HclText.Attribute attribute : HclText.parse(backend.body()).attributes()) {
              if (FULL_BACKEND_ATTRIBUTES.contains(attribute.name())) {
                problems.add(
                    file.path()
                        + ": backend \""
                        + backend.label(0)
                        + "\" sets "
                        + attribute.name()
                        + "; keep backends partial (terraform init -backend-config)");
              }
            }
          }
        }
      }
    }
    return problems;
  }

  /**
   * Names that must be unique in an account/region include the environment, and in modules with a
   * function_name variable the function too (directly or through locals).
   */
  static List<String> namesWithoutEnvironmentOrFunction(List<TerraformModule> modules) {
    List<String> problems = new ArrayList<>();
    for (TerraformModule module : modules) {
      Set<String> variables = module.declared("variable").keySet();
      Map<String, String> locals = module.locals();
      for (HclText.Block resource : module.blocks("resource")) {
        String attributeName = UNIQUE_NAME_ATTRIBUTES.get(resource.label(0));
        if (attributeName == null) {
          continue;
        }
        String where = module + ": " + resource.label(0) + "." + resource.label(1);
        HclText.Attribute attribute = HclText.parse(resource.body()).attribute(attributeName);
        if (attribute == null) {
          problems.add(where + " sets no " + attributeName + "; give it a predictable name");
          continue;
        }
        Set<String> used = variablesUsed(attribute.expression(), locals, new HashSet<>());
        if (!used.contains("environment")) {
          problems.add(
              where
                  + "."
                  + attributeName
                  + " = "
                  + attribute.expression()
                  + " does not include var.environment");
        }
        if (variables.contains("function_name") && !used.contains("function_name")) {
          problems.add(
              where
                  + "."
                  + attributeName
                  + " = "
                  + attribute.expression()
                  + " does not include var.function_name");
        }
      }
    }
    return problems;
  }

  private static Set<String> variablesUsed(
      String expression, Map<String, String> locals, Set<String> visiting) {
    Set<String> used = new LinkedHashSet<>(HclText.references("var", expression));
    for (String local : HclText.references("local", expression)) {
      if (locals.containsKey(local) && visiting.add(local)) {
        used.addAll(variablesUsed(locals.get(local), locals, visiting));
      }
    }
    return used;
  }

  private static boolean isBlank(String expression) {
    String literal = HclText.stringLiteral(expression);
    return expression == null || expression.isBlank() || (literal != null && literal.isBlank());
  }
}
