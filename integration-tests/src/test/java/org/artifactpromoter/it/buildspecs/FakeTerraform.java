package org.artifactpromoter.it.buildspecs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * An executable named {@code terraform} that records every call (arguments, environment, the
 * working directory it would run in, which is {@code -chdir} when given, and that directory's
 * {@code git rev-parse HEAD}) and does nothing else; {@code version -json} answers with the version
 * it was given. Its record directory exists only once it has been called, so "terraform never ran"
 * is "{@link #wasCalled()} is false".
 */
public final class FakeTerraform {
  private final Path bin;
  private final Path records;

  private FakeTerraform(Path bin, Path records) {
    this.bin = bin;
    this.records = records;
  }

  /** Writes {@code <directory>/bin/terraform}; put {@link #binDirectory()} first on PATH. */
  public static FakeTerraform create(Path directory, String version) {
    try {
      Path bin = Files.createDirectories(directory.resolve("bin"));
      Path records = directory.resolve("calls");
      Files.writeString(bin.resolve("terraform"), script(records, version));
      Files.setPosixFilePermissions(
          bin.resolve("terraform"), PosixFilePermissions.fromString("rwxr-xr-x"));
      return new FakeTerraform(bin, records);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The same recorder as a release zip would carry it, for the download path of the install. */
  static String script(Path records, String version) {
    return """
        #!/usr/bin/env bash
        # Test double: records the call, changes nothing.
        set -eu
        records=%s
        mkdir -p "$records"
        n=$(find "$records" -name '*.args' | wc -l)
        call="$records/$(printf '%%03d' "$n")"
        dir="$PWD"
        for arg in "$@"; do
          case "$arg" in -chdir=*) dir="${arg#-chdir=}" ;; esac
        done
        (cd "$dir" 2>/dev/null && pwd -P || printf '%%s\\n' "$dir") >"$call.dir"
        git -C "$dir" rev-parse HEAD >"$call.head" 2>/dev/null || : >"$call.head"
        env -0 >"$call.env"
        printf '%%s\\0' "$@" >"$call.args"
        for arg in "$@"; do
          if [[ "$arg" == version ]]; then
            printf '{"terraform_version":"%%s","platform":"linux_amd64"}\\n' %s
          fi
        done
        """
        .formatted(BuildspecRunner.quote(records.toString()), BuildspecRunner.quote(version));
  }

  public Path binDirectory() {
    return bin;
  }

  public boolean wasCalled() {
    return Files.exists(records);
  }

  /** Every call in order. */
  public List<Call> calls() {
    if (!wasCalled()) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(records)) {
      List<Path> argsFiles = files.filter(f -> f.toString().endsWith(".args")).sorted().toList();
      List<Call> calls = new ArrayList<>();
      for (Path args : argsFiles) {
        String base = args.toString().substring(0, args.toString().length() - ".args".length());
        calls.add(
            new Call(
                split(Files.readString(args, StandardCharsets.UTF_8)),
                environment(Path.of(base + ".env")),
                Path.of(Files.readString(Path.of(base + ".dir"), StandardCharsets.UTF_8).strip()),
                Files.readString(Path.of(base + ".head"), StandardCharsets.UTF_8).strip()));
      }
      return calls;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The one call whose subcommand (first argument after the global options) is given. */
  public Call call(String subcommand) {
    List<Call> matching = calls().stream().filter(c -> subcommand.equals(c.subcommand())).toList();
    if (matching.size() != 1) {
      throw new AssertionError(
          "expected one terraform "
              + subcommand
              + " call, got "
              + matching.size()
              + ": "
              + calls());
    }
    return matching.get(0);
  }

  private static List<String> split(String nulSeparated) {
    List<String> parts = new ArrayList<>(List.of(nulSeparated.split("\0", -1)));
    parts.remove(parts.size() - 1);
    return List.copyOf(parts);
  }

  private static Map<String, String> environment(Path file) throws IOException {
    Map<String, String> environment = new LinkedHashMap<>();
    for (String entry : split(Files.readString(file, StandardCharsets.UTF_8))) {
      int equals = entry.indexOf('=');
      environment.put(entry.substring(0, equals), entry.substring(equals + 1));
    }
    return environment;
  }

  /**
   * One recorded call: {@code workingDirectory} is where terraform would read its configuration
   * ({@code -chdir}, else the caller's directory; symbolic links resolved), {@code gitHead} that
   * directory's {@code git rev-parse HEAD}, empty when it is in no git work tree.
   */
  public record Call(
      List<String> args, Map<String, String> environment, Path workingDirectory, String gitHead) {
    public String subcommand() {
      return args.stream().filter(a -> !a.startsWith("-")).findFirst().orElse("");
    }

    /** The arguments after the subcommand. */
    public List<String> subcommandArgs() {
      return args.subList(args.indexOf(subcommand()) + 1, args.size());
    }

    @Override
    public String toString() {
      return "terraform " + String.join(" ", args);
    }
  }
}
