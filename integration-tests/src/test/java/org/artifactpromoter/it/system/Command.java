package org.artifactpromoter.it.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One external program run to completion: terraform, the aws CLI, a script, the promoter CLI. */
record Command(List<String> argv, int exitCode, String stdout, String stderr) {

  /**
   * Runs {@code argv} in {@code dir} with exactly the machine's PATH and HOME plus {@code
   * environment}: no AWS setting of the machine running the tests leaks in.
   */
  static Command run(Path dir, Map<String, String> environment, Duration timeout, String... argv) {
    ProcessBuilder builder = new ProcessBuilder(argv).directory(dir.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> !k.equals("PATH") && !k.equals("HOME") && !k.equals("LANG"));
    env.putAll(environment);
    try {
      Path out = Files.createTempFile("cmd-out", ".txt");
      Path err = Files.createTempFile("cmd-err", ".txt");
      Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(
            String.join(" ", argv) + " did not finish within " + timeout + ": " + tail(err));
      }
      Command command =
          new Command(
              List.of(argv),
              process.exitValue(),
              Files.readString(out, StandardCharsets.UTF_8),
              Files.readString(err, StandardCharsets.UTF_8));
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      return command;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Fails with the command and its output unless it exited 0; returns it otherwise. */
  Command succeeded() {
    if (exitCode != 0) {
      throw new AssertionError(this.toString());
    }
    return this;
  }

  @Override
  public String toString() {
    return String.join(" ", argv)
        + " exited "
        + exitCode
        + "\n--- stdout (end)\n"
        + last(stdout)
        + "\n--- stderr (end)\n"
        + last(stderr);
  }

  private static String last(String text) {
    return text.length() <= 6000 ? text : "..." + text.substring(text.length() - 6000);
  }

  private static String tail(Path file) {
    try {
      return last(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return "(" + e + ")";
    }
  }
}
