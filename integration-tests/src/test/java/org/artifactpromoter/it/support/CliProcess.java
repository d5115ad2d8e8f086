package org.artifactpromoter.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the built CLI jar in its own JVM, as a user or a buildspec does. */
public final class CliProcess {
  private CliProcess() {}

  /** What a run printed and returned. */
  public record Run(int exitCode, String stdout, String stderr) {}

  public static Path jar() {
    Path jar =
        Path.of(
            System.getProperty(
                "cli.jar", "../functions/promoter-cli/target/artifact-promoter.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: run `mvn package` (or `mvn verify`) from the root");
    }
    return jar;
  }

  public static Run run(Map<String, String> environment, Path workingDirectory, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar().toAbsolutePath().toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
    // Only what the test gives: no AWS settings leak in from the machine running the tests.
    builder
        .environment()
        .keySet()
        .removeIf(
            k ->
                k.startsWith("AWS_") || k.startsWith("CODEBUILD_") || k.equals("PROMOTION_CONFIG"));
    builder.environment().putAll(environment);
    try {
      Path out = Files.createTempFile("cli-out", ".txt");
      Path err = Files.createTempFile("cli-err", ".txt");
      Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("CLI did not finish within 120 s: " + command);
      }
      Run run =
          new Run(
              process.exitValue(),
              Files.readString(out, StandardCharsets.UTF_8),
              Files.readString(err, StandardCharsets.UTF_8));
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      return run;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
