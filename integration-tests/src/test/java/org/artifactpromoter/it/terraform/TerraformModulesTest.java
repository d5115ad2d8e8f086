package org.artifactpromoter.it.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TerraformModulesTest {

  private static final List<TerraformModule> MODULES =
      TerraformChecks.modules(TerraformLayout.terraformRoot());

  @Test
  void everyModule_hasTheStandardFiles() {
    for (String name : TerraformLayout.MODULES) {
      Path dir = TerraformLayout.terraformRoot().resolve("modules").resolve(name);
      for (String file :
          List.of("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md")) {
        assertThat(dir.resolve(file)).as("%s/%s", name, file).isRegularFile();
      }
    }
    assertThat(TerraformLayout.terraformRoot().resolve("examples/multi-account/README.md"))
        .isRegularFile();
    assertThat(TerraformLayout.terraformRoot().resolve("README.md")).isRegularFile();
  }

  /**
   * Every module directory is one the checks above know, and has {@code terraform test} files for
   * what an apply on the emulator cannot show (TerraformCliTest runs them).
   */
  @Test
  void everyModuleDirectory_isListed_andHasTerraformTestFiles() throws java.io.IOException {
    Path modules = TerraformLayout.terraformRoot().resolve("modules");
    List<String> dirs;
    try (var list = Files.list(modules)) {
      dirs = list.filter(Files::isDirectory).map(p -> p.getFileName().toString()).toList();
    }
    assertThat(dirs).containsExactlyInAnyOrderElementsOf(TerraformLayout.MODULES);
    for (String name : dirs) {
      Path tests = modules.resolve(name).resolve("tests");
      List<Path> files;
      try (var list = Files.list(tests)) {
        files = list.filter(p -> p.getFileName().toString().endsWith(".tftest.hcl")).toList();
      } catch (java.nio.file.NoSuchFileException e) {
        files = List.of();
      }
      assertThat(files).as("%s/tests/*.tftest.hcl", name).isNotEmpty();
    }
  }

  /**
   * function-pipeline loads its buildspecs from its own directory (it must work from a registry or
   * a git ref without the rest of the repository); they are copies of buildspecs/*.yml.
   */
  @Test
  void functionPipeline_buildspecs_areTheRepositorysBuildspecs() throws java.io.IOException {
    Path module = TerraformLayout.terraformRoot().resolve("modules/function-pipeline/buildspecs");
    for (String name : List.of("build.yml", "deploy.yml")) {
      assertThat(Files.readString(module.resolve(name)))
          .as("%s differs from buildspecs/%s: run buildspecs/sync-module-buildspecs.sh", name, name)
          .isEqualTo(
              Files.readString(TerraformLayout.repoRoot().resolve("buildspecs").resolve(name)));
    }
  }

  /** No module reads files outside its own directory ("${path.module}/../"). */
  @Test
  void noModule_readsFilesOutsideItsDirectory() {
    assertThat(MODULES)
        .allSatisfy(
            module ->
                assertThat(module.codeWithoutComments())
                    .as(module.toString())
                    .doesNotContain("${path.module}/..")
                    .doesNotContain("${path.root}"));
  }

  @Test
  void everyTerraformFile_splitsIntoBlocks() {
    assertThat(MODULES).hasSizeGreaterThanOrEqualTo(TerraformLayout.MODULES.size() + 1);
    assertThat(TerraformChecks.parseErrors(MODULES)).isEmpty();
  }

  @Test
  void everyVariable_hasTypeAndDescription_andEveryOutput_aDescription() {
    assertThat(TerraformChecks.undocumentedVariablesAndOutputs(MODULES)).isEmpty();
  }

  @Test
  void everyVarLocalAndModuleReference_resolves() {
    assertThat(TerraformChecks.unresolvedReferences(MODULES)).isEmpty();
  }

  @Test
  void everyModuleCall_passesOnlyDeclaredVariables_andAllRequiredOnes() {
    assertThat(TerraformChecks.badModuleCalls(MODULES)).isEmpty();
  }

  @Test
  void everyBackend_isPartial() {
    assertThat(TerraformChecks.fullBackends(MODULES)).isEmpty();
  }

  @Test
  void everyUniqueName_includesEnvironment_andFunctionWherePerFunction() {
    assertThat(TerraformChecks.namesWithoutEnvironmentOrFunction(MODULES)).isEmpty();
  }

  /** The same checks on a deliberately broken tree: each must report the bug it names. */
  @Nested
  class OnBrokenFixture {

    private final List<TerraformModule> broken = TerraformChecks.modules(fixture("broken"));

    @Test
    void parseErrors_reportsFileWithAnUnterminatedString() {
      assertThat(TerraformChecks.parseErrors(broken))
          .singleElement()
          .asString()
          .contains("unparsable")
          .contains("cannot parse");
    }

    @Test
    void documentation_reportsMissingTypeAndDescriptions() {
      assertThat(TerraformChecks.undocumentedVariablesAndOutputs(broken))
          .anySatisfy(p -> assertThat(p).endsWith("variable untyped has no type"))
          .anySatisfy(p -> assertThat(p).endsWith("variable undocumented has no description"))
          .anySatisfy(p -> assertThat(p).endsWith("output x has no description"));
    }

    @Test
    void references_reportsUndeclaredVarLocalAndModule() {
      assertThat(TerraformChecks.unresolvedReferences(broken))
          .anySatisfy(p -> assertThat(p).endsWith("var.not_declared is not a declared variable"))
          .anySatisfy(p -> assertThat(p).endsWith("local.missing is not a declared local"))
          .anySatisfy(p -> assertThat(p).endsWith("module.ghost is not a declared module call"))
          .noneSatisfy(p -> assertThat(p).contains("var.in_a_comment"));
    }

    @Test
    void moduleCalls_reportUnknownAndMissingArguments() {
      assertThat(TerraformChecks.badModuleCalls(broken))
          .anySatisfy(
              p -> assertThat(p).endsWith("passes unknown_arg, which ../child does not declare"))
          .anySatisfy(p -> assertThat(p).endsWith("does not pass required variable function_name"))
          .noneSatisfy(p -> assertThat(p).contains("required variable environment"))
          .noneSatisfy(p -> assertThat(p).contains("optional_setting"));
    }

    @Test
    void backends_reportFullConfiguration() {
      assertThat(TerraformChecks.fullBackends(broken))
          .anySatisfy(p -> assertThat(p).contains("sets bucket"))
          .anySatisfy(p -> assertThat(p).contains("sets key"));
    }

    @Test
    void names_reportMissingEnvironmentOrFunction() {
      assertThat(TerraformChecks.namesWithoutEnvironmentOrFunction(broken))
          .anySatisfy(
              p ->
                  assertThat(p)
                      .contains("aws_iam_role.no_environment")
                      .endsWith("does not include var.environment"))
          .anySatisfy(
              p ->
                  assertThat(p)
                      .contains("aws_cloudwatch_log_group.no_function")
                      .endsWith("does not include var.function_name"))
          .anySatisfy(p -> assertThat(p).contains("aws_codebuild_project.unnamed sets no name"))
          .noneSatisfy(p -> assertThat(p).contains("with_environment"))
          .noneSatisfy(p -> assertThat(p).contains("through_locals"));
    }
  }

  static Path fixture(String name) {
    try {
      Path path =
          Path.of(TerraformModulesTest.class.getResource("/terraform-fixtures/" + name).toURI());
      assertThat(Files.isDirectory(path)).isTrue();
      return path;
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
