package org.artifactpromoter.it.buildspecs;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a CodeBuild build reports: each phase's state ({@code SUCCEEDED} or {@code FAILED}; a phase
 * that never ran is absent), the build's state under the key {@code BUILD}, the exported variables,
 * the log (stdout and stderr of every command, with CodeBuild-like {@code [Container]} lines), and
 * the files each report group would upload.
 */
public record BuildResult(
    Map<String, String> status,
    Map<String, String> exportedVariables,
    String log,
    Map<String, List<Path>> reportFiles) {

  public boolean succeeded() {
    return "SUCCEEDED".equals(status.get("BUILD"));
  }

  /** {@code SUCCEEDED}, {@code FAILED}, or {@code null} when the phase did not run. */
  public String phase(String name) {
    return status.get(name);
  }

  @Override
  public String toString() {
    return "BuildResult" + status + "\n--- build log ---\n" + log;
  }
}
