package org.artifactpromoter.it.buildspecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.artifactpromoter.it.support.WithMoto;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * buildspecs/deploy.yml run as CodeBuild runs it, against S3 on moto and the real CLI: each
 * account's backend reaches {@code terraform init}, nothing reaches Terraform when the account is
 * misconfigured, the pinned Terraform is verified, and (where a real terraform is on PATH) a real
 * init/plan/apply keeps its state in the account's bucket and tags the function.
 */
class DeployBuildspecIT extends WithMoto {
  private static final Path DEPLOY_YML = Repository.buildspecs().resolve("deploy.yml");
  private static final Buildspec DEPLOY = Buildspec.load(DEPLOY_YML);
  private static final String PINNED_VERSION = DEPLOY.variables().get("TERRAFORM_VERSION");
  private static final String FUNCTION = "sample-function";
  private static final String REVISION = "3f786850e387550fdab836ed7e6dc881de23001b";
  private static final String OLDER_REVISION = "89e6c98d92887913cadf06b2adb97f26cde4849b";

  /** dev: DynamoDB locking and a KMS key for the state. */
  private static final Map<String, String> DEV_BACKEND =
      Map.of(
          "TF_BACKEND_BUCKET", "acme-dev-tfstate",
          "TF_BACKEND_KEY", "functions/sample-function/terraform.tfstate",
          "TF_BACKEND_REGION", "us-east-1",
          "TF_BACKEND_DYNAMODB_TABLE", "acme-dev-tflocks",
          "TF_BACKEND_KMS_KEY_ID", "arn:aws:kms:us-east-1:222222222222:key/0d4c2b43-dev");

  /** stage: S3 lock files, another region, no KMS key. */
  private static final Map<String, String> STAGE_BACKEND =
      Map.of(
          "TF_BACKEND_BUCKET", "acme-stage-tfstate",
          "TF_BACKEND_KEY", "sample-function/stage.tfstate",
          "TF_BACKEND_REGION", "eu-west-1",
          "TF_BACKEND_USE_LOCKFILE", "true");

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

  @Test
  void deploy_initReceivesExactlyTheBackendOfTheAccountItRunsFor() throws IOException {
    // dev, the first account: the build's exported variables name the release object.
    MotoS3.createVersionedBucket(s3, "acme-dev-artifacts");
    String devVersion =
        putPackage(
            "acme-dev-artifacts", "releases/" + FUNCTION + "/" + REVISION + ".zip", REVISION);
    Path devSource = functionCheckout("dev");
    FakeTerraform devTerraform = FakeTerraform.create(work.resolve("dev-fake"), PINNED_VERSION);

    BuildResult dev =
        deploy(
            devSource,
            devTerraform,
            variables -> {
              variables.putAll(DEV_BACKEND);
              variables.put("PACKAGE_BUCKET", "acme-dev-artifacts");
              variables.put("PACKAGE_KEY", "releases/" + FUNCTION + "/" + REVISION + ".zip");
              variables.put("PACKAGE_VERSION_ID", devVersion);
            },
            REVISION);

    // stage: the S3 source is the drop key; CodeBuild resolves it to one object version. An
    // older promotion is still there and a newer one too: only the resolved version counts.
    MotoS3.createVersionedBucket(s3, "acme-stage-artifacts");
    String dropKey = "drop/" + FUNCTION + ".zip";
    String stageVersion = putPackage("acme-stage-artifacts", dropKey, OLDER_REVISION);
    putPackage("acme-stage-artifacts", dropKey, REVISION);
    Path stageSource = Files.createDirectories(work.resolve("stage-src"));
    Path stageTerraform = Files.createDirectories(work.resolve("stage-infra"));
    Repository.copyTree(
        Repository.buildspecs().resolve("sample-function/terraform"), stageTerraform);
    FakeTerraform stageFake = FakeTerraform.create(work.resolve("stage-fake"), PINNED_VERSION);

    BuildResult stage =
        deploy(
            stageSource,
            stageFake,
            variables -> {
              variables.putAll(STAGE_BACKEND);
              variables.put("ARTIFACT_BUCKET", "acme-stage-artifacts");
              variables.put("TF_DIR", stageTerraform.toString());
            },
            stageVersion);

    assertThat(dev.succeeded()).as(dev.toString()).isTrue();
    assertThat(stage.succeeded()).as(stage.toString()).isTrue();

    assertThat(backendConfig(devTerraform.call("init")))
        .containsExactly(
            "bucket=acme-dev-tfstate",
            "key=functions/sample-function/terraform.tfstate",
            "region=us-east-1",
            "encrypt=true",
            "dynamodb_table=acme-dev-tflocks",
            "kms_key_id=arn:aws:kms:us-east-1:222222222222:key/0d4c2b43-dev");
    assertThat(backendConfig(stageFake.call("init")))
        .containsExactly(
            "bucket=acme-stage-tfstate",
            "key=sample-function/stage.tfstate",
            "region=eu-west-1",
            "encrypt=true",
            "use_lockfile=true");
    assertThat(devTerraform.call("init").subcommandArgs()).contains("-input=false", "-reconfigure");
    assertThat(devTerraform.call("init").args()).startsWith("-chdir=./terraform", "init");

    assertThat(devTerraform.call("plan").subcommandArgs())
        .contains(
            "package_bucket=acme-dev-artifacts",
            "package_key=releases/" + FUNCTION + "/" + REVISION + ".zip",
            "package_version_id=" + devVersion,
            "git_revision=" + REVISION);
    assertThat(stageFake.call("plan").subcommandArgs())
        .contains(
            "package_bucket=acme-stage-artifacts",
            "package_key=" + dropKey,
            "package_version_id=" + stageVersion,
            "git_revision=" + OLDER_REVISION);
    // What is applied is the plan that was made.
    String planFile = optionValue(stageFake.call("plan").subcommandArgs(), "-out=");
    assertThat(stageFake.call("apply").subcommandArgs()).contains(planFile).doesNotContain("-var");

    assertThat(dev.exportedVariables())
        .containsEntry("GIT_REVISION", REVISION)
        .containsEntry("PACKAGE_VERSION_ID", devVersion);
    assertThat(stage.exportedVariables())
        .containsEntry("GIT_REVISION", OLDER_REVISION)
        .containsEntry("PACKAGE_VERSION_ID", stageVersion);
  }

  static Stream<Arguments> misconfigurations() {
    return Stream.of(
        Arguments.of(
            "TF_BACKEND_BUCKET",
            (Consumer<Map<String, String>>) v -> v.remove("TF_BACKEND_BUCKET")),
        Arguments.of(
            "TF_BACKEND_KEY", (Consumer<Map<String, String>>) v -> v.put("TF_BACKEND_KEY", "")),
        Arguments.of(
            "TF_BACKEND_REGION",
            (Consumer<Map<String, String>>) v -> v.remove("TF_BACKEND_REGION")),
        Arguments.of(
            "TF_BACKEND_DYNAMODB_TABLE or TF_BACKEND_USE_LOCKFILE=true",
            (Consumer<Map<String, String>>) v -> v.remove("TF_BACKEND_DYNAMODB_TABLE")),
        Arguments.of(
            "TF_BACKEND_DYNAMODB_TABLE or TF_BACKEND_USE_LOCKFILE=true",
            (Consumer<Map<String, String>>)
                v -> {
                  v.put("TF_BACKEND_DYNAMODB_TABLE", "");
                  v.put("TF_BACKEND_USE_LOCKFILE", "false");
                }),
        Arguments.of(
            "TF_BACKEND_USE_LOCKFILE",
            (Consumer<Map<String, String>>)
                v -> {
                  v.remove("TF_BACKEND_DYNAMODB_TABLE");
                  v.put("TF_BACKEND_USE_LOCKFILE", "yes");
                }),
        Arguments.of(
            "PACKAGE_VERSION_ID (or CODEBUILD_RESOLVED_SOURCE_VERSION of an S3 source)",
            (Consumer<Map<String, String>>)
                v -> {
                  v.put("PACKAGE_KEY", "drop/" + FUNCTION + ".zip");
                  v.put("PACKAGE_VERSION_ID", "");
                }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("misconfigurations")
  void deploy_whenARequiredVariableIsMissingOrEmpty_stopsBeforeTerraformRunsAndNamesIt(
      String named, Consumer<Map<String, String>> misconfigure) throws IOException {
    Path source = functionCheckout("dev");
    FakeTerraform terraform = FakeTerraform.create(work.resolve("fake"), PINNED_VERSION);

    BuildResult result =
        deploy(
            source,
            terraform,
            variables -> {
              variables.putAll(DEV_BACKEND);
              variables.put("PACKAGE_BUCKET", "acme-dev-artifacts");
              variables.put("PACKAGE_KEY", "releases/" + FUNCTION + "/" + REVISION + ".zip");
              variables.put("PACKAGE_VERSION_ID", "some-version");
              misconfigure.accept(variables);
            },
            REVISION);

    assertThat(result.succeeded()).isFalse();
    assertThat(result.phase("install")).isEqualTo("FAILED");
    assertThat(result.phase("pre_build")).isNull();
    assertThat(result.log()).contains(named);
    assertThat(terraform.wasCalled()).as("terraform was called: " + terraform.calls()).isFalse();
  }

  @Test
  void deploy_withoutTerraformOnPath_installsThePinnedZipAfterCheckingItsSha256()
      throws IOException {
    Path mirror = work.resolve("mirror");
    FakeTerraform terraform = FakeTerraform.create(work.resolve("zipped"), PINNED_VERSION);
    Path zip = releaseZip(mirror, terraform.binDirectory().resolve("terraform"));
    Path source = functionCheckout("dev");
    MotoS3.createVersionedBucket(s3, "acme-dev-artifacts");
    String key = "releases/" + FUNCTION + "/" + REVISION + ".zip";
    String version = putPackage("acme-dev-artifacts", key, REVISION);

    String zipSha256 = sha256(zip);
    BuildResult result =
        deployWithPath(
            source,
            "/usr/bin:/bin",
            variables -> {
              variables.putAll(STAGE_BACKEND);
              variables.put("PACKAGE_BUCKET", "acme-dev-artifacts");
              variables.put("PACKAGE_KEY", key);
              variables.put("PACKAGE_VERSION_ID", version);
              variables.put("TERRAFORM_DOWNLOAD_BASE_URL", mirror.toUri().toString());
              variables.put(shaVariable(), zipSha256);
            },
            REVISION);

    assertThat(result.succeeded()).as(result.toString()).isTrue();
    assertThat(work.resolve("home/.artifact-promoter/bin/terraform")).isExecutable();
    assertThat(backendConfig(terraform.call("init"))).contains("bucket=acme-stage-tfstate");
  }

  @Test
  void deploy_whenTheDownloadedZipIsNotThePinnedOne_stopsBeforeUnpackingIt() throws IOException {
    Path mirror = work.resolve("mirror");
    FakeTerraform terraform = FakeTerraform.create(work.resolve("zipped"), PINNED_VERSION);
    releaseZip(mirror, terraform.binDirectory().resolve("terraform"));
    Path source = functionCheckout("dev");

    BuildResult result =
        deployWithPath(
            source,
            "/usr/bin:/bin",
            variables -> {
              variables.putAll(STAGE_BACKEND);
              variables.put("PACKAGE_BUCKET", "acme-dev-artifacts");
              variables.put("PACKAGE_KEY", "releases/" + FUNCTION + "/" + REVISION + ".zip");
              variables.put("PACKAGE_VERSION_ID", "some-version");
              variables.put("TERRAFORM_DOWNLOAD_BASE_URL", mirror.toUri().toString());
            },
            REVISION);

    assertThat(result.succeeded()).isFalse();
    assertThat(result.phase("install")).isEqualTo("FAILED");
    assertThat(result.log())
        .contains("SHA-256 mismatch")
        .contains(DEPLOY.variables().get(shaVariable()));
    assertThat(work.resolve("home/.artifact-promoter/bin/terraform")).doesNotExist();
    assertThat(terraform.wasCalled()).isFalse();
  }

  /**
   * The variables the function-pipeline module sets: the first account names the release key
   * without a version (releases are immutable: its one version is deployed), later accounts the
   * drop key and the version the execution carried; SOURCE_REVISION, TARGET_ENV and
   * DEPLOY_FUNCTION_NAME come along.
   */
  @Test
  void deploy_withTheFunctionPipelineModulesVariables_deploysWhatTheExecutionCarried()
      throws IOException {
    MotoS3.createVersionedBucket(s3, "acme-dev-artifacts");
    String releaseKey = "releases/" + FUNCTION + "/" + REVISION + ".zip";
    String releaseVersion = putPackage("acme-dev-artifacts", releaseKey, REVISION);
    FakeTerraform first = FakeTerraform.create(work.resolve("first"), PINNED_VERSION);
    BuildResult dev =
        deploy(
            functionCheckout("dev"),
            first,
            variables -> {
              variables.putAll(DEV_BACKEND);
              variables.put("TF_BACKEND_KMS_KEY_ID", "");
              variables.put("PACKAGE_BUCKET", "acme-dev-artifacts");
              variables.put("PACKAGE_KEY", releaseKey);
              variables.put("PACKAGE_KMS_KEY_ARN", "arn:aws:kms:us-east-1:222222222222:key/dev");
              variables.put("SOURCE_REVISION", REVISION);
              variables.put("TARGET_ENV", "dev");
              variables.put("DEPLOY_FUNCTION_NAME", "sample-function-dev");
            },
            REVISION);

    MotoS3.createVersionedBucket(s3, "acme-stage-artifacts");
    String dropKey = "drop/" + FUNCTION + ".zip";
    String carried = putPackage("acme-stage-artifacts", dropKey, REVISION);
    putPackage("acme-stage-artifacts", dropKey, OLDER_REVISION); // a rollback landed since
    Path stageTerraform = Files.createDirectories(work.resolve("stage-infra"));
    Repository.copyTree(
        Repository.buildspecs().resolve("sample-function/terraform"), stageTerraform);
    Consumer<Map<String, String>> stageAccount =
        variables -> {
          variables.putAll(STAGE_BACKEND);
          variables.put("PACKAGE_BUCKET", "acme-stage-artifacts");
          variables.put("PACKAGE_KEY", dropKey);
          variables.put("PACKAGE_VERSION_ID", carried);
          variables.put("TARGET_ENV", "stage");
          variables.put("DEPLOY_FUNCTION_NAME", "sample-function-stage");
          variables.put("TF_DIR", stageTerraform.toString());
        };
    FakeTerraform later = FakeTerraform.create(work.resolve("later"), PINNED_VERSION);
    BuildResult stage =
        deploy(
            Files.createDirectories(work.resolve("stage-src")),
            later,
            stageAccount.andThen(v -> v.put("SOURCE_REVISION", carried)),
            carried);
    FakeTerraform mismatched = FakeTerraform.create(work.resolve("mismatched"), PINNED_VERSION);
    BuildResult wrongExecution =
        deploy(
            Files.createDirectories(work.resolve("stage-src-2")),
            mismatched,
            stageAccount.andThen(v -> v.put("SOURCE_REVISION", "another-version")),
            "another-version");

    assertThat(dev.succeeded()).as(dev.toString()).isTrue();
    assertThat(backendConfig(first.call("init"))).noneMatch(c -> c.startsWith("kms_key_id"));
    assertThat(first.call("plan").subcommandArgs())
        .contains(
            "package_key=" + releaseKey,
            "package_version_id=" + releaseVersion,
            "git_revision=" + REVISION);
    assertThat(first.call("plan").environment())
        .containsEntry("TF_VAR_environment", "dev")
        .containsEntry("TF_VAR_function_name", "sample-function-dev");

    assertThat(stage.succeeded()).as(stage.toString()).isTrue();
    assertThat(later.call("plan").subcommandArgs())
        .contains(
            "package_key=" + dropKey, "package_version_id=" + carried, "git_revision=" + REVISION);
    assertThat(later.call("apply").environment()).containsEntry("TF_VAR_environment", "stage");

    assertThat(wrongExecution.succeeded()).isFalse();
    assertThat(wrongExecution.phase("pre_build")).isEqualTo("FAILED");
    assertThat(wrongExecution.log()).contains("this execution's source is version another-version");
    assertThat(mismatched.calls()).noneMatch(call -> call.subcommand().equals("init"));
  }

  /**
   * An account after the first, as the function-pipeline module wires it: the primary source is the
   * promoted package (unzipped, no Terraform in it), the secondary source function_source a full
   * clone of the function's branch, whose head is newer than the package and has other Terraform.
   * Terraform runs in that clone checked out at the package's revision.
   */
  @Test
  void deploy_inALaterAccount_runsTerraformInTheFunctionSourceAtThePackagesRevision()
      throws IOException {
    FunctionRepository repository = functionRepository("orders");
    MotoS3.createVersionedBucket(s3, "acme-stage-artifacts");
    String dropKey = "drop/" + FUNCTION + ".zip";
    String carried = putPackage("acme-stage-artifacts", dropKey, repository.packageCommit());
    FakeTerraform terraform = FakeTerraform.create(work.resolve("fake"), PINNED_VERSION);

    BuildResult result =
        deployLaterAccount(
            repository, terraform, carried, v -> v.put("PACKAGE_VERSION_ID", carried));

    assertThat(result.succeeded()).as(result.toString()).isTrue();
    Path terraformDir = repository.checkout().resolve("terraform").toRealPath();
    List<FakeTerraform.Call> deploying =
        terraform.calls().stream().filter(c -> !c.subcommand().equals("version")).toList();
    assertThat(deploying)
        .extracting(FakeTerraform.Call::subcommand)
        .containsExactly("init", "plan", "apply");
    assertThat(deploying)
        .allSatisfy(
            call -> {
              assertThat(call.workingDirectory()).isEqualTo(terraformDir);
              assertThat(call.gitHead()).isEqualTo(repository.packageCommit());
            });
    assertThat(terraform.call("plan").subcommandArgs())
        .contains(
            "package_key=" + dropKey,
            "package_version_id=" + carried,
            "git_revision=" + repository.packageCommit());
    // The package's Terraform, not the branch head's.
    assertThat(terraformDir.resolve("branch-head.tf")).doesNotExist();
    assertThat(terraformDir.resolve("main.tf"))
        .hasSameTextualContentAs(
            Repository.buildspecs().resolve("sample-function/terraform/main.tf"));
    assertThat(result.log())
        .contains("checked out " + repository.packageCommit())
        .contains("branch main at " + repository.branchHead());
    assertThat(result.exportedVariables())
        .containsEntry("GIT_REVISION", repository.packageCommit());
  }

  /**
   * The package was built from a commit the clone does not have (another branch): the deploy stops
   * before Terraform runs, naming the package's revision and the clone's, and leaves the clone at
   * its branch head rather than deploying that head's Terraform with this package.
   */
  @Test
  void deploy_whenThePackagesRevisionIsNotInTheFunctionSource_stopsBeforeTerraformNamingBoth()
      throws IOException {
    FunctionRepository repository = functionRepository("orders");
    MotoS3.createVersionedBucket(s3, "acme-stage-artifacts");
    String carried =
        putPackage(
            "acme-stage-artifacts", "drop/" + FUNCTION + ".zip", repository.otherBranchCommit());
    FakeTerraform terraform = FakeTerraform.create(work.resolve("fake"), PINNED_VERSION);

    BuildResult result =
        deployLaterAccount(
            repository, terraform, carried, v -> v.put("PACKAGE_VERSION_ID", carried));

    assertThat(result.succeeded()).isFalse();
    assertThat(result.phase("pre_build")).isEqualTo("FAILED");
    assertThat(result.phase("build")).isNull();
    assertThat(result.log())
        .contains(
            "the package was built from commit "
                + repository.otherBranchCommit()
                + ", which is not in the function's source")
        .contains("branch main at " + repository.branchHead());
    assertThat(terraform.calls())
        .extracting(FakeTerraform.Call::subcommand)
        .containsOnly("version");
    assertThat(git(repository.checkout(), "rev-parse", "HEAD").strip())
        .isEqualTo(repository.branchHead());
  }

  static Stream<Arguments> untidyClones() {
    return Stream.of(
        Arguments.of("a changed tracked file", "terraform/main.tf", " M terraform/main.tf"),
        Arguments.of("an untracked file", "terraform/override.tf", "?? terraform/override.tf"),
        Arguments.of(
            "an ignored file", "terraform/local.auto.tfvars", "!! terraform/local.auto.tfvars"));
  }

  /** A checkout carries local changes along; none may reach Terraform. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("untidyClones")
  void deploy_whenTheFunctionSourceIsNotACleanClone_stopsBeforeTerraformAndNamesTheFile(
      String what, String file, String status) throws IOException {
    FunctionRepository repository = functionRepository("orders");
    Path changed = repository.checkout().resolve(file);
    Files.writeString(
        changed,
        "# not in any commit\n",
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    MotoS3.createVersionedBucket(s3, "acme-stage-artifacts");
    String carried =
        putPackage("acme-stage-artifacts", "drop/" + FUNCTION + ".zip", repository.packageCommit());
    FakeTerraform terraform = FakeTerraform.create(work.resolve("fake"), PINNED_VERSION);

    BuildResult result =
        deployLaterAccount(
            repository, terraform, carried, v -> v.put("PACKAGE_VERSION_ID", carried));

    assertThat(result.succeeded()).isFalse();
    assertThat(result.phase("pre_build")).isEqualTo("FAILED");
    assertThat(result.log()).contains("is not a clean checkout").contains(status);
    assertThat(terraform.calls())
        .extracting(FakeTerraform.Call::subcommand)
        .containsOnly("version");
    assertThat(git(repository.checkout(), "rev-parse", "HEAD").strip())
        .isEqualTo(repository.branchHead());
  }

  /** A stage deploy with the function-pipeline module's variables and the function's clone. */
  private BuildResult deployLaterAccount(
      FunctionRepository repository,
      FakeTerraform terraform,
      String carried,
      Consumer<Map<String, String>> more)
      throws IOException {
    Consumer<Map<String, String>> account =
        variables -> {
          variables.putAll(STAGE_BACKEND);
          variables.put("PACKAGE_BUCKET", "acme-stage-artifacts");
          variables.put("PACKAGE_KEY", "drop/" + FUNCTION + ".zip");
          variables.put("SOURCE_REVISION", carried);
          variables.put("TARGET_ENV", "stage");
          variables.put("DEPLOY_FUNCTION_NAME", "sample-function-stage");
        };
    return deployWithPath(
        unzippedPackage("stage-src"),
        terraform.binDirectory() + ":" + System.getenv("PATH"),
        account.andThen(more),
        carried,
        Map.of("function_source", repository.checkout()));
  }

  /**
   * The function's repository as a later account's deploy gets it: {@code checkout} is a full clone
   * of main, whose first commit ({@code packageCommit}, what the package was built from) has the
   * sample's Terraform and whose head ({@code branchHead}) changes it; {@code otherBranchCommit} is
   * on another branch, which the clone does not have.
   */
  private record FunctionRepository(
      Path checkout, String packageCommit, String branchHead, String otherBranchCommit) {}

  private FunctionRepository functionRepository(String name) throws IOException {
    Path origin = Files.createDirectories(work.resolve(name + "-origin"));
    git(origin, "init", "-q", "-b", "main");
    Repository.copyTree(
        Repository.buildspecs().resolve("sample-function/terraform"), origin.resolve("terraform"));
    Files.writeString(origin.resolve(".gitignore"), ".terraform/\n*.tfvars\n*.tfplan\n");
    String packageCommit = commit(origin, "Sample function and its Terraform");
    git(origin, "checkout", "-q", "-b", "feature");
    Files.writeString(origin.resolve("terraform/feature.tf"), "# a feature branch\n");
    String otherBranchCommit = commit(origin, "Feature work, never on main");
    git(origin, "checkout", "-q", "main");
    Files.writeString(
        origin.resolve("terraform/branch-head.tf"),
        "locals {\n  newer_than_the_package = true\n}\n");
    Files.writeString(
        origin.resolve("terraform/main.tf"),
        "# changed after the package was built\n",
        java.nio.file.StandardOpenOption.APPEND);
    String branchHead = commit(origin, "Terraform of a later commit");
    Path clone = work.resolve(name + "-clone");
    // Through the file:// transport, so only main's objects reach the clone, as in a clone of
    // that one branch.
    git(
        work,
        "clone",
        "-q",
        "--single-branch",
        "--branch",
        "main",
        origin.toUri().toString(),
        clone.toString());
    return new FunctionRepository(clone, packageCommit, branchHead, otherBranchCommit);
  }

  private String commit(Path repository, String message) {
    git(repository, "add", "-A");
    git(
        repository,
        "-c",
        "user.name=Function Author",
        "-c",
        "user.email=author@localhost",
        "commit",
        "-q",
        "-m",
        message);
    return git(repository, "rev-parse", "HEAD").strip();
  }

  private String git(Path directory, String... arguments) {
    String[] command = new String[arguments.length + 1];
    command[0] = "git";
    System.arraycopy(arguments, 0, command, 1, arguments.length);
    return Processes.check(
        directory,
        Map.of("GIT_CONFIG_NOSYSTEM", "1", "HOME", work.toString(), "GIT_TERMINAL_PROMPT", "0"),
        command);
  }

  /** What a later account's primary source holds: the promoted package's files, no Terraform. */
  private Path unzippedPackage(String name) throws IOException {
    Path source = Files.createDirectories(work.resolve(name + "/org/artifactpromoter/sample"));
    Files.write(source.resolve("Handler.class"), new byte[] {(byte) 0xca, (byte) 0xfe});
    return work.resolve(name);
  }

  /**
   * How a function repository's pipeline gets the scripts: a checksummed bundle of buildspecs/ in
   * S3. The source has no buildspecs/ of its own; a bundle with the wrong SHA-256 is not run.
   */
  @Test
  void deploy_fetchesTheScriptBundleFromS3AndRunsItOnlyWhenItsSha256Matches() throws IOException {
    assumeTrue(onPath("aws", System.getenv("PATH")).isPresent(), "no aws CLI on PATH");
    MotoS3.createVersionedBucket(s3, "acme-ops-tools");
    byte[] bundle = scriptBundle();
    s3.putObject(
        b -> b.bucket("acme-ops-tools").key("buildspecs/tools.zip"), RequestBody.fromBytes(bundle));
    MotoS3.createVersionedBucket(s3, "acme-dev-artifacts");
    String key = "releases/" + FUNCTION + "/" + REVISION + ".zip";
    putPackage("acme-dev-artifacts", key, REVISION);
    Consumer<Map<String, String>> account =
        variables -> {
          variables.putAll(DEV_BACKEND);
          variables.remove("BUILDSPEC_TOOLS_DIR");
          variables.put("BUILDSPEC_TOOLS_S3_URI", "s3://acme-ops-tools/buildspecs/tools.zip");
          variables.put("PACKAGE_BUCKET", "acme-dev-artifacts");
          variables.put("PACKAGE_KEY", key);
        };

    FakeTerraform refused = FakeTerraform.create(work.resolve("refused"), PINNED_VERSION);
    BuildResult tampered =
        deploy(
            functionCheckout("tampered"),
            refused,
            account.andThen(v -> v.put("BUILDSPEC_TOOLS_SHA256", "0".repeat(64))),
            REVISION);
    FakeTerraform terraform = FakeTerraform.create(work.resolve("fake"), PINNED_VERSION);
    String bundleSha256 = sha256(bundle);
    BuildResult result =
        deploy(
            functionCheckout("dev"),
            terraform,
            account.andThen(v -> v.put("BUILDSPEC_TOOLS_SHA256", bundleSha256)),
            REVISION);

    assertThat(tampered.succeeded()).isFalse();
    assertThat(tampered.phase("install")).isEqualTo("FAILED");
    assertThat(tampered.log())
        .contains("computed checksum did NOT match")
        .doesNotContain("[check-deploy-env.sh]");
    assertThat(refused.wasCalled()).isFalse();
    assertThat(result.succeeded()).as(result.toString()).isTrue();
    assertThat(result.log()).contains("[check-deploy-env.sh] environment complete");
    assertThat(terraform.call("plan").subcommandArgs()).contains("git_revision=" + REVISION);
  }

  /** buildspecs/ without the sample, zipped as a pipeline module would ship it. */
  private static byte[] scriptBundle() throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    Path root = Repository.buildspecs();
    try (ZipOutputStream zip = new ZipOutputStream(bytes);
        Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        String name = root.relativize(file).toString();
        if (name.startsWith("sample-function/")) {
          continue;
        }
        zip.putNextEntry(new ZipEntry(name));
        zip.write(Files.readAllBytes(file));
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  @Test
  void deploy_fetchesTheCliFromS3AndUsesItOnlyWhenItsSha256Matches() throws IOException {
    assumeTrue(onPath("aws", System.getenv("PATH")).isPresent(), "no aws CLI on PATH");
    Path jar = Path.of(System.getProperty("cli.jar"));
    MotoS3.createVersionedBucket(s3, "acme-ops-tools");
    s3.putObject(
        b -> b.bucket("acme-ops-tools").key("artifact-promoter/artifact-promoter.jar"),
        RequestBody.fromFile(jar));
    MotoS3.createVersionedBucket(s3, "acme-dev-artifacts");
    String key = "releases/" + FUNCTION + "/" + REVISION + ".zip";
    String version = putPackage("acme-dev-artifacts", key, REVISION);
    Consumer<Map<String, String>> account =
        variables -> {
          variables.putAll(DEV_BACKEND);
          variables.remove("ARTIFACT_PROMOTER");
          variables.put(
              "PROMOTER_CLI_S3_URI", "s3://acme-ops-tools/artifact-promoter/artifact-promoter.jar");
          variables.put("PACKAGE_BUCKET", "acme-dev-artifacts");
          variables.put("PACKAGE_KEY", key);
          variables.put("PACKAGE_VERSION_ID", version);
        };

    FakeTerraform refused = FakeTerraform.create(work.resolve("refused"), PINNED_VERSION);
    BuildResult tampered =
        deploy(
            functionCheckout("tampered"),
            refused,
            account.andThen(v -> v.put("PROMOTER_CLI_SHA256", "0".repeat(64))),
            REVISION);
    assertThat(tampered.succeeded()).isFalse();
    assertThat(tampered.phase("install")).isEqualTo("FAILED");
    assertThat(tampered.log()).contains("SHA-256 mismatch");
    assertThat(work.resolve("home/.artifact-promoter/bin/artifact-promoter")).doesNotExist();

    FakeTerraform terraform = FakeTerraform.create(work.resolve("fake"), PINNED_VERSION);
    String jarSha256 = sha256(jar);
    BuildResult result =
        deploy(
            functionCheckout("dev"),
            terraform,
            account.andThen(v -> v.put("PROMOTER_CLI_SHA256", jarSha256)),
            REVISION);
    assertThat(result.succeeded()).as(result.toString()).isTrue();
    assertThat(work.resolve("home/.artifact-promoter/bin/artifact-promoter")).isExecutable();
    assertThat(terraform.call("plan").subcommandArgs()).contains("git_revision=" + REVISION);
  }

  /**
   * The real thing where it can run: terraform from PATH, the AWS provider from the machine's
   * filesystem mirror (/opt/tf-plugins) when there is one, moto's S3 as this account's state bucket
   * and moto's Lambda as the target.
   */
  @Test
  void deploy_withRealTerraform_keepsStateInTheAccountsBucketAndTagsTheFunction() throws Exception {
    Optional<Path> real = onPath("terraform", System.getenv("PATH"));
    assumeTrue(real.isPresent(), "no terraform on PATH: the recorder tests above still ran");
    String realVersion = terraformVersion(real.get());

    MotoS3.createVersionedBucket(s3, "acme-dev-artifacts");
    MotoS3.createVersionedBucket(s3, "acme-dev-tfstate");
    String key = "releases/" + FUNCTION + "/" + REVISION + ".zip";
    String version = putPackage("acme-dev-artifacts", key, REVISION);
    Path source = functionCheckout("dev");
    Optional<Path> providerMirror = providerMirror();
    // What an emulator needs on top of the account's settings; the account's values still win.
    Path backendExtras = work.resolve("moto.s3.tfbackend");
    Files.writeString(
        backendExtras,
        """
        use_path_style              = true
        skip_credentials_validation = true
        skip_requesting_account_id  = true
        skip_metadata_api_check     = true
        endpoints = { s3 = "%s", sts = "%s" }
        """
            .formatted(moto.endpoint(), moto.endpoint()));

    BuildResult result =
        deployWithPath(
            source,
            System.getenv("PATH"),
            variables -> {
              variables.put("TF_BACKEND_BUCKET", "acme-dev-tfstate");
              variables.put("TF_BACKEND_KEY", "functions/sample-function/terraform.tfstate");
              variables.put("TF_BACKEND_REGION", "us-east-1");
              variables.put("TF_BACKEND_USE_LOCKFILE", "true");
              variables.put("TF_BACKEND_CONFIG_FILE", backendExtras.toString());
              variables.put("PACKAGE_BUCKET", "acme-dev-artifacts");
              variables.put("PACKAGE_KEY", key);
              variables.put("PACKAGE_VERSION_ID", version);
              variables.put("TF_VAR_environment", "dev");
              variables.put("VERIFY_DEPLOYED_CODE", "true");
              // This machine's terraform is what there is; the pin is exercised by the tests above.
              variables.put("TERRAFORM_VERSION", realVersion);
              providerMirror.ifPresent(rc -> variables.put("TF_CLI_CONFIG_FILE", rc.toString()));
            },
            REVISION);

    assertThat(result.succeeded()).as(result.toString()).isTrue();
    assertThat(result.log()).contains("terraform " + realVersion + " already at");
    // deploy.yml's last step: the function's CodeSha256 (moto computes it from the zip) is the
    // package's.
    assertThat(result.log()).contains("Lambda function sample-function-dev runs the package");
    List<String> stateKeys =
        s3.listObjectsV2(b -> b.bucket("acme-dev-tfstate")).contents().stream()
            .map(S3Object::key)
            .toList();
    assertThat(stateKeys).containsExactly("functions/sample-function/terraform.tfstate");
    String state =
        s3.getObjectAsBytes(
                b ->
                    b.bucket("acme-dev-tfstate").key("functions/sample-function/terraform.tfstate"))
            .asUtf8String();
    assertThat(state)
        .contains("\"function_name\": \"sample-function-dev\"")
        .contains("\"git-revision\": \"" + REVISION + "\"")
        .contains("\"s3_object_version\": \"" + version + "\"")
        .contains("\"s3_key\": \"" + key + "\"");
  }

  private BuildResult deploy(
      Path source,
      FakeTerraform terraform,
      Consumer<Map<String, String>> account,
      String sourceVersion)
      throws IOException {
    return deployWithPath(
        source, terraform.binDirectory() + ":" + System.getenv("PATH"), account, sourceVersion);
  }

  private BuildResult deployWithPath(
      Path source, String path, Consumer<Map<String, String>> account, String sourceVersion)
      throws IOException {
    return deployWithPath(source, path, account, sourceVersion, Map.of());
  }

  private BuildResult deployWithPath(
      Path source,
      String path,
      Consumer<Map<String, String>> account,
      String sourceVersion,
      Map<String, Path> secondarySources)
      throws IOException {
    Path home = Files.createDirectories(work.resolve("home"));
    Map<String, String> variables = new LinkedHashMap<>(moto.clientEnvironment());
    variables.put("FUNCTION_NAME", FUNCTION);
    // A fake terraform deploys no function to check; CheckDeployedCodeIT covers the check, and
    // the real-Terraform test below turns it back on.
    variables.put("VERIFY_DEPLOYED_CODE", "false");
    variables.put("BUILDSPEC_TOOLS_DIR", Repository.buildspecs().toString());
    variables.put(
        "ARTIFACT_PROMOTER",
        PromoterCli.launcher(Files.createDirectories(work.resolve("cli"))).toString());
    account.accept(variables);
    BuildspecRunner.Builder runner =
        BuildspecRunner.builder(DEPLOY)
            .sourceDirectory(source)
            .home(home)
            .path(path)
            .codeBuildVariable(
                "CODEBUILD_BUILD_ID", FUNCTION + "-deploy:" + java.util.UUID.randomUUID())
            .codeBuildVariable("CODEBUILD_RESOLVED_SOURCE_VERSION", sourceVersion)
            .projectVariables(variables);
    secondarySources.forEach(runner::secondarySource);
    return runner.run();
  }

  /**
   * A function repository's checkout as the first account's deploy sees it: terraform/ at the root.
   */
  private Path functionCheckout(String name) throws IOException {
    Path source = Files.createDirectories(work.resolve(name + "-src"));
    Repository.copyTree(
        Repository.buildspecs().resolve("sample-function/terraform"), source.resolve("terraform"));
    return source;
  }

  /** Puts a package version with the metadata publish writes; returns its version id. */
  private static String putPackage(String bucket, String key, String revision) throws IOException {
    byte[] zip =
        zipWith(
            "org/artifactpromoter/sample/Handler.class", revision.getBytes(StandardCharsets.UTF_8));
    return s3.putObject(
            b ->
                b.bucket(bucket)
                    .key(key)
                    .metadata(
                        Map.of(
                            "git-revision",
                            revision,
                            "git-branch",
                            "main",
                            "sha256",
                            sha256(zip),
                            "build-id",
                            FUNCTION + "-build:1")),
            RequestBody.fromBytes(zip))
        .versionId();
  }

  private static byte[] zipWith(String entry, byte[] content) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry(entry));
      zip.write(content);
      zip.closeEntry();
    }
    return bytes.toByteArray();
  }

  /** A Terraform release zip laid out as the releases site does: base/version/terraform_..zip. */
  private Path releaseZip(Path mirror, Path binary) throws IOException {
    Path zip =
        Files.createDirectories(mirror.resolve(PINNED_VERSION))
            .resolve("terraform_" + PINNED_VERSION + "_linux_" + arch() + ".zip");
    try (OutputStream out = Files.newOutputStream(zip)) {
      out.write(zipWith("terraform", Files.readAllBytes(binary)));
    }
    return zip;
  }

  private static String arch() {
    return System.getProperty("os.arch").contains("aarch64") ? "arm64" : "amd64";
  }

  private static String shaVariable() {
    return "TERRAFORM_SHA256_LINUX_" + arch().toUpperCase(java.util.Locale.ROOT);
  }

  private static List<String> backendConfig(FakeTerraform.Call init) {
    return init.subcommandArgs().stream()
        .filter(a -> a.startsWith("-backend-config="))
        .map(a -> a.substring("-backend-config=".length()))
        .toList();
  }

  private static String optionValue(List<String> args, String prefix) {
    return args.stream()
        .filter(a -> a.startsWith(prefix))
        .map(a -> a.substring(prefix.length()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + prefix + " in " + args));
  }

  private Optional<Path> providerMirror() throws IOException {
    Path plugins = Path.of("/opt/tf-plugins");
    if (!Files.isDirectory(plugins)) {
      return Optional.empty();
    }
    Path rc = work.resolve("terraformrc");
    Files.writeString(
        rc,
        """
        provider_installation {
          filesystem_mirror {
            path    = "%s"
            include = ["registry.terraform.io/hashicorp/*"]
          }
          direct {
            exclude = ["registry.terraform.io/hashicorp/*"]
          }
        }
        """
            .formatted(plugins));
    return Optional.of(rc);
  }

  private static Optional<Path> onPath(String command, String path) {
    for (String directory : path.split(":")) {
      Path candidate = Path.of(directory, command);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static String terraformVersion(Path terraform) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(terraform.toString(), "version", "-json")
            .redirectErrorStream(false)
            .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\"terraform_version\"\\s*:\\s*\"([^\"]+)\"").matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("cannot read the version of " + terraform + ": " + out);
    }
    return m.group(1);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256(Path file) throws IOException {
    return sha256(Files.readAllBytes(file));
  }
}
