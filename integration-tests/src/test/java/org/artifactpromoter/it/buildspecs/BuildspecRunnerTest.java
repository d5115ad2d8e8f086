package org.artifactpromoter.it.buildspecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness itself: each CodeBuild rule it claims to reproduce, on tiny buildspecs. */
class BuildspecRunnerTest {
  @TempDir Path source;
  @TempDir Path home;

  private BuildResult run(String yaml) {
    return BuildspecRunner.builder(Buildspec.parse(yaml))
        .sourceDirectory(source)
        .home(home)
        .projectVariable("FROM_PROJECT", "project")
        .codeBuildVariable("CODEBUILD_RESOLVED_SOURCE_VERSION", "abc123")
        .run();
  }

  @Test
  void run_sharesOneShellAcrossCommandsAndPhases() {
    BuildResult result =
        run(
            """
            version: 0.2
            env:
              exported-variables: [GREETING, DIRECTORY]
            phases:
              install:
                commands:
                  - mkdir sub && cd sub
                  - NAME=world
              build:
                commands:
                  - export GREETING="hello $NAME"
                  - export DIRECTORY="$(basename "$PWD")"
            """);

    assertThat(result.succeeded()).as(result.toString()).isTrue();
    assertThat(result.exportedVariables())
        .containsEntry("GREETING", "hello world")
        .containsEntry("DIRECTORY", "sub");
  }

  @Test
  void run_givesCodeBuildVariablesAndProjectVariablesPrecedenceOverBuildspecVariables() {
    BuildResult result =
        run(
            """
            version: 0.2
            env:
              variables:
                FROM_PROJECT: buildspec
                LITERAL: "$HOME"
                NUMBER: 1
              exported-variables: [SEEN]
            phases:
              build:
                commands:
                  - export SEEN="$FROM_PROJECT|$LITERAL|$NUMBER|$CODEBUILD_RESOLVED_SOURCE_VERSION|$CODEBUILD_SRC_DIR|${CODEBUILD_BUILD_ID%%:*}|$CODEBUILD_BUILD_SUCCEEDING"
            """);

    assertThat(result.exportedVariables().get("SEEN"))
        .isEqualTo("project|$HOME|1|abc123|" + source + "|sample-function-build|1");
  }

  @Test
  void run_whenACommandFails_skipsTheRestOfThePhaseRunsFinallyAndAborts() {
    BuildResult result =
        run(
            """
            version: 0.2
            env:
              exported-variables: [TRACE]
            phases:
              install:
                on-failure: ABORT
                commands:
                  - export TRACE=a
                  - "false"
                  - export TRACE="$TRACE,not-run"
                finally:
                  - export TRACE="$TRACE,finally"
              build:
                commands:
                  - export TRACE="$TRACE,build"
            """);

    assertThat(result.succeeded()).isFalse();
    assertThat(result.phase("install")).isEqualTo("FAILED");
    assertThat(result.phase("build")).isNull();
    assertThat(result.exportedVariables()).containsEntry("TRACE", "a,finally");
    assertThat(result.log()).contains("Command did not exit successfully false exit status 1");
  }

  @Test
  void run_whenBuildFailsWithoutOnFailure_stillRunsPostBuildWithBuildSucceedingZero() {
    BuildResult result =
        run(
            """
            version: 0.2
            env:
              exported-variables: [TRACE]
            phases:
              build:
                commands:
                  - exit_code=3; (exit $exit_code)
              post_build:
                commands:
                  - export TRACE="post_build saw $CODEBUILD_BUILD_SUCCEEDING"
            """);

    assertThat(result.phase("build")).isEqualTo("FAILED");
    assertThat(result.phase("post_build")).isEqualTo("SUCCEEDED");
    assertThat(result.succeeded()).isFalse();
    assertThat(result.exportedVariables()).containsEntry("TRACE", "post_build saw 0");
  }

  @Test
  void run_whenInstallFailsWithoutOnFailure_endsTheBuild_butContinueGoesOn() {
    BuildResult stopped =
        run(
            """
            version: 0.2
            phases:
              install:
                commands: ["false"]
              build:
                commands: ["true"]
            """);
    BuildResult continued =
        run(
            """
            version: 0.2
            phases:
              install:
                on-failure: CONTINUE
                commands: ["false"]
              build:
                commands: ["true"]
            """);

    assertThat(stopped.phase("build")).isNull();
    assertThat(continued.phase("build")).isEqualTo("SUCCEEDED");
    assertThat(continued.succeeded()).isFalse();
  }

  @Test
  void run_withSetE_aFailureInsideAMultiLineCommandStopsItAndTheBuild() {
    BuildResult result =
        run(
            """
            version: 0.2
            env:
              exported-variables: [TRACE]
            phases:
              install:
                on-failure: ABORT
                commands:
                  - set -euo pipefail
                  - |
                    export TRACE=first
                    false | true
                    missing-command-xyz
                    export TRACE=not-reached
                finally:
                  - export TRACE="$TRACE,finally"
              build:
                commands: ["export TRACE=build"]
            """);

    assertThat(result.succeeded()).isFalse();
    assertThat(result.phase("install")).isEqualTo("FAILED");
    assertThat(result.phase("build")).isNull();
    assertThat(result.exportedVariables()).containsEntry("TRACE", "first,finally");
  }

  @Test
  void run_namesEachSecondarySourceInCodeBuildSrcDirAndItsIdentifier() throws IOException {
    Path secondary = Files.createDirectories(home.resolve("function-source"));

    BuildResult result =
        BuildspecRunner.builder(
                Buildspec.parse(
                    """
                    version: 0.2
                    env:
                      exported-variables: [SEEN]
                    phases:
                      build:
                        commands:
                          - export SEEN="$CODEBUILD_SRC_DIR|$CODEBUILD_SRC_DIR_function_source"
                    """))
            .sourceDirectory(source)
            .home(home)
            .secondarySource("function_source", secondary)
            .run();

    assertThat(result.exportedVariables()).containsEntry("SEEN", source + "|" + secondary);
    assertThatThrownBy(
            () ->
                BuildspecRunner.builder(Buildspec.parse("version: 0.2\n"))
                    .secondarySource("function-source", secondary))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("function-source");
  }

  @Test
  void run_collectsOnlyExportedVariablesThatAreSet() {
    BuildResult result =
        run(
            """
            version: 0.2
            env:
              exported-variables: [EXPORTED, PLAIN, NEVER_SET]
            phases:
              build:
                commands:
                  - export EXPORTED=yes
                  - PLAIN=shell-only
            """);

    assertThat(result.exportedVariables()).containsOnlyKeys("EXPORTED");
  }

  @Test
  void run_findsReportFilesByGlob() throws IOException {
    Path reports = Files.createDirectories(source.resolve("fn/target/surefire-reports"));
    Files.writeString(reports.resolve("TEST-a.xml"), "<testsuite/>");
    Files.writeString(reports.resolve("other.txt"), "");

    BuildResult result =
        run(
            """
            version: 0.2
            phases:
              build:
                commands: ["true"]
            reports:
              unit-tests:
                files: ["**/target/surefire-reports/TEST-*.xml"]
                file-format: JUNITXML
            """);

    assertThat(result.reportFiles().get("unit-tests"))
        .containsExactly(reports.resolve("TEST-a.xml"));
  }
}
