package org.artifactpromoter.it.buildspecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The buildspecs and their scripts, read as source: fail-fast settings and lint. */
class BuildspecScriptsTest {
  private static final Path SCRIPTS = Repository.buildspecs().resolve("scripts");

  /** The scripts the buildspecs call, and the release scripts beside the buildspecs. */
  private static List<Path> scripts() throws IOException {
    try (Stream<Path> called = Files.list(SCRIPTS);
        Stream<Path> release = Files.list(Repository.buildspecs())) {
      return Stream.concat(called, release)
          .filter(f -> f.toString().endsWith(".sh"))
          .sorted()
          .toList();
    }
  }

  @Test
  void everyScriptThatRuns_stopsAtTheFirstFailure() throws IOException {
    for (Path script : scripts()) {
      if (script.getFileName().toString().equals("lib.sh")) {
        continue; // sourced by the others, never run
      }
      assertThat(Files.readString(script)).as(script.toString()).contains("\nset -euo pipefail\n");
      assertThat(script).as(script + " is executable").isExecutable();
    }
  }

  @Test
  void everyPhase_abortsOnFailure_andTheShellIsBash() {
    for (String name : List.of("build.yml", "deploy.yml")) {
      Buildspec buildspec = Buildspec.load(Repository.buildspecs().resolve(name));
      assertThat(buildspec.shell()).isEqualTo("bash");
      assertThat(buildspec.phases())
          .as(name)
          .allSatisfy(
              (phase, spec) -> assertThat(spec.onFailure()).isEqualTo(Buildspec.OnFailure.ABORT));
      assertThat(buildspec.phases().get("install").commands().get(0))
          .isEqualTo("set -euo pipefail");
    }
  }

  @Test
  void scripts_areShellcheckClean() throws IOException {
    assumeTrue(
        Processes.run(SCRIPTS, Map.of(), List.of("sh", "-c", "command -v shellcheck")).exitCode()
            == 0,
        "shellcheck is not installed");
    List<String> command = new ArrayList<>(List.of("shellcheck", "--external-sources"));
    for (Path script : scripts()) {
      command.add(script.toString());
    }
    Processes.Result result = Processes.run(SCRIPTS, Map.of(), command);
    assertThat(result.exitCode()).as(result.output()).isZero();
  }
}
