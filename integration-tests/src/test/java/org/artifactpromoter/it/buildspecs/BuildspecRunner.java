package org.artifactpromoter.it.buildspecs;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.artifactpromoter.it.buildspecs.Buildspec.OnFailure;
import org.artifactpromoter.it.buildspecs.Buildspec.Phase;

/**
 * Runs a buildspec the way CodeBuild (buildspec version 0.2, {@code env.shell: bash}) does, on this
 * machine, so the buildspecs are tested as the programs they are.
 *
 * <p>CodeBuild semantics reproduced:
 *
 * <ul>
 *   <li>All commands of all phases run in <b>one</b> bash process, in the source directory ({@code
 *       CODEBUILD_SRC_DIR}): a variable set, a {@code cd} or a {@code set -euo pipefail} in one
 *       command is in force for every later command, across phases.
 *   <li>Environment, lowest precedence first: the box ({@code PATH}, {@code HOME}), the buildspec's
 *       {@code env.variables} (literal text, not expanded), the CodeBuild variables ({@code
 *       CODEBUILD_SRC_DIR}, {@code CODEBUILD_BUILD_ID}, {@code CODEBUILD_BUILD_ARN}, {@code
 *       CODEBUILD_BUILD_NUMBER}, {@code CODEBUILD_INITIATOR}, {@code CODEBUILD_BUILD_IMAGE}, {@code
 *       CODEBUILD_START_TIME}, {@code CODEBUILD_BUILD_SUCCEEDING}, {@code
 *       CODEBUILD_RESOLVED_SOURCE_VERSION} and {@code CODEBUILD_SOURCE_VERSION} when the test gives
 *       a source version, {@code CODEBUILD_SOURCE_REPO_URL} and {@code CODEBUILD_WEBHOOK_HEAD_REF}
 *       when it gives them, {@code CODEBUILD_SRC_DIR_<sourceIdentifier>} for each secondary source
 *       or secondary input artifact), then the project's environment variables.
 *   <li>Phases run in the order install, pre_build, build, post_build. Within a phase the first
 *       failing command fails the phase and the rest of its commands are skipped; its {@code
 *       finally} commands run anyway (until one fails), and a failing {@code finally} command fails
 *       the phase too.
 *   <li>After a failed phase: {@code on-failure: ABORT} ends the build, {@code CONTINUE} goes on
 *       with the next phase, and without {@code on-failure} CodeBuild's transitions apply (a failed
 *       install or pre_build ends the build; a failed build still runs post_build). {@code
 *       CODEBUILD_BUILD_SUCCEEDING} becomes 0 once a phase has failed.
 *   <li>{@code env.exported-variables} are read from the shell when the build ends, whichever way
 *       it ends.
 * </ul>
 *
 * <p>Where it differs, it is stricter: only variables that are <em>exported</em> in the shell are
 * collected as exported variables; a command that makes the shell itself exit ({@code set -e}
 * tripping, {@code exit}) ends the build after that phase's {@code finally} block, whatever {@code
 * on-failure} says; {@code runtime-versions}, {@code run-as}, {@code artifacts} and {@code cache}
 * are not acted on; a phase runs without CodeBuild's time limits beyond the one given here.
 */
public final class BuildspecRunner {
  private final Buildspec buildspec;
  private final Path sourceDirectory;
  private final Path home;
  private final String path;
  private final Map<String, String> codeBuildVariables;
  private final Map<String, String> projectVariables;
  private final Duration timeout;

  private BuildspecRunner(Builder builder) {
    this.buildspec = builder.buildspec;
    this.sourceDirectory = builder.sourceDirectory;
    this.home = builder.home;
    this.path = builder.path;
    this.codeBuildVariables = Map.copyOf(builder.codeBuildVariables);
    this.projectVariables = Map.copyOf(builder.projectVariables);
    this.timeout = builder.timeout;
  }

  public static Builder builder(Path buildspecFile) {
    return new Builder(Buildspec.load(buildspecFile));
  }

  public static Builder builder(Buildspec buildspec) {
    return new Builder(buildspec);
  }

  /** Runs the build to its end and reports what CodeBuild would. */
  public BuildResult run() {
    try {
      Path state = Files.createTempDirectory("codebuild-state-");
      Path driver = state.resolve("driver.sh");
      Files.writeString(driver, driverScript(state), StandardCharsets.UTF_8);
      Path log = state.resolve("build.log");

      ProcessBuilder process =
          new ProcessBuilder("bash", "--noprofile", "--norc", driver.toString())
              .directory(sourceDirectory.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      Map<String, String> environment = process.environment();
      environment.clear();
      environment.putAll(shellEnvironment());
      Process bash = process.start();
      if (!bash.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        bash.descendants().forEach(ProcessHandle::destroyForcibly);
        bash.destroyForcibly();
        throw new IllegalStateException(
            "build did not finish within " + timeout + "; log so far:\n" + Files.readString(log));
      }
      return new BuildResult(
          readStatus(state.resolve("status")),
          readExports(state.resolve("exports")),
          Files.readString(log),
          reportFiles());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The environment the shell starts with, lowest precedence first. */
  Map<String, String> shellEnvironment() {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("PATH", path);
    environment.put("HOME", home.toString());
    environment.put("LANG", "C.UTF-8");
    environment.putAll(buildspec.variables());
    String buildId = codeBuildVariables.getOrDefault("CODEBUILD_BUILD_ID", null);
    if (buildId == null) {
      buildId = "sample-function-build:" + UUID.randomUUID();
    }
    String project = buildId.substring(0, buildId.indexOf(':'));
    environment.put("CODEBUILD_BUILD_ID", buildId);
    environment.put(
        "CODEBUILD_BUILD_ARN", "arn:aws:codebuild:us-east-1:111111111111:build/" + buildId);
    environment.put("CODEBUILD_BUILD_NUMBER", "1");
    environment.put("CODEBUILD_INITIATOR", "codepipeline/" + project);
    environment.put("CODEBUILD_BUILD_IMAGE", "aws/codebuild/amazonlinux2-x86_64-standard:5.0");
    environment.put("CODEBUILD_START_TIME", String.valueOf(System.currentTimeMillis()));
    environment.put("CODEBUILD_BUILD_SUCCEEDING", "1");
    environment.put("CODEBUILD_SRC_DIR", sourceDirectory.toString());
    environment.putAll(codeBuildVariables);
    environment.putAll(projectVariables);
    return environment;
  }

  String driverScript(Path state) {
    StringBuilder s = new StringBuilder();
    s.append("# Generated by BuildspecRunner: CodeBuild buildspec 0.2 semantics, one shell.\n");
    s.append("__cb_status=").append(quote(state.resolve("status").toString())).append('\n');
    s.append("__cb_exports=").append(quote(state.resolve("exports").toString())).append('\n');
    s.append("__cb_exported=(");
    for (String name : buildspec.exportedVariables()) {
      s.append(quote(name)).append(' ');
    }
    s.append(")\n");
    s.append(
        """
        __cb_phase=''; __cb_phase_ok=1; __cb_finally_pending=0; __cb_stop=0; __cb_failed=0
        __cb_done=0; __cb_rc=0
        : >"$__cb_status"
        __cb_on_exit() {
          __cb_rc=$?
          trap - EXIT
          set +o errexit +o nounset +o pipefail
          if [[ "$__cb_done" != 1 ]]; then
            printf '[Container] The shell exited with status %s during phase %s\\n' "$__cb_rc" "$__cb_phase"
            __cb_phase_ok=0
            if [[ "$__cb_finally_pending" == 1 ]]; then
              __cb_finally_pending=0
              "__cb_finally_$__cb_phase"
            fi
            printf 'PHASE %s FAILED\\n' "$__cb_phase" >>"$__cb_status"
            __cb_failed=1
          fi
          : >"$__cb_exports"
          __cb_environment=" $(compgen -e | tr '\\n' ' ') "
          for __cb_name in "${__cb_exported[@]}"; do
            if [[ "$__cb_environment" == *" $__cb_name "* ]]; then
              printf '%s\\0%s\\0' "$__cb_name" "${!__cb_name}" >>"$__cb_exports"
            fi
          done
          if [[ "$__cb_failed" == 1 ]]; then
            printf 'BUILD FAILED\\n' >>"$__cb_status"
            exit 1
          fi
          printf 'BUILD SUCCEEDED\\n' >>"$__cb_status"
          exit 0
        }
        trap __cb_on_exit EXIT
        """);
    for (Map.Entry<String, Phase> entry : buildspec.phases().entrySet()) {
      s.append(finallyFunction(entry.getKey(), entry.getValue()));
    }
    for (Map.Entry<String, Phase> entry : buildspec.phases().entrySet()) {
      s.append(phaseBlock(entry.getKey(), entry.getValue()));
    }
    s.append("__cb_done=1\n");
    return s.toString();
  }

  private static String finallyFunction(String name, Phase phase) {
    StringBuilder s = new StringBuilder("__cb_finally_" + name + "() {\n");
    s.append("  :\n");
    for (String command : phase.finallyCommands()) {
      s.append(commandBlock(command, "  ", "return 0"));
    }
    return s.append("}\n").toString();
  }

  private static String phaseBlock(String name, Phase phase) {
    String upper = name.toUpperCase(java.util.Locale.ROOT);
    StringBuilder s = new StringBuilder();
    s.append("if [[ \"$__cb_stop\" == 0 ]]; then\n");
    s.append("  __cb_phase=")
        .append(name)
        .append("; __cb_phase_ok=1; __cb_finally_pending=")
        .append(phase.finallyCommands().isEmpty() ? 0 : 1)
        .append('\n');
    s.append("  printf '[Container] Entering phase ").append(upper).append("\\n'\n");
    for (String command : phase.commands()) {
      s.append("  if [[ \"$__cb_phase_ok\" == 1 ]]; then\n");
      s.append(commandBlock(command, "    ", null));
      s.append("  fi\n");
    }
    s.append(
            "  if [[ \"$__cb_finally_pending\" == 1 ]]; then __cb_finally_pending=0; __cb_finally_")
        .append(name)
        .append("; fi\n");
    s.append("  if [[ \"$__cb_phase_ok\" == 1 ]]; then\n");
    s.append("    printf 'PHASE ").append(name).append(" SUCCEEDED\\n' >>\"$__cb_status\"\n");
    s.append("    printf '[Container] Phase complete: ")
        .append(upper)
        .append(" State: SUCCEEDED\\n'\n");
    s.append("  else\n");
    s.append("    printf 'PHASE ").append(name).append(" FAILED\\n' >>\"$__cb_status\"\n");
    s.append("    printf '[Container] Phase complete: ")
        .append(upper)
        .append(" State: FAILED\\n'\n");
    s.append("    __cb_failed=1; export CODEBUILD_BUILD_SUCCEEDING=0\n");
    if (stopsAfterFailure(name, phase.onFailure())) {
      s.append("    __cb_stop=1\n");
    }
    s.append("  fi\n");
    s.append("fi\n");
    return s.toString();
  }

  /** CodeBuild's transitions: see the class comment. */
  static boolean stopsAfterFailure(String phase, OnFailure onFailure) {
    return switch (onFailure) {
      case ABORT -> true;
      case CONTINUE -> false;
      case DEFAULT -> !phase.equals("build");
    };
  }

  private static String commandBlock(String command, String indent, String onFailure) {
    String quoted = quote(command);
    StringBuilder s = new StringBuilder();
    s.append(indent)
        .append("printf '[Container] Running command %s\\n' ")
        .append(quoted)
        .append('\n');
    s.append(indent).append("eval ").append(quoted).append('\n');
    s.append(indent).append("__cb_rc=$?\n");
    s.append(indent).append("if [[ \"$__cb_rc\" != 0 ]]; then\n");
    s.append(indent)
        .append("  printf '[Container] Command did not exit successfully %s exit status %s\\n' ")
        .append(quoted)
        .append(" \"$__cb_rc\"\n");
    s.append(indent).append("  __cb_phase_ok=0\n");
    if (onFailure != null) {
      s.append(indent).append("  ").append(onFailure).append('\n');
    }
    s.append(indent).append("fi\n");
    return s.toString();
  }

  static String quote(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }

  private static Map<String, String> readStatus(Path file) throws IOException {
    Map<String, String> status = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return status;
    }
    for (String line : Files.readAllLines(file)) {
      String[] parts = line.split(" ");
      if (parts[0].equals("PHASE") && parts.length == 3) {
        status.put(parts[1], parts[2]);
      } else if (parts[0].equals("BUILD") && parts.length == 2) {
        status.put("BUILD", parts[1]);
      }
    }
    return status;
  }

  private static Map<String, String> readExports(Path file) throws IOException {
    Map<String, String> exports = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return exports;
    }
    String[] fields = Files.readString(file, StandardCharsets.UTF_8).split("\0", -1);
    for (int i = 0; i + 1 < fields.length; i += 2) {
      exports.put(fields[i], fields[i + 1]);
    }
    return exports;
  }

  /**
   * The files each {@code reports} group would upload: its {@code files} globs under its {@code
   * base-directory} (default: the source directory); a leading {@code **}{@code /} also matches no
   * directory at all.
   */
  private Map<String, List<Path>> reportFiles() throws IOException {
    Map<String, List<Path>> result = new LinkedHashMap<>();
    for (Map.Entry<String, Buildspec.ReportGroup> entry : buildspec.reports().entrySet()) {
      Buildspec.ReportGroup group = entry.getValue();
      Path base =
          group.baseDirectory() == null
              ? sourceDirectory
              : sourceDirectory.resolve(group.baseDirectory());
      List<PathMatcher> matchers = new ArrayList<>();
      for (String pattern : group.files()) {
        matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern));
        if (pattern.startsWith("**/")) {
          matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern.substring(3)));
        }
      }
      List<Path> files = new ArrayList<>();
      if (Files.isDirectory(base)) {
        try (Stream<Path> walk = Files.walk(base)) {
          walk.filter(Files::isRegularFile)
              .filter(file -> matchers.stream().anyMatch(m -> m.matches(base.relativize(file))))
              .sorted()
              .forEach(files::add);
        }
      }
      result.put(entry.getKey(), List.copyOf(files));
    }
    return result;
  }

  public static final class Builder {
    private final Buildspec buildspec;
    private Path sourceDirectory;
    private Path home;
    private String path = System.getenv("PATH");
    private final Map<String, String> codeBuildVariables = new LinkedHashMap<>();
    private final Map<String, String> projectVariables = new LinkedHashMap<>();
    private Duration timeout = Duration.ofMinutes(10);

    private Builder(Buildspec buildspec) {
      this.buildspec = buildspec;
    }

    /** The checked-out source: {@code CODEBUILD_SRC_DIR} and the shell's working directory. */
    public Builder sourceDirectory(Path directory) {
      this.sourceDirectory = directory;
      return this;
    }

    /** {@code HOME} of the build box; a fresh one per build keeps builds apart. */
    public Builder home(Path directory) {
      this.home = directory;
      return this;
    }

    public Builder path(String path) {
      this.path = path;
      return this;
    }

    /** Sets a {@code CODEBUILD_*} variable (source version, repository URL, build id, ...). */
    public Builder codeBuildVariable(String name, String value) {
      if (!name.startsWith("CODEBUILD_")) {
        throw new IllegalArgumentException(name + " is not a CODEBUILD_ variable");
      }
      codeBuildVariables.put(name, value);
      return this;
    }

    /**
     * A secondary source, or a CodePipeline action's secondary input artifact: CodeBuild puts it in
     * a directory of its own and names that directory in {@code CODEBUILD_SRC_DIR_<identifier>}.
     * Identifiers are CodeBuild's: letters, digits and underscores, fewer than 128.
     */
    public Builder secondarySource(String identifier, Path directory) {
      if (!identifier.matches("[A-Za-z0-9_]{1,127}")) {
        throw new IllegalArgumentException(
            "\""
                + identifier
                + "\" is not a CodeBuild source identifier (letters, digits, underscores)");
      }
      codeBuildVariables.put("CODEBUILD_SRC_DIR_" + identifier, directory.toString());
      return this;
    }

    /** An environment variable of the CodeBuild project (overrides env.variables). */
    public Builder projectVariable(String name, String value) {
      projectVariables.put(name, value);
      return this;
    }

    public Builder projectVariables(Map<String, String> variables) {
      projectVariables.putAll(variables);
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public BuildspecRunner build() {
      if (sourceDirectory == null || home == null) {
        throw new IllegalStateException("sourceDirectory and home are required");
      }
      return new BuildspecRunner(this);
    }

    public BuildResult run() {
      return build().run();
    }
  }
}
