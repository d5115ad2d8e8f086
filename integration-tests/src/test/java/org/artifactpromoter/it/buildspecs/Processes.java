package org.artifactpromoter.it.buildspecs;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a child process to its end; its stdout and stderr together are the result. */
final class Processes {
  private Processes() {}

  record Result(int exitCode, String output) {}

  static Result run(Path directory, Map<String, String> environment, List<String> command) {
    try {
      Path output = Files.createTempFile("process-", ".log");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(directory.toFile())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      builder.environment().putAll(environment);
      Process process = builder.start();
      if (!process.waitFor(10, TimeUnit.MINUTES)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new IllegalStateException(command + " did not finish in 10 minutes");
      }
      String text = Files.readString(output, StandardCharsets.UTF_8);
      Files.delete(output);
      return new Result(process.exitValue(), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs and insists on exit code 0; returns the output. */
  static String check(Path directory, Map<String, String> environment, String... command) {
    Result result = run(directory, environment, List.of(command));
    if (result.exitCode() != 0) {
      throw new IllegalStateException(
          String.join(" ", command)
              + " exited with "
              + result.exitCode()
              + ":\n"
              + result.output());
    }
    return result.output();
  }
}
