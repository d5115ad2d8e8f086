package org.artifactpromoter.it.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each module's README carries Inputs and Outputs tables equal to its variables.tf and outputs.tf.
 * After changing a variable or an output, regenerate them with
 *
 * <pre>
 * mvn -B -ntp -q -pl integration-tests -am test -Dtest=ModuleReadmeTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dmodule.docs.write=true
 * </pre>
 */
class ModuleReadmeTest {

  private static final boolean WRITE = Boolean.getBoolean("module.docs.write");

  @TestFactory
  Stream<DynamicTest> everyModuleReadme_hasTheInputsAndOutputsOfItsTerraform() {
    return TerraformLayout.MODULES.stream()
        .map(
            name ->
                DynamicTest.dynamicTest(
                    name,
                    () -> {
                      Path dir = TerraformLayout.terraformRoot().resolve("modules").resolve(name);
                      Path readme = dir.resolve("README.md");
                      String expected = ModuleDocs.render(dir);
                      if (WRITE) {
                        ModuleDocs.write(readme, expected);
                      }
                      assertThat(ModuleDocs.current(readme))
                          .as(
                              "%s: the Inputs/Outputs tables differ from variables.tf/outputs.tf;"
                                  + " regenerate them (see ModuleReadmeTest)",
                              readme)
                          .isEqualTo(expected);
                    }));
  }

  /** The check itself: a variable missing from the README, or a stale description, is caught. */
  @Test
  void render_listsEveryVariableWithTypeDefaultAndRequired_andEveryOutput(@TempDir Path dir)
      throws Exception {
    java.nio.file.Files.writeString(
        dir.resolve("variables.tf"),
        """
        variable "name" {
          type        = string
          description = "What it is | called."
        }

        variable "settings" {
          type = object({
            size = optional(number, 1)
          })
          description = "Knobs."
          default     = {}
        }
        """);
    java.nio.file.Files.writeString(
        dir.resolve("outputs.tf"),
        """
        output "arn" {
          description = "The \\"ARN\\"."
          value       = "x"
        }
        """);

    String rendered = ModuleDocs.render(dir);

    assertThat(rendered)
        .contains("| name | What it is \\| called. | `string` | n/a | yes |")
        .contains("| settings | Knobs. | `object({ size = optional(number, 1) })` | `{}` | no |")
        .contains("| arn | The \"ARN\". |");
    java.nio.file.Files.writeString(dir.resolve("README.md"), "# x\n\n" + rendered + "\n");
    java.nio.file.Files.writeString(
        dir.resolve("outputs.tf"),
        """
        output "arn" {
          description = "The ARN, renamed."
          value       = "x"
        }
        """);
    assertThat(ModuleDocs.current(dir.resolve("README.md"))).isNotEqualTo(ModuleDocs.render(dir));
  }
}
