package org.artifactpromoter.it.buildspecs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same commit built twice, as two build boxes would build it: different directories, different
 * source file times, different wall clock, time zone, umask and locale. The packages must be byte
 * for byte the same; the control shows the comparison would catch it if not.
 */
class ReproducibleBuildIT {
  private static final Path BUILD_PACKAGE =
      Repository.buildspecs().resolve("scripts/build-package.sh");

  @TempDir Path work;

  @Test
  void buildPackage_sameCommitInTwoPlacesAtTwoTimes_givesTheSameBytes() throws Exception {
    Path first =
        copyOfTheFunction(work.resolve("box-one/src"), Instant.parse("2021-03-04T05:06:07Z"));
    Path second = copyOfTheFunction(work.resolve("box-two/a/much/longer/path/fn"), Instant.now());

    Build one = build(first, "UTC", "022", "C");
    Build two = build(second, "Pacific/Chatham", "077", "C.UTF-8");

    assertThat(two.started()).isAfterOrEqualTo(one.finished());
    assertThat(two.sha256()).isEqualTo(one.sha256());
    // The package is the Lambda layout with normalised entries: one time, fixed modes.
    try (ZipFile zip = new ZipFile(one.packageFile().toFile())) {
      List<String> names = zip.stream().map(ZipEntry::getName).toList();
      assertThat(names)
          .contains(
              "org/artifactpromoter/sample/Handler.class", "lib/aws-lambda-java-core-1.4.0.jar")
          .noneMatch(name -> name.startsWith("META-INF/maven"));
      assertThat(zip.stream().map(ZipEntry::getTimeLocal).distinct()).hasSize(1);
    }
  }

  /**
   * The control: the same two builds with project.build.outputTimestamp taken out of the POM
   * differ, so the test above would fail for a build that is not reproducible.
   */
  @Test
  void buildPackage_withoutOutputTimestamp_givesDifferentBytes_soTheComparisonHasTeeth()
      throws Exception {
    Path first =
        copyOfTheFunction(work.resolve("box-one/src"), Instant.parse("2021-03-04T05:06:07Z"));
    Path second = copyOfTheFunction(work.resolve("box-two/src"), Instant.now());
    for (Path copy : List.of(first, second)) {
      Path pom = copy.resolve("pom.xml");
      String withTimestamp = Files.readString(pom);
      String without =
          withTimestamp.replaceAll(
              "(?s)\\s*<project.build.outputTimestamp>.*?</project.build.outputTimestamp>", "");
      assertThat(without).isNotEqualTo(withTimestamp);
      Files.writeString(pom, without);
    }

    Build one = build(first, "UTC", "022", "C");
    Build two = build(second, "UTC", "022", "C");

    assertThat(two.sha256()).isNotEqualTo(one.sha256());
  }

  private record Build(Path packageFile, String sha256, Instant started, Instant finished) {}

  /** Runs the build script exactly as build.yml does, in a shell with the box's settings. */
  private Build build(Path functionDirectory, String timeZone, String umask, String locale)
      throws IOException {
    Instant started = Instant.now();
    Processes.Result result =
        Processes.run(
            work,
            Map.of(
                "TZ", timeZone,
                "LC_ALL", locale,
                "LANG", locale,
                "MAVEN_CLI_OPTS", SampleFunction.mavenCliOptions()),
            List.of(
                "bash",
                "-c",
                "umask " + umask + " && exec bash \"$0\" \"$1\" 2>build-" + umask + ".log",
                BUILD_PACKAGE.toString(),
                functionDirectory.toString()));
    assertThat(result.exitCode())
        .as(
            "build failed:\n"
                + result.output()
                + Files.readString(work.resolve("build-" + umask + ".log")))
        .isZero();
    String[] lines = result.output().trim().split("\n");
    Path packageFile = Path.of(lines[lines.length - 1]);
    assertThat(packageFile).startsWith(functionDirectory).isRegularFile();
    // Two seconds at least between builds: zip times have a two-second resolution.
    sleepUntil(started.plusSeconds(2));
    return new Build(packageFile, DeployBuildspecIT.sha256(packageFile), started, Instant.now());
  }

  private static Path copyOfTheFunction(Path target, Instant sourceTime) throws IOException {
    Repository.copyTree(Repository.buildspecs().resolve(SampleFunction.NAME), target);
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(target)) {
      walk.forEach(files::add);
    }
    for (Path file : files) {
      Files.setLastModifiedTime(file, FileTime.from(sourceTime));
    }
    return target;
  }

  private static void sleepUntil(Instant moment) {
    long millis = Duration.between(Instant.now(), moment).toMillis();
    if (millis > 0) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
