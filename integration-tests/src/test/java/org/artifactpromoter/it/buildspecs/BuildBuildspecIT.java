package org.artifactpromoter.it.buildspecs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.artifactpromoter.it.support.WithMoto;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * buildspecs/build.yml run as CodeBuild runs it in the first account: a git checkout of the sample
 * function is built, tested and published with the real CLI to S3 on moto.
 */
class BuildBuildspecIT extends WithMoto {
  private static final Buildspec BUILD =
      Buildspec.load(Repository.buildspecs().resolve("build.yml"));
  private static final String BUCKET = "acme-dev-artifacts";
  private static final String REPOSITORY_URL = "https://git.invalid/acme/sample-function.git";

  private static S3Client s3;

  @TempDir Path work;

  @BeforeAll
  static void s3Client() {
    s3 = MotoS3.client(moto);
  }

  @AfterAll
  static void closeS3Client() {
    if (s3 != null) {
      s3.close();
    }
  }

  @BeforeEach
  void bucket() {
    MotoS3.createVersionedBucket(s3, BUCKET);
  }

  @Test
  void build_publishesThePackageWithItsGitMetadataAndExportsWhereItWent() throws IOException {
    SampleFunction.Checkout checkout = SampleFunction.checkout(work.resolve("src"));
    String buildId = "sample-function-build:" + UUID.randomUUID();

    BuildResult result = build(checkout, buildId, Map.of());

    assertThat(result.succeeded()).as(result.toString()).isTrue();
    String sha256 = DeployBuildspecIT.sha256(checkout.packageFile());
    String releaseKey = "releases/sample-function/" + checkout.revision() + ".zip";
    String dropKey = "drop/sample-function.zip";
    HeadObjectResponse release = s3.headObject(b -> b.bucket(BUCKET).key(releaseKey));
    HeadObjectResponse drop = s3.headObject(b -> b.bucket(BUCKET).key(dropKey));

    assertThat(result.exportedVariables())
        .containsOnly(
            Map.entry("GIT_REVISION", checkout.revision()),
            Map.entry("PACKAGE_SHA256", sha256),
            Map.entry("PACKAGE_BUCKET", BUCKET),
            Map.entry("PACKAGE_KEY", releaseKey),
            Map.entry("PACKAGE_VERSION_ID", release.versionId()),
            Map.entry("DROP_KEY", dropKey),
            Map.entry("DROP_VERSION_ID", drop.versionId()));

    for (HeadObjectResponse object : new HeadObjectResponse[] {release, drop}) {
      assertThat(object.metadata())
          .containsEntry("git-revision", checkout.revision())
          .containsEntry("sha256", sha256)
          .containsEntry("git-branch", "main")
          .containsEntry("git-repository", REPOSITORY_URL)
          .containsEntry("build-id", buildId);
      assertThat(object.metadata().get("codepipeline-artifact-revision-summary"))
          .contains(checkout.revision().substring(0, 7))
          .contains(SampleFunction.COMMIT_SUBJECT);
    }
    byte[] stored = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(releaseKey)).asByteArray();
    assertThat(DeployBuildspecIT.sha256(stored)).isEqualTo(sha256);
    assertThat(tags(releaseKey)).containsEntry("git-revision", checkout.revision());

    // The unit tests ran, and their JUnit XML is where the reports group picks it up.
    assertThat(result.reportFiles().get("unit-tests"))
        .singleElement()
        .satisfies(
            report -> {
              assertThat(report.getFileName().toString())
                  .isEqualTo("TEST-org.artifactpromoter.sample.HandlerTest.xml");
              assertThat(Files.readString(report))
                  .contains("tests=\"2\"")
                  .contains("failures=\"0\"");
            });
    assertThat(checkout.directory().resolve("publish.json")).isRegularFile();
  }

  @Test
  void build_sameCommitBuiltAgainElsewhere_isAlreadyPublishedWithTheSameBytes() throws IOException {
    SampleFunction.Checkout first = SampleFunction.checkout(work.resolve("first"));
    BuildResult one = build(first, "sample-function-build:" + UUID.randomUUID(), Map.of());
    // Same commit, another box: a clone elsewhere.
    Path again = work.resolve("again");
    Processes.check(
        work,
        Map.of("GIT_CONFIG_NOSYSTEM", "1"),
        "git",
        "clone",
        "-q",
        first.directory().toString(),
        again.toString());
    SampleFunction.Checkout second = new SampleFunction.Checkout(again, first.revision());

    // ... configured with the names the function-pipeline module sets on the project.
    Map<String, String> moduleNames = new LinkedHashMap<>();
    moduleNames.put("ARTIFACT_BUCKET", "");
    moduleNames.put("PACKAGE_BUCKET", BUCKET);
    moduleNames.put("PACKAGE_KEY", "drop/sample-function.zip");
    moduleNames.put("FUNCTION_DIR", SampleFunction.DIRECTORY);
    BuildResult two = build(second, "sample-function-build:" + UUID.randomUUID(), moduleNames);

    assertThat(one.succeeded()).as(one.toString()).isTrue();
    assertThat(two.succeeded()).as(two.toString()).isTrue();
    assertThat(two.exportedVariables().get("PACKAGE_SHA256"))
        .isEqualTo(one.exportedVariables().get("PACKAGE_SHA256"));
    // The release is immutable: the second build found it and wrote no new release version.
    assertThat(two.exportedVariables().get("PACKAGE_VERSION_ID"))
        .isEqualTo(one.exportedVariables().get("PACKAGE_VERSION_ID"));
    assertThat(Files.readString(again.resolve("publish.json"))).contains("ALREADY_PUBLISHED");
  }

  @Test
  void build_withoutFunctionName_failsInInstallBeforeMavenRuns() throws IOException {
    SampleFunction.Checkout checkout = SampleFunction.checkout(work.resolve("src"));
    Map<String, String> misconfigured = new LinkedHashMap<>();
    misconfigured.put("FUNCTION_NAME", "");

    BuildResult result = build(checkout, "sample-function-build:1", misconfigured);

    assertThat(result.succeeded()).isFalse();
    assertThat(result.phase("install")).isEqualTo("FAILED");
    assertThat(result.phase("build")).isNull();
    assertThat(result.log()).contains("FUNCTION_NAME");
    assertThat(checkout.functionDirectory().resolve("target")).doesNotExist();
    assertThat(s3.listObjectVersions(b -> b.bucket(BUCKET)).versions()).isEmpty();
  }

  private BuildResult build(
      SampleFunction.Checkout checkout, String buildId, Map<String, String> overrides)
      throws IOException {
    Map<String, String> variables = new LinkedHashMap<>(moto.clientEnvironment());
    variables.put("FUNCTION_NAME", SampleFunction.NAME);
    variables.put("ARTIFACT_BUCKET", BUCKET);
    variables.put("FUNCTION_DIR", SampleFunction.DIRECTORY);
    variables.put(
        "ARTIFACT_PROMOTER",
        PromoterCli.launcher(Files.createDirectories(work.resolve("cli"))).toString());
    variables.put("MAVEN_CLI_OPTS", SampleFunction.mavenCliOptions());
    variables.putAll(overrides);
    return BuildspecRunner.builder(BUILD)
        .sourceDirectory(checkout.directory())
        .home(Files.createDirectories(work.resolve("home-" + UUID.randomUUID())))
        .codeBuildVariable("CODEBUILD_BUILD_ID", buildId)
        .codeBuildVariable("CODEBUILD_RESOLVED_SOURCE_VERSION", checkout.revision())
        .codeBuildVariable(
            "CODEBUILD_SOURCE_VERSION", "refs/heads/main^{" + checkout.revision() + "}")
        .codeBuildVariable("CODEBUILD_SOURCE_REPO_URL", REPOSITORY_URL)
        .codeBuildVariable("CODEBUILD_WEBHOOK_HEAD_REF", "refs/heads/main")
        .projectVariables(variables)
        .run();
  }

  private static Map<String, String> tags(String key) {
    return s3.getObjectTagging(b -> b.bucket(BUCKET).key(key)).tagSet().stream()
        .collect(Collectors.toMap(t -> t.key(), t -> t.value()));
  }
}
