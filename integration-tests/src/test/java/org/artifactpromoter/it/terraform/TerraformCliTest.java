package org.artifactpromoter.it.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.artifactpromoter.it.support.LocalFiles;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the real terraform binary: fmt, init + validate of every module and example, and a
 * templatefile() rendering of every policy template compared byte for byte with {@link
 * PolicyTemplate}. Skipped (with a reason) only when terraform is not on PATH; when it is, every
 * failure fails the build.
 */
class TerraformCliTest {

  /** Where the hashicorp/aws provider is mirrored on machines without registry access. */
  private static final Path PROVIDER_MIRROR = Path.of("/opt/tf-plugins");

  private static Path terraform;
  private static Path work;
  private static Map<String, String> environment;

  private static final String NO_TERRAFORM =
      "terraform is not on PATH: fmt/init/validate/templatefile checks skipped (install"
          + " Terraform >= 1.10 to run them)";

  @BeforeAll
  static void findTerraform() throws IOException {
    Optional<Path> found = LocalFiles.onPath("terraform");
    if (found.isEmpty()) {
      return;
    }
    terraform = found.get();

    work = TerraformLayout.repoRoot().resolve("integration-tests/target/terraform-cli");
    deleteRecursively(work);
    Files.createDirectories(work);
    // Validate a copy: init writes .terraform/ and lock files we do not want in the sources.
    LocalFiles.copyTree(TerraformLayout.terraformRoot(), work.resolve("pipeline-terraform"));
    Path buildspecs = TerraformLayout.repoRoot().resolve("buildspecs");
    if (Files.isDirectory(buildspecs)) {
      LocalFiles.copyTree(buildspecs, work.resolve("buildspecs"));
    }

    environment = new LinkedHashMap<>();
    environment.put("TF_IN_AUTOMATION", "1");
    environment.put("TF_INPUT", "0");
    environment.put("CHECKPOINT_DISABLE", "1");
    Path cliConfig = work.resolve("terraform.rc");
    if (Files.isDirectory(PROVIDER_MIRROR)) {
      Files.writeString(
          cliConfig,
          "provider_installation {\n  filesystem_mirror {\n    path = \""
              + PROVIDER_MIRROR
              + "\"\n  }\n}\n");
    } else {
      Files.writeString(cliConfig, "");
    }
    environment.put("TF_CLI_CONFIG_FILE", cliConfig.toString());
  }

  /** Per test, so each skipped test is reported with the reason. */
  @BeforeEach
  void requireTerraform() {
    Assumptions.assumeTrue(terraform != null, NO_TERRAFORM);
  }

  @Test
  void fmt_check_passesOnTheWholeTree() throws Exception {
    Result result =
        run(
            TerraformLayout.terraformRoot(),
            terraform.toString(),
            "fmt",
            "-check",
            "-recursive",
            "-diff");

    assertThat(result.exitCode())
        .as("terraform fmt -check -recursive:%n%s", result.output())
        .isZero();
  }

  /**
   * {@code terraform init} without a backend in {@code dir}; the test is skipped, saying {@code
   * whatNeedsTheProvider}, where the hashicorp/aws provider can be neither found nor downloaded.
   */
  private void initialised(Path dir, String whatNeedsTheProvider) throws Exception {
    Result init =
        run(dir, terraform.toString(), "init", "-backend=false", "-input=false", "-no-color");
    Assumptions.assumeFalse(
        providerUnreachable(init),
        "the hashicorp/aws provider is neither mirrored at "
            + PROVIDER_MIRROR
            + " nor downloadable here: "
            + whatNeedsTheProvider);
    assertThat(init.exitCode()).as("terraform init in %s:%n%s", dir, init.output()).isZero();
  }

  @TestFactory
  Stream<DynamicTest> initAndValidate_passForEveryModuleAndExample() {
    Path root = work.resolve("pipeline-terraform");
    return TerraformModule.moduleDirs(root).stream()
        .map(
            dir ->
                DynamicTest.dynamicTest(
                    root.relativize(dir).toString(),
                    () -> {
                      initialised(dir, "validate needs it (fmt and the HCL checks still ran)");
                      Result validate = run(dir, terraform.toString(), "validate", "-no-color");
                      assertThat(validate.exitCode())
                          .as("terraform validate in %s:%n%s", dir, validate.output())
                          .isZero();
                    }));
  }

  /**
   * The modules' own {@code terraform test} files (tests/*.tftest.hcl, mock providers): name and
   * character validations, preconditions and the paths an apply on the emulator does not take.
   */
  @TestFactory
  Stream<DynamicTest> terraformTest_passesForEveryModuleWithTestFiles() {
    Path root = work.resolve("pipeline-terraform");
    List<Path> withTests =
        TerraformModule.moduleDirs(root).stream()
            .filter(dir -> Files.isDirectory(dir.resolve("tests")))
            .toList();
    assertThat(withTests)
        .extracting(dir -> dir.getFileName().toString())
        .containsAll(TerraformLayout.MODULES);
    return withTests.stream()
        .map(
            dir ->
                DynamicTest.dynamicTest(
                    root.relativize(dir).toString(),
                    () -> {
                      initialised(dir, "terraform test needs its schema");
                      Result test = run(dir, terraform.toString(), "test", "-no-color");
                      assertThat(test.exitCode())
                          .as("terraform test in %s:%n%s", dir, test.output())
                          .isZero();
                      // A run block that was skipped is not a pass.
                      assertThat(test.stdout())
                          .as("terraform test in %s:%n%s", dir, test.output())
                          .containsPattern("Success! [1-9][0-9]* passed, 0 failed\\.")
                          .doesNotContain("... skip");
                    }));
  }

  /**
   * A machine with terraform but neither the provider mirror nor registry access cannot validate:
   * that is a missing tool, reported as a skip with its reason, not a pass. Any other init failure
   * (a broken module) fails the test.
   */
  private static boolean providerUnreachable(Result init) {
    return init.exitCode() != 0
        && !Files.isDirectory(PROVIDER_MIRROR)
        && (init.output().contains("Failed to query available provider packages")
            || init.output().contains("could not connect to registry")
            || init.output().contains("Failed to install provider"));
  }

  @Test
  void templatefile_rendersEveryTemplate_exactlyLikePolicyTemplate() throws Exception {
    Path dir = work.resolve("templatefile");
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("main.tf"),
        """
        variable "templates" {
          type        = map(map(string))
          description = "Template path => variables."
        }

        output "rendered" {
          description = "Template path => templatefile() result."
          value       = { for path, vars in var.templates : path => templatefile(path, vars) }
        }
        """);
    ObjectMapper json = new ObjectMapper();
    ObjectNode templates = json.createObjectNode();
    Map<String, String> expected = new LinkedHashMap<>();
    for (Path template : TerraformLayout.templates()) {
      Map<String, String> vars = PolicyRules.sampleValues(template);
      templates.set(template.toString(), json.valueToTree(vars));
      expected.put(template.toString(), PolicyTemplate.render(template, vars));
    }
    ObjectNode tfvars = json.createObjectNode();
    tfvars.set("templates", templates);
    Files.writeString(dir.resolve("terraform.tfvars.json"), json.writeValueAsString(tfvars));

    Result init = run(dir, terraform.toString(), "init", "-input=false", "-no-color");
    assertThat(init.exitCode()).as(init.output()).isZero();
    Result apply =
        run(dir, terraform.toString(), "apply", "-auto-approve", "-input=false", "-no-color");
    assertThat(apply.exitCode()).as(apply.output()).isZero();
    Result output = run(dir, terraform.toString(), "output", "-json", "rendered");
    assertThat(output.exitCode()).as(output.output()).isZero();

    JsonNode rendered = json.readTree(output.stdout());
    assertThat(rendered.size()).isEqualTo(expected.size());
    expected.forEach(
        (path, java) -> assertThat(rendered.path(path).asText()).as(path).isEqualTo(java));
  }

  // ------------------------------------------------------------------ helpers

  record Result(int exitCode, String stdout, String output) {}

  private static Result run(Path dir, String... command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().putAll(environment);
    Path stdout = Files.createTempFile(work, "stdout", ".txt");
    Path stderr = Files.createTempFile(work, "stderr", ".txt");
    builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    Process process = builder.start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(
          String.join(" ", command) + " in " + dir + " did not finish in 5 minutes");
    }
    String out = Files.readString(stdout, StandardCharsets.UTF_8);
    String err = Files.readString(stderr, StandardCharsets.UTF_8);
    return new Result(process.exitValue(), out, out + err);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    List<Path> paths = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.forEach(paths::add);
    }
    for (int i = paths.size() - 1; i >= 0; i--) {
      Files.deleteIfExists(paths.get(i));
    }
  }
}
