package org.artifactpromoter.it.buildspecs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** The real artifact-promoter CLI, as the buildspecs get it: an executable launcher. */
final class PromoterCli {
  private PromoterCli() {}

  /**
   * A launcher (the shipped bin/artifact-promoter) for the shaded jar the build made (system
   * property {@code cli.jar}), or the executable named by {@code promoter.cli.launcher} to test an
   * installed CLI instead.
   */
  static Path launcher(Path directory) {
    String given = System.getProperty("promoter.cli.launcher");
    if (given != null && !given.isBlank()) {
      return Path.of(given);
    }
    Path jar =
        Path.of(
            System.getProperty(
                "cli.jar", "../functions/promoter-cli/target/artifact-promoter.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "the CLI jar "
              + jar.toAbsolutePath()
              + " does not exist: build it first with `mvn -q package` at the repository root");
    }
    // The launcher this repository ships, pinned to the jar under test.
    Path shipped = Repository.root().resolve("functions/promoter-cli/bin/artifact-promoter");
    try {
      Path launcher = directory.resolve("artifact-promoter");
      Files.writeString(
          launcher,
          "#!/usr/bin/env bash\nexport ARTIFACT_PROMOTER_JAR="
              + BuildspecRunner.quote(jar.toAbsolutePath().toString())
              + "\nexec "
              + BuildspecRunner.quote(shipped.toString())
              + " \"$@\"\n");
      Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
      return launcher;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
