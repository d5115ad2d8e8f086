package org.artifactpromoter.it.buildspecs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The parts of a CodeBuild buildspec (version 0.2) that decide what runs: the shell, {@code
 * env.variables}, {@code env.exported-variables}, the four phases with their {@code commands},
 * {@code finally} and {@code on-failure}, and the {@code reports} groups. A buildspec that uses a
 * feature this harness does not reproduce (parameter store, secrets manager, a shell other than
 * bash, batch builds) is refused rather than half-run.
 */
public record Buildspec(
    String shell,
    Map<String, String> variables,
    List<String> exportedVariables,
    Map<String, Phase> phases,
    Map<String, ReportGroup> reports) {

  /** The phases CodeBuild runs, in its order. */
  public static final List<String> PHASE_ORDER =
      List.of("install", "pre_build", "build", "post_build");

  private static final Set<String> SUPPORTED_ENV_KEYS =
      Set.of("shell", "variables", "exported-variables");
  private static final Set<String> SUPPORTED_PHASE_KEYS =
      Set.of("commands", "finally", "on-failure", "runtime-versions", "run-as");

  /** What happens when a phase fails. */
  public enum OnFailure {
    /** No {@code on-failure}: CodeBuild's phase transitions decide. */
    DEFAULT,
    ABORT,
    CONTINUE
  }

  public record Phase(List<String> commands, List<String> finallyCommands, OnFailure onFailure) {}

  public record ReportGroup(List<String> files, String baseDirectory, String fileFormat) {}

  public static Buildspec load(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Buildspec parse(String yaml) {
    Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    Map<String, Object> root = map(document, "buildspec");
    if (!"0.2".equals(String.valueOf(root.get("version")))) {
      throw new IllegalArgumentException(
          "only buildspec version 0.2 is supported, got " + root.get("version"));
    }
    Map<String, Object> env = map(root.getOrDefault("env", Map.of()), "env");
    for (String key : env.keySet()) {
      if (!SUPPORTED_ENV_KEYS.contains(key)) {
        throw new IllegalArgumentException("env." + key + " is not reproduced by this harness");
      }
    }
    String shell = String.valueOf(env.getOrDefault("shell", "bash"));
    if (!shell.equals("bash")) {
      throw new IllegalArgumentException("only env.shell: bash is reproduced, got " + shell);
    }
    Map<String, String> variables = new LinkedHashMap<>();
    map(env.getOrDefault("variables", Map.of()), "env.variables")
        .forEach((name, value) -> variables.put(name, scalar(value)));
    List<String> exported = strings(env.getOrDefault("exported-variables", List.of()), "exported");

    Map<String, Object> rawPhases = map(root.getOrDefault("phases", Map.of()), "phases");
    Map<String, Phase> phases = new LinkedHashMap<>();
    for (String name : rawPhases.keySet()) {
      if (!PHASE_ORDER.contains(name)) {
        throw new IllegalArgumentException("unknown phase " + name);
      }
    }
    for (String name : PHASE_ORDER) {
      if (rawPhases.containsKey(name)) {
        phases.put(name, phase(name, map(rawPhases.get(name), "phases." + name)));
      }
    }

    Map<String, ReportGroup> reports = new LinkedHashMap<>();
    map(root.getOrDefault("reports", Map.of()), "reports")
        .forEach(
            (name, group) -> {
              Map<String, Object> g = map(group, "reports." + name);
              reports.put(
                  name,
                  new ReportGroup(
                      strings(g.get("files"), "reports." + name + ".files"),
                      g.get("base-directory") == null ? null : scalar(g.get("base-directory")),
                      g.get("file-format") == null ? "JUNITXML" : scalar(g.get("file-format"))));
            });
    return new Buildspec(shell, variables, exported, phases, reports);
  }

  private static Phase phase(String name, Map<String, Object> raw) {
    for (String key : raw.keySet()) {
      if (!SUPPORTED_PHASE_KEYS.contains(key)) {
        throw new IllegalArgumentException("phases." + name + "." + key + " is not reproduced");
      }
    }
    Object onFailure = raw.get("on-failure");
    return new Phase(
        strings(raw.getOrDefault("commands", List.of()), name + ".commands"),
        strings(raw.getOrDefault("finally", List.of()), name + ".finally"),
        onFailure == null ? OnFailure.DEFAULT : OnFailure.valueOf(scalar(onFailure)));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value, String what) {
    if (!(value instanceof Map)) {
      throw new IllegalArgumentException(what + " must be a mapping");
    }
    return (Map<String, Object>) value;
  }

  private static List<String> strings(Object value, String what) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list)) {
      throw new IllegalArgumentException(what + " must be a list");
    }
    List<String> result = new ArrayList<>();
    for (Object item : list) {
      result.add(scalar(item));
    }
    return List.copyOf(result);
  }

  /** YAML turns {@code yes}, {@code 1} or {@code 0.2} into other types; CodeBuild sees text. */
  private static String scalar(Object value) {
    if (value instanceof Map || value instanceof List) {
      throw new IllegalArgumentException("expected a scalar, got " + value);
    }
    return String.valueOf(value);
  }
}
