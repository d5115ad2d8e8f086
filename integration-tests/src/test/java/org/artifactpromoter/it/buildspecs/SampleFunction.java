package org.artifactpromoter.it.buildspecs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sample function in a git checkout of its own, as CodeBuild would check it out, and the Maven
 * options that build it here.
 */
public final class SampleFunction {
  static final String NAME = "sample-function";

  /** Where the function lives in its checkout (this repository keeps it under buildspecs/). */
  public static final String DIRECTORY = "buildspecs/sample-function";

  static final String PACKAGE = DIRECTORY + "/target/sample-function-1.0.0-lambda.zip";
  static final String COMMIT_SUBJECT = "Sample function: greet by name";
  static final String COMMIT_MESSAGE = COMMIT_SUBJECT + "\n\nAnswers with the git revision too.\n";

  private static List<String> mavenOptions;

  private SampleFunction() {}

  /** A fresh git repository holding this repository's buildspecs/ (scripts and sample). */
  public static Checkout checkout(Path directory) {
    try {
      Files.createDirectories(directory);
      Repository.copyTree(Repository.buildspecs(), directory.resolve("buildspecs"));
      Map<String, String> env = Map.of("GIT_CONFIG_NOSYSTEM", "1", "HOME", directory.toString());
      Processes.check(directory, env, "git", "init", "-q", "-b", "main");
      Processes.check(directory, env, "git", "add", "-A");
      Processes.check(
          directory,
          env,
          "git",
          "-c",
          "user.name=Build Test",
          "-c",
          "user.email=build-test@localhost",
          "commit",
          "-q",
          "-m",
          COMMIT_MESSAGE);
      String revision = Processes.check(directory, env, "git", "rev-parse", "HEAD").trim();
      return new Checkout(directory, revision);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public record Checkout(Path directory, String revision) {
    Path functionDirectory() {
      return directory.resolve(DIRECTORY);
    }

    Path packageFile() {
      return directory.resolve(PACKAGE);
    }
  }

  /**
   * MAVEN_CLI_OPTS for the build scripts: this machine's local repository and, once every artifact
   * the sample needs is in it, offline. The first call builds a throwaway copy offline; only if
   * that fails for want of an artifact does it build once online to fill the cache.
   */
  public static synchronized String mavenCliOptions() {
    if (mavenOptions == null) {
      String repository =
          "-Dmaven.repo.local=" + Path.of(System.getProperty("user.home"), ".m2", "repository");
      try {
        Path probe = Files.createTempDirectory("sample-function-probe-");
        Repository.copyTree(Repository.buildspecs().resolve("sample-function"), probe);
        Map<String, String> env = Map.of();
        Processes.Result offline =
            Processes.run(probe, env, List.of("mvn", "-B", "-q", "-o", repository, "package"));
        if (offline.exitCode() != 0) {
          Processes.check(probe, env, "mvn", "-B", "-q", repository, "package");
        }
        deleteTree(probe);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      mavenOptions = new ArrayList<>(List.of("-o", repository));
    }
    return String.join(" ", mavenOptions);
  }

  static void deleteTree(Path root) throws IOException {
    try (var walk = Files.walk(root)) {
      for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
