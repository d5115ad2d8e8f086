package org.artifactpromoter.it.system;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.artifactpromoter.it.buildspecs.BuildResult;
import org.artifactpromoter.it.buildspecs.Buildspec;
import org.artifactpromoter.it.buildspecs.BuildspecRunner;
import org.artifactpromoter.it.buildspecs.SampleFunction;
import org.artifactpromoter.it.support.CliProcess;
import org.artifactpromoter.it.support.LocalFiles;
import org.artifactpromoter.it.support.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The system as a user deploys it (DESIGN guarantee 10): {@code
 * pipeline-terraform/examples/multi-account} and its bootstrap applied on four emulated accounts
 * with nothing changed but the provider endpoints and credentials and the backend's endpoint; then
 * the real flow through what was applied, under moto's IAM enforcement: publish as the dev build
 * role, CodePipeline jobs dev -> stage -> prod handled by the promote function's code as its
 * execution role with the configuration read back from the deployed function, the deploy projects'
 * buildspec in dev and stage as their deploy roles (the sample function applied with its state in
 * each account's state bucket); a second plan that changes nothing; a destroy that leaves nothing.
 *
 * <p>The product is driven through its stable surfaces only: terraform, the buildspec scripts, the
 * CLI jar as a process ({@code publish}, {@code inspect}, {@code invoke --event}, which runs the
 * Lambda handler {@code org.artifactpromoter.lambda.PromoteHandler}). Emulator gaps are worked
 * around in {@code system/moto_terraform_patches.py}, each with the moto behaviour behind it.
 *
 * <p>Runs whenever terraform, the hashicorp/aws provider mirror, the aws CLI and the built jars are
 * there; skipped with the missing piece named otherwise.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiAccountSystemIT {

  private static final Path PROVIDER_MIRROR = Path.of("/opt/tf-plugins");
  private static final Duration TERRAFORM_TIMEOUT = Duration.ofMinutes(6);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String PREFIX = "acme";
  private static final String FUNCTION = "orders-api";
  private static final String VERSION = "0.0.0-system-it";
  private static final Map<String, String> ACCOUNTS =
      Map.of(
          "ops", "111111111111",
          "dev", "222222222222",
          "stage", "333333333333",
          "prod", "444444444444");
  private static final String PROMOTE_FUNCTION = "artifact-promoter-ops";
  private static final String EXECUTION_ROLE =
      "arn:aws:iam::111111111111:role/artifact-promoter-ops-execution";
  private static final String DEV_BUILD_ROLE =
      "arn:aws:iam::222222222222:role/artifact-pipelines/orders-api-dev-build";

  private final Instant started = Instant.now();
  private MotoServer moto;
  private WireMockServer jobApi;
  private Path work;
  private Path example;
  private Path bootstrap;
  private Map<String, String> terraformEnvironment;
  private final Map<String, Map<String, String>> admins = new HashMap<>();
  private String promotionConfig;
  private SampleFunction.Checkout checkout;
  private String stageDropVersion;

  /** Each deploy's working directory and variables, for destroying what it applied. */
  private final Map<String, Deployment> deployments =
      java.util.Collections.synchronizedMap(new LinkedHashMap<>());

  private java.util.concurrent.CompletableFuture<BuildResult> stageDeploy;

  private final java.util.concurrent.atomic.AtomicInteger terraformRuns =
      new java.util.concurrent.atomic.AtomicInteger();
  private java.util.concurrent.CompletableFuture<String> mavenOptions;

  /**
   * For work that overlaps with waiting: not the common pool, which has one thread on two cores.
   */
  private final java.util.concurrent.ExecutorService background =
      java.util.concurrent.Executors.newCachedThreadPool();

  @BeforeAll
  void startEmulatorsAndCopyTheExample() throws IOException {
    Optional<Path> terraform = LocalFiles.onPath("terraform");
    Assumptions.assumeTrue(
        terraform.isPresent(), "terraform is not on PATH: the system test needs Terraform >= 1.10");
    Assumptions.assumeTrue(
        Files.isDirectory(PROVIDER_MIRROR),
        "no hashicorp/aws provider mirror at "
            + PROVIDER_MIRROR
            + ": the system test applies with it");
    Assumptions.assumeTrue(
        LocalFiles.onPath("aws").isPresent(), "the aws CLI is not on PATH (the buildspecs use it)");
    Assumptions.assumeTrue(
        Files.isRegularFile(CliProcess.jar()),
        "the CLI jar is not built: run mvn verify from the root");
    lambdaJar();

    Path root = Path.of(System.getProperty("repo.root")).toAbsolutePath().normalize();
    work = root.resolve("integration-tests/target/system-it");
    deleteRecursively(work);
    Files.createDirectories(work);
    LocalFiles.copyTree(root.resolve("pipeline-terraform"), work.resolve("pipeline-terraform"));
    example = work.resolve("pipeline-terraform/examples/multi-account");
    bootstrap = example.resolve("bootstrap");

    moto = MotoServer.startWithPatches(patches());
    jobApi = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    jobApi.start();

    Path cliConfig = work.resolve("terraform.rc");
    Files.writeString(
        cliConfig,
        "provider_installation {\n  filesystem_mirror {\n    path = \""
            + PROVIDER_MIRROR
            + "\"\n  }\n}\n");
    terraformEnvironment =
        Map.of(
            "TF_CLI_CONFIG_FILE", cliConfig.toString(),
            "TF_IN_AUTOMATION", "1",
            "TF_INPUT", "0",
            "CHECKPOINT_DISABLE", "1");

    // The only change to the example: where the providers send their calls and with which keys.
    // The assume_role blocks stay: each provider acts in its account through terraform-deploy.
    Files.writeString(bootstrap.resolve("override.tf"), providerOverride("ops"));
    Files.writeString(
        example.resolve("override.tf"),
        String.join(
            "\n", Stream.of("ops", "dev", "stage", "prod").map(this::providerOverride).toList()));
  }

  @AfterAll
  void stopEmulators() {
    background.shutdownNow();
    if (jobApi != null) {
      jobApi.stop();
    }
    if (moto != null) {
      moto.close();
    }
    System.out.printf(
        "MultiAccountSystemIT took %d s%n", Duration.between(started, Instant.now()).toSeconds());
  }

  // ------------------------------------------------------------------------------- the steps

  @Test
  @Order(1)
  void bootstrapAndExample_applyOnFourAccounts_withTheToolsReleasePublished() throws Exception {
    // The sample function's Maven settings (an offline build of a throwaway copy) are worked out
    // while the bootstrap applies: its S3 lifecycle configurations keep the provider polling, idle,
    // for most of a minute.
    mavenOptions =
        java.util.concurrent.CompletableFuture.supplyAsync(
            SampleFunction::mavenCliOptions, background);
    terraform(bootstrap, "init", "-no-color").succeeded();
    Command applied =
        terraform(
                bootstrap,
                "apply",
                "-auto-approve",
                "-no-color",
                "-var",
                "name_prefix=" + PREFIX,
                "-var",
                "ops_account_id=" + ACCOUNTS.get("ops"),
                "-var",
                "pipeline_account_ids=[\"222222222222\",\"333333333333\",\"444444444444\"]")
            .succeeded();
    assertThat(applied.stdout()).contains("Apply complete!");
    JsonNode outputs = JSON.readTree(terraform(bootstrap, "output", "-json").succeeded().stdout());
    String packageBucket = outputs.at("/package_bucket_name/value").asText();
    String packageKey = outputs.at("/package_kms_key_arn/value").asText();

    // The release step an operator runs: the promote function's package, then the buildspec tools
    // and the CLI, which print the example's variables.
    aws(
            "ops",
            "s3",
            "cp",
            "--only-show-errors",
            "--sse",
            "aws:kms",
            "--sse-kms-key-id",
            packageKey,
            lambdaJar().toString(),
            "s3://" + packageBucket + "/artifact-promoter/promote-lambda.jar")
        .succeeded();
    Path repo = Path.of(System.getProperty("repo.root"));
    Command published =
        Command.run(
                repo,
                withEndpoint(admin("ops")),
                Duration.ofMinutes(2),
                "bash",
                repo.resolve("buildspecs/publish-tools.sh").toString(),
                VERSION,
                CliProcess.jar().toAbsolutePath().toString(),
                work.resolve("tools").toString(),
                packageBucket,
                packageKey)
            .succeeded();

    Files.writeString(
        example.resolve("terraform.tfvars"),
        String.join(
                "\n",
                "name_prefix = \"" + PREFIX + "\"",
                "ops_account_id = \"111111111111\"",
                "dev_account_id = \"222222222222\"",
                "stage_account_id = \"333333333333\"",
                "prod_account_id = \"444444444444\"",
                "source_connection_arn = \"" + connection("dev") + "\"",
                "stage_source_connection_arn = \"" + connection("stage") + "\"",
                "prod_source_connection_arn = \"" + connection("prod") + "\"",
                "repository = \"acme/orders-api\"",
                "function_dir = \"buildspecs/sample-function\"",
                "promoter_package_bucket = \"" + packageBucket + "\"",
                "promoter_package_kms_key_arn = \"" + packageKey + "\"",
                "external_ids = { dev = \""
                    + externalId("dev")
                    + "\", stage = \""
                    + externalId("stage")
                    + "\", prod = \""
                    + externalId("prod")
                    + "\" }",
                published.stdout())
            + "\n");

    // The backend as the bootstrap's backend_config describes it, pointed at the emulator.
    JsonNode backend = outputs.at("/backend_config/value");
    Files.writeString(
        example.resolve("backend.hcl"),
        String.join(
                "\n",
                "bucket = \"" + backend.get("bucket").asText() + "\"",
                "key = \"artifact-promoter/multi-account.tfstate\"",
                "region = \"" + backend.get("region").asText() + "\"",
                "kms_key_id = \"" + backend.get("kms_key_id").asText() + "\"",
                "encrypt = true",
                "use_lockfile = " + backend.get("use_lockfile").asBoolean(),
                "assume_role = { role_arn = \""
                    + backend.at("/assume_role/role_arn").asText()
                    + "\" }",
                "endpoints = { s3 = \""
                    + moto.endpoint()
                    + "\", sts = \""
                    + moto.endpoint()
                    + "\", iam = \""
                    + moto.endpoint()
                    + "\" }",
                "use_path_style = true",
                "skip_credentials_validation = true",
                "skip_metadata_api_check = true",
                "skip_region_validation = true",
                "access_key = \"testing\"",
                "secret_key = \"testing\"")
            + "\n");

    terraform(example, "init", "-no-color", "-backend-config=backend.hcl").succeeded();
    Command apply =
        terraform(example, "apply", "-auto-approve", "-no-color", "-parallelism=20").succeeded();
    Matcher added =
        Pattern.compile("Apply complete! Resources: (\\d+) added").matcher(apply.stdout());
    assertThat(added.find()).as(apply.toString()).isTrue();
    System.out.printf("MultiAccountSystemIT: the example applied %s resources%n", added.group(1));
    // Its state is where the bootstrap said, in the ops account's state bucket.
    aws(
            "ops",
            "s3api",
            "head-object",
            "--bucket",
            backend.get("bucket").asText(),
            "--key",
            "artifact-promoter/multi-account.tfstate")
        .succeeded();
  }

  /**
   * No drift after apply. No emulator drift is tolerated: the moto behaviours that would show one
   * (CodeBuild's alias/aws/s3 project key, the missing EventBridge flag and Lambda LoggingConfig)
   * are corrected in moto_terraform_patches.py, so any change here is the product's own.
   */
  @Test
  @Order(2)
  void secondPlan_changesNothing() {
    // Both plans only read, each its own state: run side by side (they wait on the emulator more
    // than they compute).
    java.util.concurrent.CompletableFuture<Command> bootstrapPlan =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () ->
                terraform(
                    bootstrap,
                    "plan",
                    "-detailed-exitcode",
                    "-no-color",
                    "-var",
                    "name_prefix=" + PREFIX,
                    "-var",
                    "ops_account_id=" + ACCOUNTS.get("ops"),
                    "-var",
                    "pipeline_account_ids=[\"222222222222\",\"333333333333\",\"444444444444\"]"),
            background);
    Command plan = terraform(example, "plan", "-detailed-exitcode", "-no-color", "-parallelism=20");
    assertThat(plan.exitCode()).as("terraform plan -detailed-exitcode:%n%s", plan).isZero();
    assertThat(bootstrapPlan.join().exitCode())
        .as("bootstrap plan:%n%s", bootstrapPlan.join())
        .isZero();
  }

  /**
   * The CodeBuild projects hold every variable the buildspec scripts read, and nothing test-made.
   */
  @Test
  @Order(3)
  void codeBuildProjects_holdTheToolsCliAndBackendTheBuildspecsNeed() throws Exception {
    Map<String, String> build = projectEnvironment("dev", FUNCTION + "-dev-build");
    assertThat(build)
        .containsEntry(
            "BUILDSPEC_TOOLS_S3_URI",
            "s3://acme-ops-artifacts/releases/artifact-promoter/"
                + VERSION
                + "/buildspec-tools.zip")
        .containsEntry(
            "PROMOTER_CLI_S3_URI",
            "s3://acme-ops-artifacts/releases/artifact-promoter/"
                + VERSION
                + "/artifact-promoter.jar")
        .containsEntry("PACKAGE_BUCKET", "acme-dev-artifacts")
        .containsEntry("FUNCTION_NAME", FUNCTION)
        .containsEntry("FUNCTION_DIR", "buildspecs/sample-function")
        .containsKeys("BUILDSPEC_TOOLS_SHA256", "PROMOTER_CLI_SHA256", "PACKAGE_KMS_KEY_ARN");
    // publish signs with the key the promote function verifies against (one source: the example's
    // signing_key module), not with one the test hands it.
    String signingKey = signingKeyArn();
    assertThat(signingKey).startsWith("arn:aws:kms:us-east-1:111111111111:key/");
    assertThat(build).containsEntry("PROMOTION_SIGNING_KEY_ARN", signingKey);
    for (String env : List.of("dev", "stage", "prod")) {
      Map<String, String> deploy = projectEnvironment(env, FUNCTION + "-" + env + "-deploy");
      assertThat(deploy)
          .as(env)
          .containsEntry("TF_BACKEND_BUCKET", PREFIX + "-" + env + "-tfstate")
          .containsEntry("TF_BACKEND_KEY", FUNCTION + "/terraform.tfstate")
          .containsEntry("TF_BACKEND_USE_LOCKFILE", "true")
          .containsEntry("DEPLOY_FUNCTION_NAME", FUNCTION + "-" + env)
          .containsKeys(
              "TF_BACKEND_REGION",
              "TF_BACKEND_KMS_KEY_ID",
              "TERRAFORM_DOWNLOAD_BASE_URL",
              "BUILDSPEC_TOOLS_S3_URI",
              "BUILDSPEC_TOOLS_SHA256",
              "PROMOTER_CLI_S3_URI",
              "PROMOTER_CLI_SHA256");
      // The pinned digests are those of the objects the release step uploaded.
      Path jar = work.resolve("cli-" + env + ".jar");
      aws(env, "s3", "cp", "--only-show-errors", deploy.get("PROMOTER_CLI_S3_URI"), jar.toString())
          .succeeded();
      assertThat(sha256(jar)).isEqualTo(deploy.get("PROMOTER_CLI_SHA256"));
    }
  }

  /**
   * The dev build project's own buildspec (from BatchGetProjects) in the CodeBuild-like harness,
   * with exactly the project's environment variables plus what CodeBuild sets (source directory,
   * resolved commit, build id, region and the service role's credentials) and the pipeline action's
   * SOURCE_REVISION: it fetches the tools and the CLI from the ops bucket, checks their SHA-256,
   * builds the sample function and publishes it as the build role, under IAM enforcement.
   */
  @Test
  @Order(4)
  void buildProject_runsItsBuildspec_asTheBuildRole_withTheProjectsEnvironmentOnly()
      throws Exception {
    JsonNode project = project("dev", FUNCTION + "-dev-build");
    Buildspec buildspec = Buildspec.parse(project.at("/source/buildspec").asText());
    Map<String, String> variables = projectEnvironment("dev", FUNCTION + "-dev-build");
    checkout = SampleFunction.checkout(work.resolve("source"));
    // The build image's Maven settings (this machine's local repository, offline once filled).
    String mavenOptions = this.mavenOptions.join();
    // The CodeBuild service hands the project's role credentials to the build container; here
    // they are taken before enforcement (moto has no CodeBuild service principal to do it).
    Map<String, String> buildRole = assumeRole("dev", DEV_BUILD_ROLE, "codebuild");

    moto.enforceIam(0);
    BuildResult result;
    try {
      result =
          BuildspecRunner.builder(buildspec)
              .sourceDirectory(checkout.directory())
              .home(Files.createDirectories(work.resolve("build-home")))
              .codeBuildVariable("CODEBUILD_RESOLVED_SOURCE_VERSION", checkout.revision())
              .codeBuildVariable("CODEBUILD_SOURCE_VERSION", checkout.revision())
              .codeBuildVariable(
                  "CODEBUILD_SOURCE_REPO_URL", "https://git.example/acme/orders-api.git")
              .codeBuildVariable("CODEBUILD_BUILD_ID", FUNCTION + "-dev-build:1")
              .projectVariables(variables)
              .projectVariables(withEndpoint(buildRole))
              .projectVariable("SOURCE_REVISION", checkout.revision())
              .projectVariable("MAVEN_CLI_OPTS", mavenOptions)
              .timeout(Duration.ofMinutes(5))
              .run();
    } finally {
      moto.enforceIam(Integer.MAX_VALUE);
    }

    assertThat(result.succeeded()).as(result.toString()).isTrue();
    assertThat(result.log()).contains("SHA-256 verified");
    assertThat(result.exportedVariables())
        .containsEntry("GIT_REVISION", checkout.revision())
        .containsEntry("PACKAGE_BUCKET", "acme-dev-artifacts")
        .containsEntry("PACKAGE_KEY", "releases/" + FUNCTION + "/" + checkout.revision() + ".zip");
    // The build role signed the provenance with the ops key (kms:Sign across accounts).
    JsonNode envelope = envelope("dev", "acme-dev-artifacts", checkout.revision());
    assertThat(envelope.path("payloadType").asText()).isEqualTo("application/vnd.in-toto+json");
    assertThat(envelope.at("/signatures/0/sig").asText()).isNotBlank();
  }

  @Test
  @Order(5)
  void jobsPromoteDevToStageToProd_asTheExecutionRole_withTheDeployedConfiguration()
      throws Exception {
    assertThat(checkout).as("the build step published nothing to promote").isNotNull();
    String revision = checkout.revision();
    promotionConfig =
        aws(
                "ops",
                "lambda",
                "get-function-configuration",
                "--function-name",
                PROMOTE_FUNCTION,
                "--query",
                "Environment.Variables.PROMOTION_CONFIG",
                "--output",
                "text")
            .succeeded()
            .stdout()
            .trim();
    JsonNode deployed = JSON.readTree(promotionConfig);
    assertThat(deployed.at("/environments/stage/bucket").asText())
        .isEqualTo("acme-stage-artifacts");
    // Provenance is required as deployed: each job below verifies the build's envelope against
    // the signing key's public key (kms:GetPublicKey as the execution role) before writing.
    assertThat(deployed.at("/provenance/signingKeyArn").asText()).isEqualTo(signingKeyArn());
    assertThat(deployed.at("/provenance/required").asBoolean()).isTrue();
    // As shipped: the artifact buckets refuse release writes without If-None-Match. moto ignores
    // If-None-Match on CopyObject, which only matters to a second write at a release key; the
    // first promotion of a revision, done here, is the same on moto as on S3.
    for (String env : List.of("dev", "stage", "prod")) {
      assertThat(deployed.at("/environments/" + env + "/conditionalWrites").asBoolean())
          .as(env)
          .isTrue();
    }
    // Taken before enforcement: in AWS the Lambda service assumes the execution role.
    Map<String, String> executionRole = assumeRole("ops", EXECUTION_ROLE, "lambda");

    moto.enforceIam(0);
    try {
      JsonNode devToStage = runJob("dev", "stage", revision, executionRole);
      assertThat(devToStage.path("jobId").asText()).isEqualTo(jobId("dev", "stage"));

      CliProcess.Run inspect =
          CliProcess.run(
              withConfig(withEndpoint(executionRole)),
              work,
              "inspect",
              "--env",
              "stage",
              "--key",
              "drop/" + FUNCTION + ".zip",
              "--json");
      assertThat(inspect.exitCode()).as("inspect:%n%s", inspect.stderr()).isZero();
      stageDropVersion = JSON.readTree(inspect.stdout()).path("versionId").asText();
      assertThat(stageDropVersion).isNotBlank();

      JsonNode stageToProd = runJob("stage", "prod", stageDropVersion, executionRole);
      assertThat(stageToProd.path("jobId").asText()).isEqualTo(jobId("stage", "prod"));
    } finally {
      // Terraform acts through roles moto does not have (terraform-deploy): off for the rest.
      moto.enforceIam(Integer.MAX_VALUE);
    }

    Command prodDrop =
        aws(
                "prod",
                "s3api",
                "head-object",
                "--bucket",
                "acme-prod-artifacts",
                "--key",
                "drop/" + FUNCTION + ".zip")
            .succeeded();
    JsonNode metadata = JSON.readTree(prodDrop.stdout()).path("Metadata");
    assertThat(metadata.path("git-revision").asText()).isEqualTo(revision);
    assertThat(metadata.path("source-env").asText()).isEqualTo("stage");
    // The envelope travelled with the release, byte for byte: prod can verify it again.
    assertThat(envelope("prod", "acme-prod-artifacts", revision))
        .isEqualTo(envelope("dev", "acme-dev-artifacts", revision));
  }

  /**
   * The dev deploy project's own buildspec (from BatchGetProjects) in the CodeBuild-like harness,
   * as the Deploy action runs it after the build: the repository at the built commit as primary
   * source, the project's environment variables exactly, the action's SOURCE_REVISION and
   * PACKAGE_KEY, CodeBuild's own variables and the project's service role. Under IAM enforcement,
   * so the example's deploy-function policy is what lets the sample function's Terraform create the
   * function, its execution role and its log group, with its state in dev's state bucket.
   *
   * <p>Stage's deploy (next test) runs alongside, in its own account and state: the two are
   * independent, and running them side by side keeps the system test within its time budget.
   */
  @Test
  @Order(6)
  void
      devDeployProject_appliesTheFunctionsTerraform_asTheDeployRole_withTheProjectsEnvironmentOnly()
          throws Exception {
    assertThat(checkout).as("the build step published nothing to deploy").isNotNull();
    assertThat(stageDropVersion).as("nothing was promoted to stage").isNotNull();
    String revision = checkout.revision();
    // source_output of the dev pipeline: the repository at the built commit, without the build's
    // outputs (the deploy is another CodeBuild container).
    Path source = work.resolve("deploy-source-dev");
    git(work, "clone", "-q", checkout.directory().toString(), source.toString());
    java.util.function.Supplier<BuildResult> dev =
        prepareDeploy(
            "dev",
            source,
            Map.of(),
            revision,
            // The Deploy action's variables (function-pipeline codepipeline.tf, first account).
            Map.of(
                "SOURCE_REVISION",
                revision,
                "PACKAGE_KEY",
                "releases/" + FUNCTION + "/" + revision + ".zip"));
    java.util.function.Supplier<BuildResult> stage = prepareStageDeploy();

    BuildResult result;
    java.util.concurrent.CompletableFuture<BuildResult> stageRun = null;
    moto.enforceIam(0);
    try {
      stageRun = java.util.concurrent.CompletableFuture.supplyAsync(stage, background);
      result = dev.get();
    } finally {
      if (stageRun != null) {
        stageRun.handle((done, failure) -> null).join();
      }
      stageDeploy = stageRun;
      moto.enforceIam(Integer.MAX_VALUE);
    }

    assertDeployed("dev", result, revision);
    assertDeployRoleIsRefusedOutsideItsFunction("dev");
  }

  /**
   * Stage's deploy after the promotion (run alongside dev's, above): the promoted drop-key version
   * as primary source, and the function's repository as the secondary source function_source, a
   * full clone whose branch has moved on since the build; the deploy checks out the package's own
   * commit and applies that commit's Terraform, as stage's deploy role.
   */
  @Test
  @Order(7)
  void stageDeployProject_appliesThePackagesCommit_fromTheFunctionSource_asTheDeployRole()
      throws Exception {
    assertThat(stageDeploy).as("the stage deploy did not run").isNotNull();
    BuildResult result = stageDeploy.join();
    String revision = checkout.revision();
    assertDeployed("stage", result, revision);
    assertThat(result.log()).contains("checked out " + revision + ", the package's revision");
    JsonNode function =
        JSON.readTree(
            aws(
                    "stage",
                    "lambda",
                    "get-function-configuration",
                    "--function-name",
                    FUNCTION + "-stage")
                .succeeded()
                .stdout());
    assertThat(function.path("MemorySize").asInt())
        .as("the package's commit's Terraform, not the branch head's")
        .isEqualTo(256);
  }

  @Test
  @Order(9)
  void destroy_leavesNothingInAnyAccount() throws Exception {
    // What the deploys applied is in their own state (each account's state bucket), not in the
    // example's: destroyed first, from the deploy's working directory, as the deploy role.
    moto.enforceIam(0);
    try {
      List<java.util.concurrent.CompletableFuture<Void>> destroyed =
          deployments.values().stream()
              .map(
                  deployed ->
                      java.util.concurrent.CompletableFuture.runAsync(
                          () -> destroyDeployedFunction(deployed), background))
              .toList();
      destroyed.forEach(java.util.concurrent.CompletableFuture::join);
    } finally {
      moto.enforceIam(Integer.MAX_VALUE);
    }
    // Buckets that hold objects refuse to be destroyed (force_destroy stays false, as shipped):
    // emptied first, as an operator would.
    for (String bucket :
        List.of(
            "acme-dev-artifacts",
            "acme-stage-artifacts",
            "acme-prod-artifacts",
            "acme-dev-tfstate",
            "acme-stage-tfstate")) {
      emptyBucket(bucket.split("-")[1], bucket);
    }
    // -refresh=false: the second plan has just read every resource back and found no change, so a
    // second read of some 170 resources would tell nothing new; the inventory below checks it all.
    terraform(example, "destroy", "-auto-approve", "-no-color", "-parallelism=20", "-refresh=false")
        .succeeded();
    emptyBucket("ops", "acme-ops-tfstate");
    emptyBucket("ops", "acme-ops-artifacts");
    terraform(
            bootstrap,
            "destroy",
            "-auto-approve",
            "-no-color",
            "-refresh=false",
            "-var",
            "name_prefix=" + PREFIX,
            "-var",
            "ops_account_id=" + ACCOUNTS.get("ops"),
            "-var",
            "pipeline_account_ids=[\"222222222222\",\"333333333333\",\"444444444444\"]")
        .succeeded();

    for (String account : List.of("ops", "dev", "stage", "prod")) {
      try (AccountInventory left = inventory(account)) {
        assertThat(left.bucketNames()).as(account).isEmpty();
        assertThat(left.roleArns()).as(account).isEmpty();
        assertThat(left.localPolicyArns()).as(account).isEmpty();
        assertThat(left.functionNames()).as(account).isEmpty();
        assertThat(left.codeBuildProjects()).as(account).isEmpty();
        assertThat(left.pipelineNames()).as(account).isEmpty();
        assertThat(left.logGroupNames()).as(account).isEmpty();
        assertThat(left.eventRuleNames()).as(account).isEmpty();
        assertThat(left.kmsAliasNames())
            .as(account)
            .noneMatch(alias -> alias.startsWith("alias/" + PREFIX));
        assertThat(left.kmsKeyStates())
            .as("%s keys", account)
            .allSatisfy((keyId, state) -> assertThat(state).isEqualTo("PendingDeletion"));
      }
    }
  }

  // ------------------------------------------------------------------------------- helpers

  /** Where a deploy applied, and with what, so that it can be destroyed the same way. */
  private record Deployment(
      Path terraformDir, Map<String, String> role, Map<String, String> variables) {}

  /**
   * {@code env}'s deploy project's buildspec, ready to run as CodeBuild would run it for the Deploy
   * action: the buildspec and environment variables from BatchGetProjects, then what CodeBuild sets
   * (source directories, resolved source version, build id, region, the service role's
   * credentials), then the action's variables; the only additions are emulator settings, each
   * marked as such.
   */
  /**
   * Stage's deploy as its pipeline runs it: the S3 source's artifact is the package, which nothing
   * in deploy.yml reads from the source directory (resolve-package.sh inspects the drop-key version
   * in S3); the function's repository is a clone whose branch head is a later commit.
   */
  private java.util.function.Supplier<BuildResult> prepareStageDeploy() throws IOException {
    Path source = Files.createDirectories(work.resolve("deploy-source-stage"));
    Path functionSource = work.resolve("function-source-stage");
    git(work, "clone", "-q", checkout.directory().toString(), functionSource.toString());
    // The branch head is no longer the package's commit: a later change to its Terraform.
    Path variablesFile =
        functionSource.resolve(SampleFunction.DIRECTORY + "/terraform/variables.tf");
    Files.writeString(
        variablesFile,
        Files.readString(variablesFile).replace("default     = 256", "default     = 512"));
    git(functionSource, "commit", "-q", "-a", "-m", "Sample function: more memory");
    return prepareDeploy(
        "stage",
        source,
        Map.of("function_source", functionSource),
        stageDropVersion,
        // The Deploy action's variables (later accounts): the version the S3 source picked up.
        Map.of("SOURCE_REVISION", stageDropVersion, "PACKAGE_VERSION_ID", stageDropVersion));
  }

  private java.util.function.Supplier<BuildResult> prepareDeploy(
      String env,
      Path source,
      Map<String, Path> secondarySources,
      String resolvedSourceVersion,
      Map<String, String> actionVariables)
      throws IOException {
    String projectName = FUNCTION + "-" + env + "-deploy";
    JsonNode project = project(env, projectName);
    Buildspec buildspec = Buildspec.parse(project.at("/source/buildspec").asText());
    Map<String, String> variables = projectEnvironment(env, projectName);
    // The CodeBuild service hands the project's role credentials to the build container; here
    // they are taken before enforcement (moto has no CodeBuild service principal to do it).
    String serviceRole = project.path("serviceRole").asText();
    assertThat(serviceRole).endsWith(":role/artifact-pipelines/" + projectName);
    Map<String, String> deployRole = assumeRole(env, serviceRole, "codebuild");

    // Emulator settings, and nothing else: the state backend's endpoints and path-style requests
    // (terraform-init.sh passes this file before the project's backend values, which win) ...
    Path backendExtras = work.resolve("moto-" + env + ".s3.tfbackend");
    Files.writeString(
        backendExtras,
        "use_path_style              = true\n"
            + "skip_credentials_validation = true\n"
            + "skip_requesting_account_id  = true\n"
            + "skip_metadata_api_check     = true\n"
            + "endpoints = { s3 = \""
            + moto.endpoint()
            + "\", sts = \""
            + moto.endpoint()
            + "\" }\n");
    Map<String, String> emulator = new LinkedHashMap<>(withEndpoint(deployRole));
    emulator.put("TF_BACKEND_CONFIG_FILE", backendExtras.toString());
    // ... and the provider from this machine's mirror (a build image would reach the registry).
    emulator.put("TF_CLI_CONFIG_FILE", terraformEnvironment.get("TF_CLI_CONFIG_FILE"));

    Path terraformDir =
        (secondarySources.containsKey("function_source")
                ? secondarySources.get("function_source")
                : source)
            .resolve(variables.get("FUNCTION_DIR"))
            .resolve("terraform");
    Map<String, String> applied = new LinkedHashMap<>(variables);
    applied.putAll(actionVariables);
    // Recorded before the run: a deploy that fails halfway may still have created resources.
    deployments.put(env, new Deployment(terraformDir, deployRole, applied));

    BuildspecRunner.Builder runner =
        BuildspecRunner.builder(buildspec)
            .sourceDirectory(source)
            .home(Files.createDirectories(work.resolve("deploy-home-" + env)))
            .codeBuildVariable("CODEBUILD_RESOLVED_SOURCE_VERSION", resolvedSourceVersion)
            .codeBuildVariable("CODEBUILD_SOURCE_VERSION", resolvedSourceVersion)
            .codeBuildVariable("CODEBUILD_BUILD_ID", projectName + ":1")
            .projectVariables(variables)
            .projectVariables(emulator)
            .projectVariables(actionVariables)
            .timeout(Duration.ofMinutes(4));
    secondarySources.forEach(runner::secondarySource);

    // Run by the caller, with IAM enforcement on.
    return () -> {
      BuildResult result = runner.run();
      applied.putAll(result.exportedVariables());
      deployments.put(env, new Deployment(terraformDir, deployRole, applied));
      return result;
    };
  }

  /**
   * The deploy role outside its remit, even in its own account: the function's execution role
   * without its boundary (an assumable role of its own making, with any policy), another role, and
   * the artifact bucket's releases (only the build role and the promotion role write there).
   */
  private void assertDeployRoleIsRefusedOutsideItsFunction(String env) {
    Map<String, String> deployRole = deployments.get(env).role();
    String trust =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},"
            + "\"Action\":\"sts:AssumeRole\"}]}";
    moto.enforceIam(0);
    try {
      assertDenied(
          deployRole,
          "create-role without the boundary",
          "iam",
          "create-role",
          "--role-name",
          FUNCTION + "-" + env + "-execution",
          "--assume-role-policy-document",
          trust);
      assertDenied(
          deployRole,
          "create-role",
          "iam",
          "create-role",
          "--role-name",
          FUNCTION + "-" + env + "-admin",
          "--assume-role-policy-document",
          trust);
      assertDenied(
          deployRole,
          "put-object",
          "s3api",
          "put-object",
          "--bucket",
          PREFIX + "-" + env + "-artifacts",
          "--key",
          "releases/" + FUNCTION + "/" + "0".repeat(40) + ".zip");
    } finally {
      moto.enforceIam(Integer.MAX_VALUE);
    }
  }

  /** The AWS CLI, with {@code role}'s credentials, is refused {@code awsArguments}. */
  private void assertDenied(Map<String, String> role, String what, String... awsArguments) {
    List<String> command = new ArrayList<>(List.of("aws"));
    command.addAll(List.of(awsArguments));
    Command denied =
        Command.run(
            work, withEndpoint(role), Duration.ofMinutes(1), command.toArray(String[]::new));
    assertThat(denied.exitCode()).as("%s as the deploy role: %s", what, denied).isNotZero();
    assertThat(denied.stderr()).contains("AccessDenied");
  }

  /**
   * What a deploy must have left: a green build whose last step found the package's SHA-256 in the
   * function's CodeSha256, the state at the project's key in the account's state bucket encrypted
   * with the state key, and the function tagged with the package's git revision.
   */
  private void assertDeployed(String env, BuildResult result, String revision) throws IOException {
    assertThat(result.succeeded()).as(result.toString()).isTrue();
    // The pinned Terraform is this machine's: used as found, nothing downloaded.
    assertThat(result.log()).containsPattern("terraform [0-9.]+ already at \\S+: no download");
    assertThat(result.log())
        .contains("Lambda function " + FUNCTION + "-" + env + " runs the package");
    assertThat(result.exportedVariables()).containsEntry("GIT_REVISION", revision);

    Map<String, String> variables = deployments.get(env).variables();
    JsonNode state =
        JSON.readTree(
            aws(
                    env,
                    "s3api",
                    "head-object",
                    "--bucket",
                    PREFIX + "-" + env + "-tfstate",
                    "--key",
                    variables.get("TF_BACKEND_KEY"))
                .succeeded()
                .stdout());
    assertThat(state.path("ServerSideEncryption").asText()).isEqualTo("aws:kms");
    assertThat(state.path("SSEKMSKeyId").asText())
        .isEqualTo(variables.get("TF_BACKEND_KMS_KEY_ID"));
    assertThat(variables.get("TF_BACKEND_KMS_KEY_ID"))
        .startsWith("arn:aws:kms:us-east-1:" + ACCOUNTS.get(env) + ":key/");

    JsonNode function =
        JSON.readTree(
            aws(env, "lambda", "get-function", "--function-name", FUNCTION + "-" + env)
                .succeeded()
                .stdout());
    assertThat(function.at("/Tags/git-revision").asText()).isEqualTo(revision);

    // Created as the deploy role could only create it: within the boundary the example made.
    String boundary = variables.get("TF_VAR_execution_role_permissions_boundary");
    assertThat(boundary)
        .isEqualTo(
            "arn:aws:iam::"
                + ACCOUNTS.get(env)
                + ":policy/"
                + FUNCTION
                + "-"
                + env
                + "-execution-boundary");
    JsonNode role =
        JSON.readTree(
            aws(env, "iam", "get-role", "--role-name", FUNCTION + "-" + env + "-execution")
                .succeeded()
                .stdout());
    assertThat(role.at("/Role/PermissionsBoundary/PermissionsBoundaryArn").asText())
        .isEqualTo(boundary);
  }

  /**
   * {@code terraform destroy} of what a deploy applied, in its working directory (initialised by
   * the deploy against the account's state) and as its deploy role, under IAM enforcement: the
   * deploy-function policy lets the deploy remove what it created.
   */
  private void destroyDeployedFunction(Deployment deployment) {
    if (!Files.isDirectory(deployment.terraformDir().resolve(".terraform"))) {
      return; // never initialised: nothing was applied
    }
    Map<String, String> variables = deployment.variables();
    Map<String, String> environment = new HashMap<>(terraformEnvironment);
    environment.putAll(withEndpoint(deployment.role()));
    environment.put("TF_VAR_environment", variables.get("TARGET_ENV"));
    environment.put("TF_VAR_function_name", variables.get("DEPLOY_FUNCTION_NAME"));
    // Terraform asks for every variable without a default even to destroy; these are the values
    // of the apply (the version resolve-package.sh found, exported by the build).
    String versionId = variables.getOrDefault("PACKAGE_VERSION_ID", "unknown: the deploy failed");
    Command.run(
            deployment.terraformDir(),
            environment,
            TERRAFORM_TIMEOUT,
            "terraform",
            "destroy",
            "-auto-approve",
            "-no-color",
            "-input=false",
            "-var",
            "package_bucket=" + variables.get("PACKAGE_BUCKET"),
            "-var",
            "package_key=" + variables.get("PACKAGE_KEY"),
            "-var",
            "package_version_id=" + versionId,
            "-var",
            "git_revision=" + checkout.revision())
        .succeeded();
  }

  /**
   * A CodePipeline job of the {@code from} environment's pipeline, as its Invoke action sends it to
   * the promote function's live alias, handled by the function's code ({@code invoke --event}) with
   * the deployed configuration, as the execution role; the job API is WireMock.
   */
  private JsonNode runJob(String from, String to, String revision, Map<String, String> role)
      throws IOException {
    String jobId = jobId(from, to);
    String pipeline = FUNCTION + "-" + from;
    jobApi.resetAll();
    answer(
        "GetJobDetails",
        "{\"jobDetails\":{\"id\":\""
            + jobId
            + "\",\"accountId\":\""
            + ACCOUNTS.get(from)
            + "\",\"data\":{\"pipelineContext\":{\"pipelineName\":\""
            + pipeline
            + "\",\"stage\":{\"name\":\"Promote\"},\"action\":{\"name\":\"Promote\"},"
            + "\"pipelineArn\":\"arn:aws:codepipeline:us-east-1:"
            + ACCOUNTS.get(from)
            + ":"
            + pipeline
            + "\",\"pipelineExecutionId\":\"exec-"
            + from
            + "\"},\"inputArtifacts\":[{\"name\":\"source_output\",\"revision\":\""
            + revision
            + "\"}]}}}");
    long now = Instant.now().getEpochSecond();
    answer(
        "ListActionExecutions",
        "{\"actionExecutionDetails\":["
            + action(from, "Promote", "Invoke", "InProgress", null, now)
            + ","
            + action(
                from,
                "Approve",
                "Approval",
                "Succeeded",
                "arn:aws:iam::" + ACCOUNTS.get(from) + ":user/approver",
                now - 30)
            + "]}");
    answer("PutJobSuccessResult", "{}");
    answer("PutJobFailureResult", "{}");

    String aliasArn =
        "arn:aws:lambda:us-east-1:111111111111:function:" + PROMOTE_FUNCTION + ":live";
    Map<String, Object> event =
        Map.of(
            "CodePipeline.job",
            Map.of(
                "id",
                jobId,
                "accountId",
                ACCOUNTS.get(from),
                "data",
                Map.of(
                    "actionConfiguration",
                    Map.of(
                        "configuration",
                        Map.of(
                            "FunctionName",
                            aliasArn,
                            "UserParameters",
                            JSON.writeValueAsString(
                                Map.of("function", FUNCTION, "from", from, "to", to)))),
                    "inputArtifacts",
                    List.of(
                        Map.of(
                            "name",
                            "source_output",
                            "revision",
                            revision,
                            "location",
                            Map.of(
                                "type",
                                "S3",
                                "s3Location",
                                Map.of(
                                    "bucketName",
                                        PREFIX + "-" + FUNCTION + "-" + from + "-pipeline",
                                    "objectKey", pipeline + "/source_out/abc1234")))),
                    "outputArtifacts",
                    List.of())));
    Path eventFile = work.resolve(jobId + ".json");
    Files.writeString(eventFile, JSON.writeValueAsString(event));

    Map<String, String> environment = withConfig(withEndpoint(role));
    environment.put("AWS_ENDPOINT_URL_CODEPIPELINE", "http://127.0.0.1:" + jobApi.port());
    CliProcess.Run run =
        CliProcess.run(environment, work, "invoke", "--event", eventFile.toString());
    assertThat(run.exitCode()).as("invoke %s:%n%s%n%s", jobId, run.stdout(), run.stderr()).isZero();

    List<LoggedRequest> failures = calls("PutJobFailureResult");
    assertThat(failures)
        .as("%s failed: %s", jobId, failures.stream().map(LoggedRequest::getBodyAsString).toList())
        .isEmpty();
    List<LoggedRequest> successes = calls("PutJobSuccessResult");
    assertThat(successes).as(jobId).hasSize(1);
    return JSON.readTree(successes.get(0).getBodyAsString());
  }

  /** CodePipeline job ids are UUIDs; the promoter refuses anything else before logging it. */
  private static String jobId(String from, String to) {
    return java.util
        .UUID
        .nameUUIDFromBytes((from + "-to-" + to).getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .toString();
  }

  private static String action(
      String env, String name, String category, String status, String updatedBy, long time) {
    return "{\"pipelineExecutionId\":\"exec-"
        + env
        + "\",\"actionExecutionId\":\""
        + name
        + "\",\"stageName\":\"Promote\",\"actionName\":\""
        + name
        + "\",\"status\":\""
        + status
        + "\",\"startTime\":"
        + (time - 60)
        + ",\"lastUpdateTime\":"
        + time
        + (updatedBy == null ? "" : ",\"updatedBy\":\"" + updatedBy + "\"")
        + ",\"input\":{\"actionTypeId\":{\"category\":\""
        + category
        + "\",\"owner\":\"AWS\",\"provider\":\""
        + (category.equals("Approval") ? "Manual" : "Lambda")
        + "\",\"version\":\"1\"}}}";
  }

  private void answer(String operation, String body) {
    jobApi.stubFor(
        post(urlPathEqualTo("/"))
            .withHeader("X-Amz-Target", equalTo("CodePipeline_20150709." + operation))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/x-amz-json-1.1")
                    .withBody(body)));
  }

  private List<LoggedRequest> calls(String operation) {
    return jobApi.findAll(
        postRequestedFor(urlPathEqualTo("/"))
            .withHeader("X-Amz-Target", equalTo("CodePipeline_20150709." + operation)));
  }

  /** The example's signing key, as Terraform created it (output of the applied configuration). */
  private String signingKeyArn() throws IOException {
    return aws(
            "ops",
            "kms",
            "describe-key",
            "--key-id",
            "alias/" + PREFIX + "-ops-provenance-signing",
            "--query",
            "KeyMetadata.Arn",
            "--output",
            "text")
        .succeeded()
        .stdout()
        .trim();
  }

  private JsonNode envelope(String env, String bucket, String revision) throws IOException {
    Path file = work.resolve("envelope-" + env + ".json");
    aws(
            env,
            "s3api",
            "get-object",
            "--bucket",
            bucket,
            "--key",
            "releases/" + FUNCTION + "/" + revision + ".intoto.json",
            file.toString())
        .succeeded();
    return JSON.readTree(Files.readString(file));
  }

  private JsonNode project(String env, String name) throws IOException {
    JsonNode projects =
        JSON.readTree(
            aws(env, "codebuild", "batch-get-projects", "--names", name).succeeded().stdout());
    assertThat(projects.at("/projects/0").isObject())
        .as("%s in %s: %s", name, env, projects)
        .isTrue();
    return projects.at("/projects/0");
  }

  private Map<String, String> projectEnvironment(String env, String name) throws IOException {
    JsonNode variables = project(env, name).at("/environment/environmentVariables");
    Map<String, String> result = new LinkedHashMap<>();
    variables.forEach(v -> result.put(v.get("name").asText(), v.get("value").asText()));
    return result;
  }

  private Command git(Path dir, String... args) {
    List<String> argv =
        new ArrayList<>(
            List.of("git", "-c", "user.name=System IT", "-c", "user.email=system-it@localhost"));
    argv.addAll(List.of(args));
    return Command.run(
            dir,
            Map.of("GIT_CONFIG_NOSYSTEM", "1", "HOME", work.toString()),
            Duration.ofMinutes(1),
            argv.toArray(String[]::new))
        .succeeded();
  }

  private Command terraform(Path dir, String... args) {
    List<String> argv = new ArrayList<>();
    argv.add("terraform");
    argv.addAll(List.of(args));
    Instant start = Instant.now();
    Command command =
        Command.run(dir, terraformEnvironment, TERRAFORM_TIMEOUT, argv.toArray(String[]::new));
    // The run's time budget is mostly Terraform's: each command's share, and its output to read
    // after the run (target/system-it/terraform-logs).
    long seconds = Duration.between(start, Instant.now()).toSeconds();
    System.out.printf(
        "MultiAccountSystemIT: terraform %s in %s: %d s%n", args[0], work.relativize(dir), seconds);
    try {
      Path logs = Files.createDirectories(work.resolve("terraform-logs"));
      Files.writeString(
          logs.resolve(
              String.format(
                  "%02d-%s-%s.log", terraformRuns.incrementAndGet(), dir.getFileName(), args[0])),
          command.stdout() + command.stderr());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return command;
  }

  private Command aws(String account, String... args) {
    List<String> argv = new ArrayList<>(List.of("aws", "--output", "json"));
    argv.addAll(List.of(args));
    return Command.run(
        work, withEndpoint(admin(account)), Duration.ofMinutes(2), argv.toArray(String[]::new));
  }

  private void emptyBucket(String account, String bucket) {
    try (AccountInventory inventory = inventory(account)) {
      inventory.emptyBucket(bucket);
    }
  }

  /** The SDK as terraform-deploy in that account (what the providers act as). */
  private AccountInventory inventory(String account) {
    return new AccountInventory(moto.endpoint(), admin(account));
  }

  /** What Terraform's providers act as in each account: the terraform-deploy role there. */
  private Map<String, String> admin(String account) {
    return admins.computeIfAbsent(
        account,
        a ->
            assumeRole(
                "ops",
                "arn:aws:iam::" + ACCOUNTS.get(a) + ":role/terraform-deploy",
                "system-it-" + a));
  }

  private Map<String, String> assumeRole(String callerAccount, String roleArn, String session) {
    Map<String, String> keys =
        callerAccount.equals("ops") && roleArn.endsWith("terraform-deploy")
            ? Map.of("AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing")
            : admin(callerAccount);
    try {
      JsonNode credentials =
          JSON.readTree(
                  Command.run(
                          work,
                          withEndpoint(keys),
                          Duration.ofMinutes(1),
                          "aws",
                          "--output",
                          "json",
                          "sts",
                          "assume-role",
                          "--role-arn",
                          roleArn,
                          "--role-session-name",
                          session)
                      .succeeded()
                      .stdout())
              .path("Credentials");
      return Map.of(
          "AWS_ACCESS_KEY_ID", credentials.get("AccessKeyId").asText(),
          "AWS_SECRET_ACCESS_KEY", credentials.get("SecretAccessKey").asText(),
          "AWS_SESSION_TOKEN", credentials.get("SessionToken").asText());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private Map<String, String> withEndpoint(Map<String, String> credentials) {
    Map<String, String> env = new HashMap<>(credentials);
    env.put("AWS_ENDPOINT_URL", moto.endpoint().toString());
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_DEFAULT_REGION", "us-east-1");
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    return env;
  }

  private Map<String, String> withConfig(Map<String, String> env) {
    Map<String, String> result = new HashMap<>(env);
    result.put("PROMOTION_CONFIG", promotionConfig);
    return result;
  }

  private String providerOverride(String alias) {
    String endpoint = moto.endpoint().toString();
    StringBuilder endpoints = new StringBuilder();
    for (String service :
        List.of(
            "s3",
            "sts",
            "iam",
            "kms",
            "lambda",
            "codebuild",
            "codepipeline",
            "logs",
            "events",
            "dynamodb",
            "sns")) {
      endpoints.append("    ").append(service).append(" = \"").append(endpoint).append("\"\n");
    }
    return "provider \"aws\" {\n"
        + "  alias                       = \""
        + alias
        + "\"\n"
        + "  access_key                  = \"testing\"\n"
        + "  secret_key                  = \"testing\"\n"
        + "  skip_credentials_validation = true\n"
        + "  skip_metadata_api_check     = true\n"
        + "  skip_region_validation      = true\n"
        + "  s3_use_path_style           = true\n"
        + "  endpoints {\n"
        + endpoints
        + "  }\n"
        + "}\n";
  }

  private static String connection(String env) {
    return "arn:aws:codeconnections:us-east-1:"
        + ACCOUNTS.get(env)
        + ":connection/00000000-0000-0000-0000-000000000000";
  }

  private static String externalId(String env) {
    return (env + "-external-id-0123456789abcdef").substring(0, 24);
  }

  private static Path patches() {
    try {
      return Path.of(
          MultiAccountSystemIT.class.getResource("/system/moto_terraform_patches.py").toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path lambdaJar() throws IOException {
    Path target =
        Path.of(System.getProperty("repo.root")).resolve("functions/promote-lambda/target");
    Assumptions.assumeTrue(
        Files.isDirectory(target), "promote-lambda is not built: run mvn verify");
    try (Stream<Path> files = Files.list(target)) {
      Optional<Path> jar =
          files.filter(p -> p.getFileName().toString().endsWith("-lambda.jar")).findFirst();
      Assumptions.assumeTrue(jar.isPresent(), "no *-lambda.jar in " + target + ": run mvn verify");
      return jar.get();
    }
  }

  private static String sha256(Path file) throws Exception {
    java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
    return java.util.HexFormat.of().formatHex(digest.digest(Files.readAllBytes(file)));
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(dir)) {
      paths = walk.toList();
    }
    for (int i = paths.size() - 1; i >= 0; i--) {
      Files.deleteIfExists(paths.get(i));
    }
  }
}
