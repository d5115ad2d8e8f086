package org.artifactpromoter.it.terraform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where the Terraform lives in the repository. */
final class TerraformLayout {

  static final List<String> MODULES =
      List.of(
          "artifact-bucket",
          "promotion-role",
          "promote-function",
          "function-pipeline",
          "terraform-state",
          "signing-key");

  private TerraformLayout() {}

  static Path repoRoot() {
    String root = System.getProperty("repo.root");
    if (root == null) {
      throw new IllegalStateException(
          "system property repo.root is not set; run the tests through Maven (mvn verify)");
    }
    return Path.of(root).toAbsolutePath().normalize();
  }

  static Path terraformRoot() {
    return repoRoot().resolve("pipeline-terraform");
  }

  static List<Path> templates() {
    try (Stream<Path> paths = Files.walk(terraformRoot())) {
      return paths
          .filter(p -> p.getFileName().toString().endsWith(".tftpl"))
          .filter(p -> !p.toString().contains(".terraform"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean isKeyPolicy(Path template) {
    return template.getFileName().toString().startsWith("key");
  }
}
