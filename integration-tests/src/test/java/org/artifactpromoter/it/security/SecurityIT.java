package org.artifactpromoter.it.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.artifactpromoter.artifact.ArtifactLayout;
import org.artifactpromoter.artifact.BuildInfo;
import org.artifactpromoter.cli.ArtifactPromoterCli;
import org.artifactpromoter.it.pipeline.CodePipelineStub;
import org.artifactpromoter.it.pipeline.TestContext;
import org.artifactpromoter.it.support.AwsProxy;
import org.artifactpromoter.it.support.CliProcess;
import org.artifactpromoter.it.support.LocalAccounts;
import org.artifactpromoter.it.support.LogCapture;
import org.artifactpromoter.it.support.MotoServer;
import org.artifactpromoter.it.support.SecretScan;
import org.artifactpromoter.it.support.WithLocalAccounts;
import org.artifactpromoter.json.Json;
import org.artifactpromoter.lambda.PromoteHandler;
import org.artifactpromoter.model.Environment;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.promotion.DirectInvocation;
import org.artifactpromoter.promotion.PromotionConfig;
import org.artifactpromoter.promotion.PromotionIds;
import org.artifactpromoter.wiring.PromoterComponent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Guarantee 8 and the STS contract, end to end. A representative set of promotions and refusals
 * runs once through every entry point (the Lambda handler for direct invocations and CodePipeline
 * jobs, the CLI in this JVM and as its jar in another), with every S3 and STS call of the code
 * under test passing through a recording proxy in front of moto. Then:
 *
 * <ul>
 *   <li>no log line (this JVM's stdout, stderr and java.util.logging at every level, the CLI
 *       process's output), result, exception text or CodePipeline job result contains a secret: a
 *       SecretAccessKey or SessionToken any AssumeRole handed out, the job event's {@code
 *       artifactCredentials}, the ambient secret key, an externalId, or the header that carries
 *       session tokens;
 *   <li>every AssumeRole names a configured role with that environment's ExternalId, a session
 *       named after the promotion that opened it, the expected SourceIdentity and 900 seconds.
 * </ul>
 *
 * Test fixtures (publishing, tampering, reading buckets) talk to moto directly, so every AssumeRole
 * the proxy records is the code under test's.
 */
class SecurityIT {
  private static final String FUNCTION = "orders-api";
  private static final String STAGE_TO_PROD_JOB = "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
  private static final String FAILING_JOB = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f";
  private static final String APPROVER_NAME = "alice";
  private static final String CLI_USER = "carol@example.com";
  private static final String JOB_RESULTS_IDENTITY = "codepipeline-job-results";
  private static final String ONE_SHOT_SESSION = "promote-\\d{8}T\\d{6}Z-[0-9a-f]{8}";

  /** The code under test's own credentials: distinctive, so finding them anywhere means a leak. */
  private static final String AMBIENT_SECRET = "ambientSecretKey/MustNeverBeLogged+c41d7e";

  /** Held: java.util.logging keeps loggers only weakly. */
  private static final Logger OWN_LOG = Logger.getLogger("org.artifactpromoter");

  private static final SecretScan SCAN = new SecretScan();
  private static final List<Scenario> SCENARIOS = new ArrayList<>();

  private static MotoServer moto;
  private static AwsProxy proxy;
  private static CodePipelineStub codePipelineApi;
  private static LocalAccounts accounts;
  private static String logText;
  private static String jsonLogText;
  private static Map<String, String> jobEventCredentials;
  private static final Map<String, String> SAVED_PROPERTIES = new HashMap<>();

  @TempDir static Path dir;

  /** One run of an entry point, what it was configured with, and the AssumeRole calls it made. */
  private static final class Scenario {
    final String name;
    final String configJson;
    final String sourceIdentity;
    final boolean reportsJob;
    String promotionId;
    String outcome;
    List<AwsProxy.Call> assumeRoles = List.of();
    List<AwsProxy.Call> promotionEvents = List.of();

    Scenario(String name, String configJson, String sourceIdentity, boolean reportsJob) {
      this.name = name;
      this.configJson = configJson;
      this.sourceIdentity = sourceIdentity;
      this.reportsJob = reportsJob;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  // ------------------------------------------------------------------ the scenarios, run once

  @BeforeAll
  static void runEveryScenario() throws Exception {
    // As in Lambda: the handler class (and its logging set-up) is loaded before any AWS call.
    Class.forName(PromoteHandler.class.getName(), true, SecurityIT.class.getClassLoader());
    for (String key : List.of("aws.endpointUrl", "aws.secretAccessKey", "aws.accessKeyId")) {
      SAVED_PROPERTIES.put(key, System.getProperty(key));
    }
    moto = MotoServer.start();
    proxy = AwsProxy.start(moto);
    codePipelineApi = CodePipelineStub.start();
    accounts = new LocalAccounts(moto).create();
    System.setProperty("aws.secretAccessKey", AMBIENT_SECRET);
    proxy.routeCodeUnderTest();

    Level ownLevel = OWN_LOG.getLevel();
    // What PROMOTION_LOG_LEVEL=TRACE does, and LogCapture turns every other logger to ALL.
    OWN_LOG.setLevel(Level.ALL);
    LogCapture logs = LogCapture.start();
    try {
      scenarios();
    } finally {
      logs.close();
      OWN_LOG.setLevel(ownLevel);
      logText = logs.text();
      jsonLogText = logs.jsonText();
    }
    SCAN.text("stdout, stderr and java.util.logging of the test JVM", logText);
    SCAN.text("java.util.logging of the test JVM as JSON records", jsonLogText);
    // Promotion events leave the process too: their details are scanned like log lines.
    SCENARIOS.stream()
        .flatMap(s -> s.promotionEvents.stream())
        .forEach(c -> SCAN.text("PutEvents request", c.body()));
    codePipelineApi
        .results()
        .forEach(r -> SCAN.text("CodePipeline " + r.operation() + " request", r.body().toString()));

    List<AwsProxy.Call> assumeRoles =
        SCENARIOS.stream().flatMap(s -> s.assumeRoles.stream()).toList();
    SCAN.assumedRoleSecrets(assumeRoles);
    jobEventCredentials.forEach(
        (k, v) -> SCAN.secret("the job event's artifactCredentials " + k, v));
    SCAN.secret("the ambient AWS secret access key", AMBIENT_SECRET);
    for (String env : LocalAccounts.ENVIRONMENTS) {
      SCAN.secret(env + "'s externalId", LocalAccounts.externalId(env));
    }
  }

  private static void scenarios() throws Exception {
    String config = accounts.configJson(null);
    String r1 = publish(1);

    // Direct invocations of the Lambda handler.
    direct("direct dev -> stage", config, request("dev", "stage", null, false));
    direct("direct replay (ALREADY_PROMOTED)", config, request("dev", "stage", null, false));
    direct("direct dry run stage -> prod", config, request("stage", "prod", r1, true));

    // CodePipeline jobs (their events carry artifactCredentials).
    String stageVersion =
        accounts
            .admin("stage")
            .headObject(
                b -> b.bucket(LocalAccounts.bucket("stage")).key(ArtifactLayout.dropKey(FUNCTION)))
            .versionId();
    String jobEvent = resource("/events/job-stage-to-prod.json", stageVersion);
    JsonNode credentials =
        Json.MAPPER
            .readTree(jobEvent)
            .path("CodePipeline.job")
            .path("data")
            .path("artifactCredentials");
    jobEventCredentials = new LinkedHashMap<>();
    jobEventCredentials.put("secretAccessKey", credentials.path("secretAccessKey").asText());
    jobEventCredentials.put("sessionToken", credentials.path("sessionToken").asText());
    job("job stage -> prod", config, STAGE_TO_PROD_JOB, jobEvent);
    job("job replay (ALREADY_PROMOTED)", config, STAGE_TO_PROD_JOB, jobEvent);
    job(
        "job of a version stage never held",
        config,
        FAILING_JOB,
        resource("/events/job-stage-to-prod.json", "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY")
            .replace(STAGE_TO_PROD_JOB, FAILING_JOB));

    // Refusals with exception messages: through the handler and as the domain throws them.
    String missing = LocalAccounts.revision(99);
    failure("missing revision", config, request("dev", "stage", missing, false));

    String r2 = publish(2);
    String releaseKey = ArtifactLayout.releaseKey(FUNCTION, r2);
    Map<String, String> metadata =
        accounts
            .admin("dev")
            .headObject(b -> b.bucket(LocalAccounts.bucket("dev")).key(releaseKey))
            .metadata();
    accounts.tamper("dev", releaseKey, metadata);
    failure("tampered release", config, request("dev", "stage", r2, false));

    String r3 = publish(3);
    proxy.failAlways(AwsProxy.copyObject(), AwsProxy.s3Error(403, "AccessDenied"));
    failure("copy denied by S3", config, request("dev", "stage", r3, false));
    proxy.reset();

    // The CLI in this JVM.
    String r4 = publish(4);
    Path configFile = dir.resolve("promotion-config.json");
    Files.writeString(configFile, config);
    cliInProcess(
        "CLI promote dev -> stage",
        config,
        configFile,
        "promote",
        "--function",
        FUNCTION,
        "--from",
        "dev",
        "--to",
        "stage",
        "--revision",
        r4,
        "--json");
    // STS refuses a wrong ExternalId (moto does not check trust policies: the proxy answers).
    String wrongExternalId = "ext-stage-not-the-configured-one";
    SCAN.secret("the wrong configuration's stage externalId", wrongExternalId);
    String wrongConfig = config.replace(LocalAccounts.externalId("stage"), wrongExternalId);
    Path wrongConfigFile = dir.resolve("wrong-external-id.json");
    Files.writeString(wrongConfigFile, wrongConfig);
    proxy.failAlways(
        AwsProxy.assumeRole()
            .withRequestBody(
                com.github.tomakehurst.wiremock.client.WireMock.containing(
                    "ExternalId=" + wrongExternalId)),
        AwsProxy.stsError(403, "AccessDenied"));
    cliInProcess(
        "CLI promote with a wrong externalId",
        wrongConfig,
        wrongConfigFile,
        "promote",
        "--function",
        FUNCTION,
        "--from",
        "dev",
        "--to",
        "stage",
        "--revision",
        r4,
        "--json");
    proxy.reset();

    // The CLI jar, as a person or a build runs it.
    cliJar(
        "CLI jar promote stage -> prod",
        config,
        "promote",
        "--function",
        FUNCTION,
        "--from",
        "stage",
        "--to",
        "prod",
        "--revision",
        r4,
        "--json");
    cliJar(
        "CLI jar promote of a missing revision",
        config,
        "promote",
        "--function",
        FUNCTION,
        "--from",
        "stage",
        "--to",
        "prod",
        "--revision",
        missing,
        "--json");
  }

  private static String publish(long seed) throws Exception {
    String revision = LocalAccounts.revision(seed);
    Path pkg = LocalAccounts.packageFile(dir, "pkg-" + seed + ".zip", 20_000, seed);
    accounts.publish(
        FUNCTION, "dev", pkg, new BuildInfo(revision, "main", null, "commit " + seed, null));
    return revision;
  }

  private static String request(String from, String to, String revision, boolean dryRun) {
    String json = WithLocalAccounts.request(FUNCTION, from, to, revision);
    return dryRun ? json.substring(0, json.length() - 1) + ",\"dryRun\":true}" : json;
  }

  private static String resource(String name, String sourceVersion) throws Exception {
    try (InputStream in = SecurityIT.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replace("${SOURCE_VERSION}", sourceVersion);
    }
  }

  /** Records the AssumeRole calls since the last scenario, then starts a fresh record. */
  private static Scenario finish(Scenario scenario) {
    scenario.assumeRoles = proxy.assumeRoleCalls();
    scenario.promotionEvents = proxy.calls(AwsProxy.PUT_EVENTS);
    List<AwsProxy.Call> calls = proxy.calls();
    proxy.reset();
    SCENARIOS.add(scenario);
    assertThat(calls).as("calls through the proxy in %s", scenario).isNotEmpty();
    return scenario;
  }

  /** A promotion request sent to the Lambda handler, as {@code aws lambda invoke} does. */
  private static void direct(String name, String config, String requestJson) throws Exception {
    Scenario scenario = new Scenario(name, config, DirectInvocation.PROMOTED_BY, false);
    String result = invokeHandler(scenario, requestJson);
    if (!result.isEmpty()) {
      JsonNode json = Json.MAPPER.readTree(result);
      scenario.outcome = json.path("status").asText();
      if (!scenario.outcome.equals("ALREADY_PROMOTED")) {
        // ALREADY_PROMOTED names the promotion that wrote the drop key, not this one.
        scenario.promotionId = json.path("promotionId").asText();
      }
    }
    finish(scenario);
  }

  /**
   * A refusal through the handler (what Lambda reports), then the same request through the
   * handler's domain call, whose exception keeps its cause chain (what a crash report would print).
   */
  private static void failure(String name, String config, String requestJson) throws Exception {
    boolean copyDenied = name.contains("denied");
    direct(name + " (handler)", config, requestJson);
    if (copyDenied) {
      // finish() cleared the fault with the record.
      proxy.failAlways(AwsProxy.copyObject(), AwsProxy.s3Error(403, "AccessDenied"));
    }
    Scenario scenario =
        new Scenario(name + " (domain)", config, DirectInvocation.PROMOTED_BY, false);
    try {
      Object result = PromoterComponent.fromConfig(config).directInvocation().handle(requestJson);
      SCAN.text("result of " + scenario.name, Json.write(result));
      scenario.outcome = "returned";
    } catch (RuntimeException e) {
      SCAN.exception("exception thrown in " + scenario.name, e);
      scenario.outcome =
          e instanceof PromotionException pe ? pe.code().name() : e.getClass().getSimpleName();
    }
    finish(scenario);
  }

  /**
   * Sends {@code input} to a freshly built Lambda handler as the runtime does; scans what it
   * answered and anything it threw, and returns the answer.
   */
  private static String invokeHandler(Scenario scenario, String input) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      codePipelineApi
          .promoteHandler(scenario.configJson)
          .handleRequest(
              new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
              out,
              TestContext.plentyOfTime());
    } catch (Exception e) {
      SCAN.exception("exception thrown by the handler in " + scenario.name, e);
      scenario.outcome = "threw " + e.getClass().getSimpleName();
    }
    String answer = out.toString(StandardCharsets.UTF_8);
    SCAN.text("result of " + scenario.name, answer);
    return answer;
  }

  private static void job(String name, String config, String jobId, String event) {
    Scenario scenario = new Scenario(name, config, APPROVER_NAME, true);
    scenario.promotionId = PromotionIds.forJob(jobId);
    int before = codePipelineApi.results().size();
    codePipelineApi.created(event);
    invokeHandler(scenario, event);
    List<CodePipelineStub.Call> results = codePipelineApi.results();
    if (results.size() == before + 1) {
      CodePipelineStub.Call result = results.get(before);
      scenario.outcome =
          result.operation().equals("PutJobSuccessResult")
              ? result.body().path("outputVariables").path("status").asText()
              : result.body().path("failureDetails").path("message").asText().split(":")[0];
    }
    finish(scenario);
  }

  private static void cliInProcess(String name, String config, Path configFile, String... args)
      throws Exception {
    Scenario scenario = new Scenario(name, config, sourceIdentityOf(userName()), false);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = ArtifactPromoterCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    List<String> arguments = new ArrayList<>(List.of(args));
    arguments.add("--config");
    arguments.add(configFile.toString());
    int exit = cli.execute(arguments.toArray(String[]::new));
    SCAN.text("stdout of " + name, out.toString());
    SCAN.text("stderr of " + name, err.toString());
    cliOutcome(scenario, exit, out.toString());
    finish(scenario);
  }

  private static void cliJar(String name, String config, String... args) throws Exception {
    Scenario scenario = new Scenario(name, config, CLI_USER, false);
    Map<String, String> env = new HashMap<>(moto.clientEnvironment());
    env.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());
    env.put("AWS_SECRET_ACCESS_KEY", AMBIENT_SECRET);
    env.put("PROMOTION_CONFIG", config);
    env.put("PROMOTION_LOG_LEVEL", "TRACE");
    env.put("ARTIFACT_PROMOTER_REQUESTED_BY", CLI_USER);
    CliProcess.Run run = CliProcess.run(env, dir, args);
    SCAN.text("stdout of " + name, run.stdout());
    SCAN.text("stderr of " + name, run.stderr());
    cliOutcome(scenario, run.exitCode(), run.stdout());
    finish(scenario);
  }

  private static void cliOutcome(Scenario scenario, int exit, String stdout) throws Exception {
    JsonNode json = Json.MAPPER.readTree(stdout.isBlank() ? "{}" : stdout);
    String status = json.path("status").asText();
    scenario.outcome =
        "exit " + exit + " " + (status.equals("FAILED") ? json.path("error").asText() : status);
    if (!status.equals("FAILED") && !status.equals("ALREADY_PROMOTED")) {
      scenario.promotionId = json.path("promotionId").asText(null);
    }
  }

  private static String userName() {
    String name = System.getProperty("user.name");
    return name == null || name.isBlank() ? null : name;
  }

  /** STS's SourceIdentity charset and length, as the promoter applies them. */
  private static String sourceIdentityOf(String who) {
    if (who == null) {
      return "artifact-promoter";
    }
    String identity = who.strip().replaceAll("[^\\w+=,.@-]", "_");
    identity = identity.length() < 2 ? identity + "_" : identity;
    return identity.length() <= 64 ? identity : identity.substring(0, 64);
  }

  @AfterAll
  static void stopServers() {
    SAVED_PROPERTIES.forEach(
        (key, value) -> {
          if (value == null) {
            System.clearProperty(key);
          } else {
            System.setProperty(key, value);
          }
        });
    if (codePipelineApi != null) {
      codePipelineApi.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (moto != null) {
      moto.close();
    }
  }

  // ------------------------------------------------------------------ what is asserted

  @Test
  void scenarios_endAsDesigned() {
    Map<String, String> outcomes = new LinkedHashMap<>();
    SCENARIOS.forEach(s -> outcomes.put(s.name, s.outcome));

    assertThat(outcomes)
        .containsExactly(
            Map.entry("direct dev -> stage", "PROMOTED"),
            Map.entry("direct replay (ALREADY_PROMOTED)", "ALREADY_PROMOTED"),
            Map.entry("direct dry run stage -> prod", "DRY_RUN"),
            Map.entry("job stage -> prod", "PROMOTED"),
            Map.entry("job replay (ALREADY_PROMOTED)", "ALREADY_PROMOTED"),
            Map.entry("job of a version stage never held", "REVISION_NOT_FOUND"),
            Map.entry("missing revision (handler)", "threw PromotionFailedException"),
            Map.entry("missing revision (domain)", "REVISION_NOT_FOUND"),
            Map.entry("tampered release (handler)", "threw PromotionFailedException"),
            Map.entry("tampered release (domain)", "INTEGRITY_MISMATCH"),
            Map.entry("copy denied by S3 (handler)", "threw PromotionFailedException"),
            Map.entry("copy denied by S3 (domain)", "ACCESS_DENIED"),
            Map.entry("CLI promote dev -> stage", "exit 0 PROMOTED"),
            Map.entry("CLI promote with a wrong externalId", "exit 4 ACCESS_DENIED"),
            Map.entry("CLI jar promote stage -> prod", "exit 0 PROMOTED"),
            Map.entry("CLI jar promote of a missing revision", "exit 3 REVISION_NOT_FOUND"));
  }

  @Test
  void noCapturedText_containsASecret() {
    assertThat(SCAN.textCount()).as("texts captured").isGreaterThan(SCENARIOS.size());
    // 2 per AssumeRole response that succeeded, the event's 2, the ambient key, 3 externalIds.
    assertThat(SCAN.secretCount()).as("secrets scanned for").isGreaterThan(20);

    assertThat(SCAN.leaks()).isEmpty();
  }

  @Test
  void theJsonForm_isOneObjectPerRecord_carryingThePromotionsFields() throws Exception {
    List<JsonNode> records = new ArrayList<>();
    for (String line : jsonLogText.split("\n")) {
      records.add(Json.MAPPER.readTree(line));
    }
    assertThat(records).as("JSON records captured").hasSizeGreaterThan(SCENARIOS.size());
    assertThat(records)
        .allSatisfy(
            r ->
                assertThat(r.fieldNames())
                    .toIterable()
                    .contains("timestamp", "level", "message", "logger"));
    String promoted = SCENARIOS.get(0).promotionId;
    assertThat(records)
        .anySatisfy(
            r -> {
              assertThat(r.path("promotionId").asText()).isEqualTo(promoted);
              assertThat(r.path("function").asText()).isEqualTo(FUNCTION);
              assertThat(r.path("from").asText()).isEqualTo("dev");
              assertThat(r.path("to").asText()).isEqualTo("stage");
            });
    String job = PromotionIds.forJob(STAGE_TO_PROD_JOB);
    assertThat(records)
        .anySatisfy(
            r -> {
              assertThat(r.path("jobId").asText()).isEqualTo(STAGE_TO_PROD_JOB);
              assertThat(r.path("promotionId").asText()).isEqualTo(job);
            });
    assertThat(SCENARIOS)
        .as("scenarios whose outcome was announced through the proxy")
        .filteredOn(s -> !s.promotionEvents.isEmpty())
        .hasSizeGreaterThan(SCENARIOS.size() / 2);
  }

  @Test
  void theScan_findsASecretPlantedInWhatWasCaptured() {
    List<AwsProxy.Call> issued =
        SCENARIOS.stream()
            .flatMap(s -> s.assumeRoles.stream())
            .filter(c -> c.status() == 200)
            .toList();
    assertThat(issued).as("AssumeRole calls that handed out credentials").isNotEmpty();
    String token = sessionTokenOf(issued.get(issued.size() - 1));
    // The capture is real: it holds the promoter's own log lines.
    String promoted = SCENARIOS.get(0).promotionId;
    assertThat(logText).contains("promotion " + promoted);

    SecretScan planted =
        new SecretScan()
            .assumedRoleSecrets(issued)
            .text("log with a token", logText + "\nrefreshed session " + token + "\n")
            .text("log with the header", "GET / x-amz-security-token: abc")
            .text("clean log", logText);

    assertThat(planted.leaks())
        .hasSize(2)
        .anySatisfy(l -> assertThat(l).contains("SessionToken").endsWith("log with a token"))
        .anySatisfy(l -> assertThat(l).startsWith("X-Amz-Security-Token").endsWith("header"))
        .allSatisfy(l -> assertThat(l).doesNotContain(token));
  }

  @Test
  void everyAssumeRole_carriesTheExternalIdAPromotionSessionNameSourceIdentityAnd900Seconds() {
    Set<String> oneShotSessions = new TreeSet<>();
    for (Scenario scenario : SCENARIOS) {
      assertThat(scenario.assumeRoles).as("AssumeRole calls in %s", scenario).isNotEmpty();
      Map<String, Environment> byRole =
          PromotionConfig.parse(scenario.configJson).environments().values().stream()
              .collect(Collectors.toMap(Environment::role, e -> e));
      Set<String> promotionSessions = new TreeSet<>();
      for (AwsProxy.Call call : scenario.assumeRoles) {
        Map<String, String> form = call.form();
        String where = scenario + ": " + form.get("RoleSessionName") + " " + form.get("RoleArn");
        Environment environment = byRole.get(form.get("RoleArn"));
        assertThat(environment).as("%s: a configured role", where).isNotNull();
        assertThat(form.get("ExternalId")).as(where).isEqualTo(environment.externalId());
        assertThat(form.get("DurationSeconds")).as(where).isEqualTo("900");
        if (JOB_RESULTS_IDENTITY.equals(form.get("SourceIdentity"))) {
          // Reporting a job of a pipeline in stage's account, through stage's role, in a session
          // named after the job's promotion.
          assertThat(scenario.reportsJob).as(where).isTrue();
          assertThat(environment.name()).as(where).isEqualTo("stage");
          assertThat(form.get("RoleSessionName"))
              .as(where)
              .isIn(
                  "promote-" + PromotionIds.forJob(STAGE_TO_PROD_JOB),
                  "promote-" + PromotionIds.forJob(FAILING_JOB));
        } else {
          promotionSessions.add(form.get("RoleSessionName"));
          assertThat(form.get("SourceIdentity")).as(where).isEqualTo(scenario.sourceIdentity);
        }
      }
      assertThat(promotionSessions).as("promotion sessions of %s", scenario).hasSize(1);
      String session = promotionSessions.iterator().next();
      if (scenario.promotionId != null) {
        assertThat(session).as(scenario.name).isEqualTo("promote-" + scenario.promotionId);
      } else {
        // Refusals and replays report no id of their own: one fresh promotion id, as the entry
        // point makes them.
        assertThat(session).as(scenario.name).matches(ONE_SHOT_SESSION);
      }
      if (session.matches(ONE_SHOT_SESSION)) {
        assertThat(oneShotSessions.add(session)).as("%s has its own session", scenario).isTrue();
      }
    }
    assertThat(SCENARIOS.stream().filter(s -> s.reportsJob).flatMap(s -> s.assumeRoles.stream()))
        .as("job results reported through the pipeline account's role")
        .anySatisfy(
            c -> assertThat(c.form()).containsEntry("SourceIdentity", JOB_RESULTS_IDENTITY));
  }

  private static String sessionTokenOf(AwsProxy.Call call) {
    int start = call.responseBody().indexOf("<SessionToken>") + "<SessionToken>".length();
    return call.responseBody().substring(start, call.responseBody().indexOf("</SessionToken>"));
  }
}
