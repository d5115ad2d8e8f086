package org.artifactpromoter.it.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.artifactpromoter.artifact.BuildInfo;
import org.artifactpromoter.it.support.CliProcess;
import org.artifactpromoter.it.support.LocalAccounts;
import org.artifactpromoter.it.support.WithLocalAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The launcher's start-up archive (bin/artifact-promoter), driven as a user runs it: a process per
 * command against the local accounts, the jar copied into a directory of the test's own so that
 * each test starts without an archive.
 */
class StartupArchiveIT extends WithLocalAccounts {
  private static final Path LAUNCHER =
      Path.of(
          System.getProperty("repo.root", ".."), "functions/promoter-cli/bin/artifact-promoter");

  /** Temurin 25 where the build machines have it: the AOT cache path of the launcher. */
  private static final Path JAVA_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

  /** The JVM the launcher runs (JAVA_HOME) and the suffix of its archives. */
  private Path javaHome = Path.of(System.getProperty("java.home"));

  private String archiveSuffix = Runtime.version().feature() >= 25 ? ".aot" : ".jsa";

  private Path install;
  private Path jar;
  private Path cache;
  private Map<String, String> env;

  record Run(int exitCode, String stdout, String stderr) {}

  @BeforeEach
  void installCopy() throws Exception {
    // Traversable by another user: the read-only test runs the launcher as `nobody` under root.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    install = Files.createDirectories(dir.resolve("install"));
    jar = install.resolve("artifact-promoter.jar");
    Files.copy(CliProcess.jar(), jar, StandardCopyOption.COPY_ATTRIBUTES);
    Files.copy(LAUNCHER, install.resolve("artifact-promoter"), StandardCopyOption.COPY_ATTRIBUTES);
    cache = Files.createDirectories(dir.resolve("cache"));
    env = new HashMap<>(moto.clientEnvironment());
    env.put("PROMOTION_CONFIG", accounts.configJson(null));
    env.put("ARTIFACT_PROMOTER_JAR", jar.toString());
    env.put("JAVA_HOME", javaHome.toString());
    env.put("XDG_CACHE_HOME", cache.toString());
    env.put("HOME", dir.toString());
    env.put("PATH", System.getenv("PATH"));
  }

  private String publish(String function) throws IOException {
    Path pkg = LocalAccounts.packageFile(dir, function + ".zip", 4_000, function.hashCode());
    String revision = LocalAccounts.revision(function.hashCode());
    accounts.publish(function, "dev", pkg, new BuildInfo(revision, "main", null, "m", null));
    return revision;
  }

  private Run launcher(Map<String, String> environment, List<String> prefix, String... args)
      throws Exception {
    List<String> command = new ArrayList<>(prefix);
    command.add(install.resolve("artifact-promoter").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().clear();
    builder.environment().putAll(environment);
    Path out = Files.createTempFile("launcher-out", ".txt");
    Path err = Files.createTempFile("launcher-err", ".txt");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(process.waitFor(300, TimeUnit.SECONDS)).as("launcher finished").isTrue();
    Run run =
        new Run(
            process.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    Files.delete(out);
    Files.delete(err);
    return run;
  }

  private Run launcher(String... args) throws Exception {
    return launcher(env, List.of(), args);
  }

  private Run promote(String function) throws Exception {
    return launcher("promote", "--function", function, "--from", "dev", "--to", "stage", "--json");
  }

  private List<Path> archives(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .filter(f -> f.getFileName().toString().startsWith("artifact-promoter-"))
          .filter(f -> f.getFileName().toString().endsWith(archiveSuffix))
          .sorted()
          .toList();
    }
  }

  /** Every file of the launcher in a directory: archives, side files, temporary files, stamps. */
  private static List<String> leftovers(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.contains(".tmp") || n.endsWith(".proof"))
          .toList();
    }
  }

  /** The JVM itself maps the archive: with -Xshare:on (or AOTMode=on) a bad one is fatal. */
  private void assertJvmAccepts(Path archive) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(javaHome.resolve("bin/java").toString());
    command.addAll(
        List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k", "-XX:-UsePerfData"));
    if (archiveSuffix.equals(".aot")) {
      command.addAll(List.of("-XX:AOTCache=" + archive, "-XX:AOTMode=on"));
    } else {
      command.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:on"));
    }
    command.addAll(List.of("-jar", jar.toString(), "--version"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
  }

  @Test
  void helpFailedRunAndOtherCommandFirst_recordNothing_thenTheFirstPromotionRecordsTheArchive()
      throws Exception {
    helpFailedRunAndOtherCommandFirstRecordNothing();
  }

  @Test
  void java25AotCache_helpFailedRunAndOtherCommandFirst_recordNothing() throws Exception {
    assumeTrue(Files.isExecutable(JAVA_25.resolve("bin/java")), JAVA_25 + " is not installed");
    javaHome = JAVA_25;
    archiveSuffix = ".aot";
    env.put("JAVA_HOME", javaHome.toString());
    helpFailedRunAndOtherCommandFirstRecordNothing();
  }

  private void helpFailedRunAndOtherCommandFirstRecordNothing() throws Exception {
    publish("orders-api");
    publish("billing-api");
    publish("shipping-api");

    Run help = launcher("promote", "--help");
    assertThat(help.exitCode()).as(help.stderr()).isZero();
    assertThat(archives(install)).as("after promote --help").isEmpty();

    Run failed = promote("never-published");
    assertThat(failed.exitCode()).as(failed.stderr()).isEqualTo(3);
    assertThat(archives(install)).as("after a failed promotion").isEmpty();

    Run dryRun =
        launcher(
            "promote", "--function", "orders-api", "--from", "dev", "--to", "stage", "--dry-run");
    assertThat(dryRun.exitCode()).as(dryRun.stderr()).isZero();
    Run status = launcher("status", "--function", "orders-api");
    assertThat(status.exitCode()).as(status.stderr()).isZero();
    assertThat(archives(install)).as("after a dry run and another command").isEmpty();

    // Exit 0 is not enough: an ALREADY_PROMOTED answer writes nothing and loads no copy path.
    Map<String, String> withoutArchive = new HashMap<>(env);
    withoutArchive.put("ARTIFACT_PROMOTER_ARCHIVE", "off");
    Run unrecorded =
        launcher(
            withoutArchive,
            List.of(),
            "promote",
            "--function",
            "orders-api",
            "--from",
            "dev",
            "--to",
            "stage",
            "--json");
    assertThat(unrecorded.stdout()).as(unrecorded.stderr()).contains("\"PROMOTED\"");
    Run again = promote("orders-api");
    assertThat(again.exitCode()).as(again.stderr()).isZero();
    assertThat(again.stdout()).contains("\"ALREADY_PROMOTED\"");
    assertThat(archives(install)).as("after ALREADY_PROMOTED").isEmpty();

    Run first = promote("billing-api");
    assertThat(first.exitCode()).as(first.stderr()).isZero();
    assertThat(first.stdout()).contains("\"PROMOTED\"");
    List<Path> recorded = archives(install);
    assertThat(recorded).hasSize(1);
    Path archive = recorded.get(0);
    assertThat(Path.of(archive + ".id")).isRegularFile();
    assertThat(leftovers(install)).isEmpty();
    Object identity = Files.readAttributes(archive, "unix:ino");

    Run second = promote("shipping-api");
    assertThat(second.exitCode()).as(second.stderr()).isZero();
    assertThat(second.stderr()).doesNotContain("ignoring start-up archive");
    assertThat(archives(install)).containsExactly(archive);
    assertThat(Files.readAttributes(archive, "unix:ino"))
        .as("used, not rewritten")
        .isEqualTo(identity);
    assertJvmAccepts(archive);
  }

  @Test
  void warmUp_recordsTheArchiveWithoutAwsOrCredentials() throws Exception {
    // Nothing but a path: an unreachable endpoint and no credentials or region at all.
    Map<String, String> bare = new HashMap<>();
    bare.put("PATH", System.getenv("PATH"));
    bare.put("HOME", dir.toString());
    bare.put("ARTIFACT_PROMOTER_JAR", jar.toString());
    bare.put("JAVA_HOME", javaHome.toString());
    bare.put("AWS_ENDPOINT_URL", "http://127.0.0.1:1");
    bare.put("AWS_PROFILE", "no-such-profile");
    Run warmUp = launcher(bare, List.of(), "warm-up");
    assertThat(warmUp.exitCode()).as(warmUp.stderr()).isZero();
    assertThat(warmUp.stderr()).contains("warm-up: rehearsed a promotion");
    List<Path> recorded = archives(install);
    assertThat(recorded).hasSize(1);
    assertJvmAccepts(recorded.get(0));

    publish("orders-api");
    Run promotion = promote("orders-api");
    assertThat(promotion.exitCode()).as(promotion.stderr()).isZero();
    assertThat(archives(install))
        .as("the warm-up's archive is the promotion's")
        .isEqualTo(recorded);
  }

  @Test
  void corruptedArchive_isIgnoredAndRecordedAgainByTheNextPromotion() throws Exception {
    assertThat(launcher("warm-up").exitCode()).isZero();
    Path archive = archives(install).get(0);
    try (var channel =
        java.nio.channels.FileChannel.open(archive, java.nio.file.StandardOpenOption.WRITE)) {
      channel.write(
          java.nio.ByteBuffer.wrap("not an archive".getBytes(StandardCharsets.UTF_8)), 64);
    }
    publish("orders-api");

    Run promotion = promote("orders-api");

    assertThat(promotion.exitCode()).as(promotion.stderr()).isZero();
    assertThat(promotion.stdout()).contains("\"PROMOTED\"");
    assertThat(promotion.stderr()).contains("ignoring start-up archive " + archive);
    assertThat(archives(install)).containsExactly(archive);
    assertJvmAccepts(archive);
    assertThat(launcher("--version").stderr()).doesNotContain("ignoring");
  }

  @Test
  void foreignArchive_underTheRightName_isIgnoredAndRecordedAgain() throws Exception {
    assertThat(launcher("warm-up").exitCode()).isZero();
    Path ours = archives(install).get(0);
    String ourKey = key(Path.of(ours + ".id"));
    // Another JVM-option set records another archive (another key): move it, with its side file,
    // over ours, as a copy from another machine or another build would arrive.
    Map<String, String> otherOptions = new HashMap<>(env);
    otherOptions.put("ARTIFACT_PROMOTER_JAVA_OPTS", "-XX:+UseSerialGC -XX:-UsePerfData");
    assertThat(launcher(otherOptions, List.of(), "warm-up").exitCode()).isZero();
    Path foreign =
        archives(install).stream().filter(a -> !a.equals(ours)).findFirst().orElseThrow();
    Files.move(foreign, ours, StandardCopyOption.REPLACE_EXISTING);
    Files.move(
        Path.of(foreign + ".id"), Path.of(ours + ".id"), StandardCopyOption.REPLACE_EXISTING);
    publish("orders-api");

    Run promotion = promote("orders-api");

    assertThat(promotion.exitCode()).as(promotion.stderr()).isZero();
    assertThat(promotion.stderr()).contains("ignoring start-up archive " + ours);
    assertThat(archives(install)).containsExactly(ours);
    assertThat(key(Path.of(ours + ".id"))).as("recorded again under our key").isEqualTo(ourKey);
    assertJvmAccepts(ours);
  }

  private static String key(Path sideFile) throws IOException {
    return Files.readString(sideFile).split(" ")[0];
  }

  @Test
  void readOnlyJarDirectory_recordsInThePerUserCache() throws Exception {
    publish("orders-api");
    publish("billing-api");
    List<String> asOtherUser = List.of();
    if ("root".equals(System.getProperty("user.name"))) {
      // Root may write anywhere: run as nobody, for whom a root-owned 755 directory is read-only.
      asOtherUser = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
      Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
    }
    Files.setPosixFilePermissions(install, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      Run first =
          launcher(
              env,
              asOtherUser,
              "promote",
              "--function",
              "orders-api",
              "--from",
              "dev",
              "--to",
              "stage",
              "--json");
      assertThat(first.exitCode()).as(first.stderr()).isZero();
      assertThat(archives(install)).as("nothing next to the read-only jar").isEmpty();
      Path userStore = cache.resolve("artifact-promoter");
      List<Path> recorded = archives(userStore);
      assertThat(recorded).hasSize(1);

      Run second =
          launcher(
              env,
              asOtherUser,
              "promote",
              "--function",
              "billing-api",
              "--from",
              "dev",
              "--to",
              "stage",
              "--json");
      assertThat(second.exitCode()).as(second.stderr()).isZero();
      assertThat(second.stderr()).doesNotContain("ignoring");
      assertThat(archives(userStore)).isEqualTo(recorded);
      assertJvmAccepts(recorded.get(0));
    } finally {
      Files.setPosixFilePermissions(install, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void twoFirstPromotionsAtOnce_leaveOneWholeArchive() throws Exception {
    publish("orders-api");
    publish("billing-api");

    CompletableFuture<Run> one =
        CompletableFuture.supplyAsync(() -> unchecked(() -> promote("orders-api")));
    CompletableFuture<Run> two =
        CompletableFuture.supplyAsync(() -> unchecked(() -> promote("billing-api")));

    assertThat(one.get().exitCode()).as(one.get().stderr()).isZero();
    assertThat(two.get().exitCode()).as(two.get().stderr()).isZero();
    List<Path> recorded = archives(install);
    assertThat(recorded).hasSize(1);
    assertThat(leftovers(install)).isEmpty();
    Run next = launcher("--version");
    assertThat(next.stderr())
        .as("the side file matches the archive in place")
        .doesNotContain("ignoring");
    assertJvmAccepts(recorded.get(0));
  }

  private interface Step<T> {
    T run() throws Exception;
  }

  private static <T> T unchecked(Step<T> step) {
    try {
      return step.run();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
