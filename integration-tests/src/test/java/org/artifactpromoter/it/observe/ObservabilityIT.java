package org.artifactpromoter.it.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.artifactpromoter.artifact.BuildInfo;
import org.artifactpromoter.artifact.Sha256;
import org.artifactpromoter.function.FunctionComponent;
import org.artifactpromoter.it.pipeline.TestContext;
import org.artifactpromoter.it.support.AwsProxy;
import org.artifactpromoter.it.support.CliProcess;
import org.artifactpromoter.it.support.CliProcess.Run;
import org.artifactpromoter.it.support.LocalAccounts;
import org.artifactpromoter.it.support.LogCapture;
import org.artifactpromoter.it.support.WithLocalAccounts;
import org.artifactpromoter.json.Json;
import org.artifactpromoter.lambda.PromoteHandler;
import org.artifactpromoter.lambda.PromotionFailedException;
import org.artifactpromoter.logging.StructuredLogging;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Issue 14 end to end on the local accounts: every outcome of the Lambda and the CLI reaches an
 * EventBridge rule's SQS target with its fields (refusals included), a failing PutEvents changes no
 * result, the Lambda's JSON log records carry the promotion, {@code status} and {@code verify} see
 * what the deployed function runs (moto's Lambda computes CodeSha256), and {@code history} merges
 * every environment.
 */
class ObservabilityIT extends WithLocalAccounts {
  private static final String FUNCTION = "orders-api";

  private SqsClient sqs;
  private String queueUrl;
  private Map<String, String> cliEnvironment;

  @BeforeEach
  void ruleToAQueue_onTheDefaultBusOfThePromotersAccount() {
    // The promoter's own credentials (testing/testing) act in moto's default account: its default
    // bus is where the events go, as in Lambda (the function's account) and for a CLI user.
    AwsCredentialsProvider own =
        StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    sqs =
        SqsClient.builder()
            .endpointOverride(moto.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(own)
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    queueUrl = sqs.createQueue(b -> b.queueName("promotion-events")).queueUrl();
    String queueArn =
        sqs.getQueueAttributes(
                b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);
    try (EventBridgeClient events =
        EventBridgeClient.builder()
            .endpointOverride(moto.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(own)
            .httpClient(UrlConnectionHttpClient.create())
            .build()) {
      events.putRule(
          b -> b.name("promotions").eventPattern("{\"source\": [\"artifact-promoter\"]}"));
      events.putTargets(b -> b.rule("promotions").targets(t -> t.id("queue").arn(queueArn)));
    }
    cliEnvironment = new HashMap<>(moto.clientEnvironment());
    cliEnvironment.put("PROMOTION_CONFIG", accounts.configJson(null));
  }

  @AfterEach
  void closeQueue() {
    sqs.close();
  }

  // ------------------------------------------------------------------ events

  @Test
  void lambdaDirect_announcesItsSuccessAndItsRefusals_withTheirFields() throws Exception {
    Path pkg = publishZip("v1", 1);
    PromoteHandler handler = handler();

    JsonNode result = invoke(handler, request(FUNCTION, "dev", "stage", null), plentyOfTime());
    assertThrows(
        PromotionFailedException.class,
        () -> invoke(handler, request(FUNCTION, "dev", "prod", null), plentyOfTime()));
    assertThrows(
        PromotionFailedException.class,
        () -> invoke(handler, request("Not A Name!", "dev", "nowhere", null), plentyOfTime()));

    List<JsonNode> events = receive(3);
    assertThat(events).hasSize(3);
    JsonNode succeeded = byDetailType(events, "Promotion Succeeded").get(0);
    assertThat(succeeded.path("source").asText()).isEqualTo("artifact-promoter");
    JsonNode detail = succeeded.get("detail");
    assertThat(detail.path("promotionId").asText()).isEqualTo(result.get("promotionId").asText());
    assertThat(detail.path("function").asText()).isEqualTo(FUNCTION);
    assertThat(detail.path("from").asText()).isEqualTo("dev");
    assertThat(detail.path("to").asText()).isEqualTo("stage");
    assertThat(detail.path("revision").asText()).isEqualTo(LocalAccounts.revision(1));
    assertThat(detail.path("sha256").asText()).isEqualTo(Sha256.hexOf(pkg));
    assertThat(detail.path("status").asText()).isEqualTo("PROMOTED");

    List<JsonNode> refused = byDetailType(events, "Promotion Refused");
    assertThat(refused).hasSize(2);
    JsonNode notAllowed = detailWithError(refused, "PROMOTION_NOT_ALLOWED");
    assertThat(notAllowed.path("status").asText()).isEqualTo("FAILED");
    assertThat(notAllowed.path("function").asText()).isEqualTo(FUNCTION);
    assertThat(notAllowed.path("from").asText()).isEqualTo("dev");
    assertThat(notAllowed.path("to").asText()).isEqualTo("prod");
    assertThat(notAllowed.path("message").asText()).contains("not allowed");
    assertThat(notAllowed.path("promotionId").asText()).isNotBlank();
    // A refused request is hostile input: only values that pass their own check are repeated.
    JsonNode invalid = detailWithError(refused, "INVALID_REQUEST");
    assertThat(invalid.has("function")).isFalse();
    assertThat(invalid.has("to")).isFalse();
    assertThat(invalid.path("from").asText()).isEqualTo("dev");
  }

  @Test
  void cli_announcesItsSuccessAndItsRefusal_beforeItExits() throws Exception {
    publishZip("v1", 2);

    Run promoted =
        cli(
            "promote",
            "--function",
            FUNCTION,
            "--from",
            "dev",
            "--to",
            "stage",
            "--reason",
            "INC-7",
            "--json");
    assertThat(promoted.exitCode()).as(promoted.stderr()).isZero();
    Run refused = cli("promote", "--function", FUNCTION, "--from", "dev", "--to", "prod");
    assertThat(refused.exitCode()).isEqualTo(3);

    List<JsonNode> events = receive(2);
    assertThat(events).hasSize(2);
    JsonNode succeeded = byDetailType(events, "Promotion Succeeded").get(0).get("detail");
    assertThat(succeeded.path("promotionId").asText())
        .isEqualTo(Json.MAPPER.readTree(promoted.stdout()).get("promotionId").asText());
    assertThat(succeeded.path("status").asText()).isEqualTo("PROMOTED");
    assertThat(succeeded.path("reason").asText()).isEqualTo("INC-7");
    assertThat(succeeded.path("revision").asText()).isEqualTo(LocalAccounts.revision(2));
    JsonNode refusal = byDetailType(events, "Promotion Refused").get(0).get("detail");
    assertThat(refusal.path("error").asText()).isEqualTo("PROMOTION_NOT_ALLOWED");
    assertThat(refusal.path("to").asText()).isEqualTo("prod");
  }

  @Test
  void aFailingPutEvents_leavesThePromotionsResultUnchanged() throws Exception {
    Path pkg = publishZip("v1", 3);
    try (AwsProxy proxy = AwsProxy.start(moto)) {
      proxy.routeCodeUnderTest();
      proxy.failAlways(AwsProxy.putEvents(), AwsProxy.jsonError(500, "InternalException"));
      try {
        // Lambda: about 1 s left for announcing (the context's nearly-out time minus the reserve).
        JsonNode lambda =
            invoke(
                handler(), request(FUNCTION, "dev", "stage", null), TestContext.timeForChecks(0));
        assertThat(lambda.get("status").asText()).isEqualTo("PROMOTED");
        assertThat(stageDropKeyBytes()).isEqualTo(Files.readAllBytes(pkg));

        Map<String, String> throughProxy = new HashMap<>(cliEnvironment);
        throughProxy.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());
        Run cli =
            CliProcess.run(
                throughProxy,
                dir,
                "promote",
                "--function",
                FUNCTION,
                "--from",
                "stage",
                "--to",
                "prod",
                "--json");
        assertThat(cli.exitCode()).as(cli.stderr()).isZero();
        assertThat(Json.MAPPER.readTree(cli.stdout()).get("status").asText()).isEqualTo("PROMOTED");
        assertThat(cli.stderr()).contains("was NOT published");

        assertThat(proxy.calls(AwsProxy.PUT_EVENTS)).as("PutEvents attempts").hasSizeGreaterThan(1);
      } finally {
        System.setProperty("aws.endpointUrl", moto.endpoint().toString());
      }
    }
    assertThat(receive(0)).isEmpty();
  }

  // ------------------------------------------------------------------ structured logs

  @Test
  void lambdaJsonLogRecords_parse_andCarryThePromotion() throws Exception {
    publishZip("v1", 4);
    Logger root = Logger.getLogger("");
    PromoteHandler handler = handler();
    JsonNode result;
    String captured;
    try (LogCapture logs = LogCapture.start()) {
      // What the handler's class initialisation does when Lambda sets AWS_LAMBDA_LOG_FORMAT=JSON.
      assertThat(StructuredLogging.configure(Map.of(StructuredLogging.LOG_FORMAT_VARIABLE, "JSON")))
          .isTrue();
      result = invoke(handler, request(FUNCTION, "dev", "stage", null), plentyOfTime());
      captured = logs.text();
    } finally {
      for (Handler h : root.getHandlers()) {
        h.setFormatter(new SimpleFormatter());
      }
    }
    String promotionId = result.get("promotionId").asText();
    List<JsonNode> records = new ArrayList<>();
    for (String line : captured.split("\n")) {
      if (line.startsWith("{\"timestamp\"")) {
        records.add(Json.MAPPER.readTree(line));
      }
    }
    assertThat(records).isNotEmpty();
    assertThat(records)
        .allSatisfy(
            r ->
                assertThat(r.fieldNames())
                    .toIterable()
                    .contains("timestamp", "level", "message", "logger"));
    JsonNode outcome =
        records.stream()
            .filter(r -> r.path("message").asText().startsWith("PROMOTED"))
            .findFirst()
            .orElseThrow();
    assertThat(outcome.path("promotionId").asText()).isEqualTo(promotionId);
    assertThat(outcome.path("function").asText()).isEqualTo(FUNCTION);
    assertThat(outcome.path("from").asText()).isEqualTo("dev");
    assertThat(outcome.path("to").asText()).isEqualTo("stage");
    assertThat(outcome.path("level").asText()).isEqualTo("INFO");
    assertThat(outcome.path("requestId").asText()).isEqualTo("it-request");
  }

  // ------------------------------------------------------------------ running code

  @Test
  void status_isRunningAfterADeployOfThePromotedPackage_driftAfterAChange_andVerifyExits5()
      throws Exception {
    Path pkg = publishZip("v1", 5);
    assertThat(cli("promote", "--function", FUNCTION, "--from", "dev", "--to", "stage").exitCode())
        .isZero();
    LambdaClient stageLambda = lambdaIn("stage");
    String executionRole = executionRoleIn("stage");
    SdkBytes promoted = SdkBytes.fromByteArray(readBytes(pkg));
    SdkBytes hotfix = SdkBytes.fromByteArray(zip("hotfix"));
    // What the stage pipeline's deploy does: the promoted package becomes orders-api-stage.
    stageLambda.createFunction(
        b ->
            b.functionName(FUNCTION + "-stage")
                .runtime(Runtime.PYTHON3_12)
                .role(executionRole)
                .handler("index.handler")
                .code(c -> c.zipFile(promoted)));

    JsonNode status =
        Json.MAPPER.readTree(cli("status", "--function", FUNCTION, "--json").stdout());
    JsonNode stage = entry(status, "stage").get("deployed");
    assertThat(stage.path("function").asText()).isEqualTo("orders-api-stage");
    assertThat(stage.path("codeSha256").asText()).isEqualTo(Sha256.hexOf(pkg));
    assertThat(stage.get("match").asBoolean()).isTrue();
    JsonNode dev = entry(status, "dev").get("deployed");
    assertThat(dev.get("match").isNull()).as("no orders-api-dev function: unknown").isTrue();
    assertThat(dev.path("reason").asText()).contains("not found");
    assertThat(cli("status", "--function", FUNCTION).stdout()).containsPattern("stage .*RUNNING");
    assertThat(cli("verify", "--function", FUNCTION, "--env", "stage").exitCode()).isZero();

    // Someone changes the function's code behind the pipeline's back.
    stageLambda.updateFunctionCode(b -> b.functionName(FUNCTION + "-stage").zipFile(hotfix));

    JsonNode drifted =
        entry(
                Json.MAPPER.readTree(cli("status", "--function", FUNCTION, "--json").stdout()),
                "stage")
            .get("deployed");
    assertThat(drifted.get("match").asBoolean()).isFalse();
    assertThat(drifted.path("codeSha256").asText()).isEqualTo(sha256Hex(zip("hotfix")));
    assertThat(cli("status", "--function", FUNCTION).stdout()).containsPattern("stage .*DRIFT");
    Run verify = cli("verify", "--function", FUNCTION, "--env", "stage");
    assertThat(verify.exitCode()).as(verify.stdout() + verify.stderr()).isEqualTo(5);
    assertThat(verify.stdout()).contains("DRIFT");
    // Every environment: drift outranks dev's unknown.
    assertThat(cli("verify", "--function", FUNCTION).exitCode()).isEqualTo(5);
  }

  // ------------------------------------------------------------------ history

  @Test
  void history_withoutEnv_mergesEveryEnvironment_newestFirst() throws Exception {
    publishZip("v1", 6);
    assertThat(cli("promote", "--function", FUNCTION, "--from", "dev", "--to", "stage").exitCode())
        .isZero();
    Thread.sleep(1100); // S3 times are to the second: keep the two promotions apart.
    assertThat(cli("promote", "--function", FUNCTION, "--from", "stage", "--to", "prod").exitCode())
        .isZero();

    JsonNode history =
        Json.MAPPER.readTree(cli("history", "--function", FUNCTION, "--json").stdout());
    assertThat(history).hasSize(3);
    assertThat(List.of(history.get(0), history.get(1), history.get(2)))
        .extracting(e -> e.get("environment").asText())
        .containsExactly("prod", "stage", "dev");
    assertThat(history.get(0).get("sourceEnv").asText()).isEqualTo("stage");
    assertThat(history.get(0).get("promotionId").asText()).matches("\\d{8}T\\d{6}Z-[0-9a-f]{8}");
    assertThat(history.get(0).get("revision").asText()).isEqualTo(LocalAccounts.revision(6));
    String table = cli("history", "--function", FUNCTION).stdout();
    assertThat(table).contains("ENV", "BY", "REASON").containsPattern("prod .*stage");
  }

  /**
   * A break-glass promotion into prod (which requires approval) as an operator runs it: the merged
   * history names the caller STS reported and the reason, as recorded on the drop-key version.
   */
  @Test
  void history_listsABreakGlassPromotion_withItsCallerAndReason() throws Exception {
    publishZip("v1", 7);
    assertThat(cli("promote", "--function", FUNCTION, "--from", "dev", "--to", "stage").exitCode())
        .isZero();
    Map<String, String> requiringApproval = new HashMap<>(cliEnvironment);
    requiringApproval.put("PROMOTION_CONFIG", accounts.configJsonRequiringApproval(null));
    Run breakGlass =
        CliProcess.run(
            requiringApproval,
            dir,
            "promote",
            "--function",
            FUNCTION,
            "--from",
            "stage",
            "--to",
            "prod",
            "--break-glass",
            "--reason",
            "INC-99 prod down",
            "--json");
    assertThat(breakGlass.exitCode()).as(breakGlass.stderr()).isZero();
    String caller = Json.MAPPER.readTree(breakGlass.stdout()).get("promotedBy").asText();
    assertThat(caller).startsWith("arn:aws:");

    JsonNode history =
        Json.MAPPER.readTree(cli("history", "--function", FUNCTION, "--json").stdout());
    JsonNode first = history.get(0);
    assertThat(first.get("environment").asText()).isEqualTo("prod");
    assertThat(first.get("breakGlass").asBoolean()).isTrue();
    assertThat(first.get("promotedBy").asText()).isEqualTo(caller);
    assertThat(first.get("reason").asText()).isEqualTo("INC-99 prod down");
    assertThat(cli("history", "--function", FUNCTION).stdout())
        .contains("break-glass " + caller)
        .contains("INC-99 prod down");
  }

  // ------------------------------------------------------------------ helpers

  private Run cli(String... args) {
    return CliProcess.run(cliEnvironment, dir, args);
  }

  private PromoteHandler handler() {
    return new PromoteHandler(FunctionComponent.fromConfig(accounts.configJson(null)));
  }

  private static TestContext plentyOfTime() {
    return TestContext.plentyOfTime();
  }

  private static JsonNode invoke(PromoteHandler handler, String request, TestContext context)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(
        new ByteArrayInputStream(request.getBytes(StandardCharsets.UTF_8)), out, context);
    return Json.MAPPER.readTree(out.toString(StandardCharsets.UTF_8));
  }

  /** Publishes a real zip (moto's Lambda reads it) to dev as revision {@code seed}. */
  private Path publishZip(String content, long seed) throws IOException {
    Path pkg = dir.resolve(FUNCTION + "-" + seed + ".zip");
    Files.write(pkg, zip(content));
    accounts.publish(
        FUNCTION,
        "dev",
        pkg,
        new BuildInfo(LocalAccounts.revision(seed), "main", null, "Ship " + content, null));
    return pkg;
  }

  private static byte[] zip(String content) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      ZipEntry entry = new ZipEntry("index.py");
      entry.setTime(0); // the same bytes every time: the SHA-256 is compared
      zip.putNextEntry(entry);
      zip.write(
          ("def handler(event, context):\n    return '" + content + "'\n")
              .getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    return bytes.toByteArray();
  }

  private static String sha256Hex(byte[] data) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
  }

  private static byte[] readBytes(Path path) throws IOException {
    return Files.readAllBytes(path);
  }

  private static String dropKey() {
    return "drop/" + FUNCTION + ".zip";
  }

  private byte[] stageDropKeyBytes() {
    return accounts
        .admin("stage")
        .getObjectAsBytes(b -> b.bucket(LocalAccounts.bucket("stage")).key(dropKey()))
        .asByteArray();
  }

  private LambdaClient lambdaIn(String env) {
    return LambdaClient.builder()
        .endpointOverride(moto.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(accounts.credentials(env))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /** moto's CreateFunction insists that the execution role exists in the account. */
  private String executionRoleIn(String env) {
    try (IamClient iam =
        IamClient.builder()
            .endpointOverride(moto.endpoint())
            .region(Region.AWS_GLOBAL)
            .credentialsProvider(accounts.credentials(env))
            .httpClient(UrlConnectionHttpClient.create())
            .build()) {
      return iam.createRole(
              b ->
                  b.roleName(FUNCTION + "-" + env + "-execution")
                      .assumeRolePolicyDocument(
                          "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                              + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},"
                              + "\"Action\":\"sts:AssumeRole\"}]}"))
          .role()
          .arn();
    }
  }

  private static JsonNode entry(JsonNode status, String env) {
    for (JsonNode e : status) {
      if (e.get("environment").asText().equals(env)) {
        return e;
      }
    }
    throw new AssertionError("no " + env + " in " + status);
  }

  /** Up to {@code expected} events from the queue (waits a little longer to catch extras). */
  private List<JsonNode> receive(int expected) throws Exception {
    List<JsonNode> events = new ArrayList<>();
    Instant until = Instant.now().plusSeconds(expected == 0 ? 3 : 15);
    while (Instant.now().isBefore(until) && events.size() <= expected) {
      List<Message> messages =
          sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
              .messages();
      for (Message message : messages) {
        events.add(Json.MAPPER.readTree(message.body()));
        sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
      }
      if (events.size() == expected && messages.isEmpty()) {
        break;
      }
    }
    return events;
  }

  private static List<JsonNode> byDetailType(List<JsonNode> events, String detailType) {
    return events.stream().filter(e -> e.get("detail-type").asText().equals(detailType)).toList();
  }

  private static JsonNode detailWithError(List<JsonNode> events, String code) {
    return events.stream()
        .map(e -> e.get("detail"))
        .filter(d -> d.path("error").asText().equals(code))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + code + " among " + events));
  }
}
