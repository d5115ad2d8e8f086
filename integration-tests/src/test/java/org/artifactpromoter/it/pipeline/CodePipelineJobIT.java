package org.artifactpromoter.it.pipeline;

import static org.artifactpromoter.it.pipeline.CodePipelineStub.error;
import static org.artifactpromoter.it.pipeline.CodePipelineStub.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.artifactpromoter.artifact.ArtifactLayout;
import org.artifactpromoter.artifact.BuildInfo;
import org.artifactpromoter.artifact.Sha256;
import org.artifactpromoter.function.FunctionModule;
import org.artifactpromoter.function.PromoteFunction;
import org.artifactpromoter.it.pipeline.CodePipelineStub.Call;
import org.artifactpromoter.it.support.LocalAccounts;
import org.artifactpromoter.it.support.LogCapture;
import org.artifactpromoter.it.support.MotoServer;
import org.artifactpromoter.lambda.PromoteHandler;
import org.artifactpromoter.promotion.PromotionIds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * The CodePipeline Invoke action end to end: job events as CodePipeline sends them, the promote
 * handler wired as in Lambda, S3 and STS of four accounts on moto, and CodePipeline's job API on
 * WireMock, whose received PutJobSuccessResult / PutJobFailureResult requests are what is asserted.
 */
class CodePipelineJobIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FUNCTION = "orders-api";
  private static final String DEV_TO_STAGE_JOB = "5f0e4c1a-7b2d-4e3f-9a8b-1c2d3e4f5a6b";
  private static final String STAGE_TO_PROD_JOB = "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
  private static final String R1 = LocalAccounts.revision(1);
  private static final String R2 = LocalAccounts.revision(2);
  private static final String SECRET_ACCESS_KEY = "itSecretAccessKey/MustNeverBeLogged+7f3a9c";
  private static final String SESSION_TOKEN =
      "itSessionToken/MustNeverBeLogged//FwoGZXIvYXdzEJr0==";
  private static final String SMALL_PARTS =
      "{\"multipartThresholdBytes\": 5242880, \"partSizeBytes\": 5242880}";

  private static MotoServer moto;
  private static CodePipelineStub codePipelineApi;

  private LocalAccounts accounts;
  private LogCapture logs;
  @TempDir Path dir;

  @BeforeAll
  static void startServers() throws ClassNotFoundException {
    // As in Lambda, the handler class is loaded (and its logging set up) before any AWS call,
    // including the fixtures' own uploads.
    Class.forName(PromoteHandler.class.getName(), true, CodePipelineJobIT.class.getClassLoader());
    moto = MotoServer.start();
    codePipelineApi = CodePipelineStub.start();
  }

  @AfterAll
  static void stopServers() {
    codePipelineApi.close();
    moto.close();
  }

  @BeforeEach
  void freshAccounts() {
    moto.reset();
    codePipelineApi.reset();
    accounts = new LocalAccounts(moto).create();
    logs = LogCapture.start();
  }

  /**
   * Guarantee 8, for every scenario of this class, with every logger at its most verbose: the
   * event's secrets and the promoter's session tokens reach no log line.
   */
  @AfterEach
  void noSecretInAnyLogLine() {
    logs.close();
    assertThat(logs.text())
        .doesNotContain(SECRET_ACCESS_KEY)
        .doesNotContain(SESSION_TOKEN)
        // The promoter's own STS session tokens travel in this header.
        .doesNotContainIgnoringCase("X-Amz-Security-Token");
  }

  // ---------------------------------------------------------------- wiring and helpers

  /** The handler as the Lambda runtime builds it, but reporting to the local CodePipeline API. */
  private PromoteHandler handler(String copySettings) {
    return codePipelineApi.promoteHandler(accounts.configJsonRequiringApproval(copySettings));
  }

  /**
   * Arranges what stage holds before a scenario: a handler whose configuration requires no approval
   * anywhere, so that stage can be filled by direct invocation.
   */
  private PromoteHandler arranging() {
    return codePipelineApi.promoteHandler(accounts.configJson(null));
  }

  private static String event(String name, Map<String, String> replacements) throws IOException {
    try (InputStream in = CodePipelineJobIT.class.getResourceAsStream("/events/" + name)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (Map.Entry<String, String> r : replacements.entrySet()) {
        text = text.replace(r.getKey(), r.getValue());
      }
      return text;
    }
  }

  /** The stage -> prod job of the execution that deployed {@code sourceVersion}. */
  private static String stageToProd(String sourceVersion) throws IOException {
    String event = event("job-stage-to-prod.json", Map.of("${SOURCE_VERSION}", sourceVersion));
    codePipelineApi.created(event);
    return event;
  }

  /** The event CodePipeline sends to continue a job: the same, with the last token. */
  private static String continued(String event, String token) throws IOException {
    ObjectNode root = (ObjectNode) JSON.readTree(event);
    ((ObjectNode) root.path("CodePipeline.job").path("data")).put("continuationToken", token);
    return JSON.writeValueAsString(root);
  }

  private static void invoke(PromoteHandler handler, String event, TestContext context) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThatCode(
            () ->
                handler.handleRequest(
                    new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, context))
        .doesNotThrowAnyException();
  }

  private Path publish(String revision, int size, long seed) throws IOException {
    Path pkg = LocalAccounts.packageFile(dir, "pkg-" + seed + ".zip", size, seed);
    accounts.publish(
        FUNCTION, "dev", pkg, new BuildInfo(revision, "main", null, "commit " + seed, null));
    return pkg;
  }

  /** Promotes dev's current drop key to stage by direct invocation; returns stage's version. */
  private String promoteToStageDirectly() {
    PromoteHandler handler = arranging();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThatCode(
            () ->
                handler.handleRequest(
                    new ByteArrayInputStream(
                        "{\"function\":\"orders-api\",\"from\":\"dev\",\"to\":\"stage\"}"
                            .getBytes(StandardCharsets.UTF_8)),
                    out,
                    TestContext.plentyOfTime()))
        .doesNotThrowAnyException();
    return dropKeyHead("stage").versionId();
  }

  private software.amazon.awssdk.services.s3.model.HeadObjectResponse dropKeyHead(String env) {
    return accounts
        .admin(env)
        .headObject(b -> b.bucket(LocalAccounts.bucket(env)).key(ArtifactLayout.dropKey(FUNCTION)));
  }

  private byte[] dropKeyBytes(String env) {
    return accounts
        .admin(env)
        .getObjectAsBytes(
            b -> b.bucket(LocalAccounts.bucket(env)).key(ArtifactLayout.dropKey(FUNCTION)))
        .asByteArray();
  }

  private Map<String, String> dropKeyTags(String env) {
    Map<String, String> tags = new TreeMap<>();
    accounts
        .admin(env)
        .getObjectTagging(
            b -> b.bucket(LocalAccounts.bucket(env)).key(ArtifactLayout.dropKey(FUNCTION)))
        .tagSet()
        .forEach(t -> tags.put(t.key(), t.value()));
    return tags;
  }

  private List<ObjectVersion> dropKeyVersions(String env) {
    return accounts
        .admin(env)
        .listObjectVersions(
            b -> b.bucket(LocalAccounts.bucket(env)).prefix(ArtifactLayout.dropKey(FUNCTION)))
        .versions();
  }

  private int openUploads(String env) {
    return accounts
        .admin(env)
        .listMultipartUploads(b -> b.bucket(LocalAccounts.bucket(env)))
        .uploads()
        .size();
  }

  private String releaseVersion(String env, String revision) {
    return accounts
        .admin(env)
        .headObject(
            b ->
                b.bucket(LocalAccounts.bucket(env))
                    .key(ArtifactLayout.releaseKey(FUNCTION, revision)))
        .versionId();
  }

  private static String sha256(byte[] bytes) {
    return java.util.HexFormat.of().formatHex(Sha256.newDigest().digest(bytes));
  }

  private static JsonNode json(String text) throws IOException {
    return JSON.readTree(text);
  }

  private static Call onlyResult() {
    List<Call> results = codePipelineApi.results();
    assertThat(results).as("job results sent").hasSize(1);
    return results.get(0);
  }

  private static String promotionId(String jobId) {
    return PromotionIds.forJob(jobId);
  }

  private static String failure(String jobId, String type, String message) {
    ObjectNode body = JSON.createObjectNode();
    body.put("jobId", jobId);
    ObjectNode details = body.putObject("failureDetails");
    details.put("type", type);
    details.put("message", message);
    details.put("externalExecutionId", promotionId(jobId));
    return body.toString();
  }

  // ---------------------------------------------------------------- happy paths

  @Test
  void devToStage_withGitCommitRevision_promotesItAndReportsOneSuccess() throws Exception {
    Path pkg = publish(R1, 200_000, 1);
    PromoteHandler handler = handler(null);

    invoke(handler, event("job-dev-to-stage.json", Map.of()), TestContext.plentyOfTime());

    Call result = onlyResult();
    assertThat(result.operation()).isEqualTo("PutJobSuccessResult");
    assertThat(result.status()).isEqualTo(200);
    String dropVersion = dropKeyHead("stage").versionId();
    String id = promotionId(DEV_TO_STAGE_JOB);
    assertThat(result.body())
        .isEqualTo(
            json(
                "{\"jobId\":\""
                    + DEV_TO_STAGE_JOB
                    + "\",\"executionDetails\":{\"summary\":\"Promoted orders-api "
                    + R1.substring(0, 7)
                    + " dev -> stage: stage drop/orders-api.zip is now version "
                    + dropVersion
                    + ". Approved by "
                    + CodePipelineStub.APPROVER
                    + ".\",\"externalExecutionId\":\""
                    + id
                    + "\",\"percentComplete\":100},\"outputVariables\":{\"revision\":\""
                    + R1
                    + "\",\"sha256\":\""
                    + Sha256.hexOf(pkg)
                    + "\",\"releaseVersionId\":\""
                    + releaseVersion("stage", R1)
                    + "\",\"dropKeyVersionId\":\""
                    + dropVersion
                    + "\",\"promotionId\":\""
                    + id
                    + "\",\"status\":\"PROMOTED\"}}"));
    assertThat(dropKeyBytes("stage")).isEqualTo(Files.readAllBytes(pkg));
    assertThat(dropKeyTags("stage"))
        .containsEntry("git-revision", R1)
        .containsEntry("promoted-from", "dev")
        .containsEntry("promotion-id", id)
        .containsEntry("approved-by", CodePipelineStub.APPROVER);
    // The approver came from this job's pipeline execution.
    assertThat(codePipelineApi.calls("GetJobDetails").get(0).body().path("jobId").asText())
        .isEqualTo(DEV_TO_STAGE_JOB);
    JsonNode listing = codePipelineApi.calls("ListActionExecutions").get(0).body();
    assertThat(listing.path("pipelineName").asText()).isEqualTo(CodePipelineStub.PIPELINE);
    assertThat(listing.path("filter").path("pipelineExecutionId").asText())
        .isEqualTo(CodePipelineStub.EXECUTION);
    assertThat(logs.text())
        .contains("CodePipeline job " + DEV_TO_STAGE_JOB + " orders-api dev -> stage: succeeded");
    // The job lives in the dev account (222222222222) and the function in ops (111111111111):
    // every job API call was signed by the dev promotion role's session, none by the function's.
    assertThat(codePipelineApi.signingAccessKeys())
        .isNotEmpty()
        .doesNotContain(System.getProperty("aws.accessKeyId"));
  }

  @Test
  void stageToProd_withS3VersionRevision_promotesThatDropKeyVersion() throws Exception {
    Path pkg = publish(R1, 120_000, 1);
    PromoteHandler handler = handler(null);
    String stageVersion = promoteToStageDirectly();

    invoke(handler, stageToProd(stageVersion), TestContext.plentyOfTime());

    Call result = onlyResult();
    assertThat(result.operation()).isEqualTo("PutJobSuccessResult");
    JsonNode variables = result.body().path("outputVariables");
    assertThat(variables.path("revision").asText()).isEqualTo(R1);
    assertThat(variables.path("dropKeyVersionId").asText())
        .isEqualTo(dropKeyHead("prod").versionId());
    assertThat(result.body().path("executionDetails").path("summary").asText())
        .startsWith("Promoted orders-api " + R1.substring(0, 7) + " stage -> prod: prod ");
    assertThat(dropKeyBytes("prod")).isEqualTo(Files.readAllBytes(pkg));
    assertThat(dropKeyTags("prod")).containsEntry("promoted-from", "stage");
  }

  @Test
  void stageToProd_whenANewerPackageLandsBeforeApproval_promotesTheApprovedOne() throws Exception {
    Path first = publish(R1, 100_000, 1);
    PromoteHandler handler = handler(null);
    String deployedToStage = promoteToStageDirectly();
    // While the stage execution waits for approval, a newer package reaches stage's drop key.
    Path second = publish(R2, 100_000, 2);
    String newer = promoteToStageDirectly();
    assertThat(newer).isNotEqualTo(deployedToStage);

    invoke(handler, stageToProd(deployedToStage), TestContext.plentyOfTime());

    assertThat(onlyResult().body().path("outputVariables").path("revision").asText()).isEqualTo(R1);
    assertThat(dropKeyHead("prod").metadata()).containsEntry("git-revision", R1);
    assertThat(dropKeyBytes("prod"))
        .isEqualTo(Files.readAllBytes(first))
        .isNotEqualTo(Files.readAllBytes(second));
  }

  @Test
  void devToStage_promotesTheCommitTheExecutionCarried_notTheNewestPublished() throws Exception {
    Path carried = publish(R1, 50_000, 1);
    publish(R2, 50_000, 2);

    invoke(handler(null), event("job-dev-to-stage.json", Map.of()), TestContext.plentyOfTime());

    assertThat(dropKeyHead("stage").metadata()).containsEntry("git-revision", R1);
    assertThat(dropKeyBytes("stage")).isEqualTo(Files.readAllBytes(carried));
  }

  @Test
  void whenTheApproverCannotBeLookedUp_andNoApprovalIsRequired_promotesAnywayAndSaysSo()
      throws Exception {
    publish(R1, 50_000, 1);
    codePipelineApi.answer("ListActionExecutions", error(400, "AccessDeniedException"));

    invoke(arranging(), event("job-dev-to-stage.json", Map.of()), TestContext.plentyOfTime());

    Call result = onlyResult();
    assertThat(result.operation()).isEqualTo("PutJobSuccessResult");
    assertThat(result.body().path("executionDetails").path("summary").asText())
        .endsWith("Approver not recorded: ListActionExecutions failed (AccessDeniedException).");
    assertThat(dropKeyTags("stage")).doesNotContainKey("approved-by");
  }

  // ---------------------------------------------------------------- approval enforced

  /** Attack 2: a failed approver lookup no longer promotes into an approval-required stage. */
  @Test
  void whenTheApproverCannotBeLookedUp_andApprovalIsRequired_failsWithAccessDenied()
      throws Exception {
    publish(R1, 50_000, 1);
    List<String> before = accounts.snapshot();
    codePipelineApi.answer("ListActionExecutions", error(400, "AccessDeniedException"));

    invoke(handler(null), event("job-dev-to-stage.json", Map.of()), TestContext.plentyOfTime());

    JsonNode details = onlyResult().body().path("failureDetails");
    assertThat(details.path("type").asText()).isEqualTo("PermissionError");
    assertThat(details.path("message").asText())
        .startsWith("ACCESS_DENIED: stage requires an approval, and it could not be verified:")
        .contains("ListActionExecutions failed (AccessDeniedException)");
    assertThat(accounts.snapshot()).isEqualTo(before);
  }

  /** Attack 1: a direct invocation promotes stage -> prod without any approval. */
  @Test
  void directInvocation_stageToProd_isRefusedWithApprovalRequired_andWritesNothing()
      throws Exception {
    publish(R1, 50_000, 1);
    promoteToStageDirectly();
    List<String> before = accounts.snapshot();

    assertThatThrownBy(
            () ->
                handler(null)
                    .handleRequest(
                        new ByteArrayInputStream(
                            ("{\"function\":\"orders-api\",\"from\":\"stage\",\"to\":\"prod\","
                                    + "\"reason\":\"trust me\"}")
                                .getBytes(StandardCharsets.UTF_8)),
                        new ByteArrayOutputStream(),
                        TestContext.plentyOfTime()))
        .hasMessageContaining("\"error\":\"APPROVAL_REQUIRED\"")
        .hasMessageContaining("--break-glass --reason");
    assertThat(accounts.snapshot()).isEqualTo(before);
    assertThat(codePipelineApi.results()).isEmpty();
  }

  /** Attack 2: a job event with an invented job id wrote to prod. */
  @Test
  void jobWithAnInventedJobId_isRefused_andNothingIsWrittenToProd() throws Exception {
    publish(R1, 50_000, 1);
    String stageVersion = promoteToStageDirectly();
    String invented = "0a0b0c0d-1e1f-4a2b-8c3d-4e5f6a7b8c9d";
    // Not created(): CodePipeline has never heard of this job.
    String event =
        event("job-stage-to-prod.json", Map.of("${SOURCE_VERSION}", stageVersion))
            .replace(STAGE_TO_PROD_JOB, invented);
    List<String> before = accounts.snapshot();

    invoke(handler(null), event, TestContext.plentyOfTime());

    assertThat(accounts.snapshot()).isEqualTo(before);
    assertThat(dropKeyVersions("prod")).isEmpty();
    assertThat(codePipelineApi.calls("GetJobDetails"))
        .extracting(c -> c.body().path("jobId").asText())
        .containsExactly(invented);
    Call result = onlyResult();
    assertThat(result.operation()).isEqualTo("PutJobFailureResult");
    assertThat(result.body().path("failureDetails").path("message").asText())
        .startsWith("APPROVAL_REQUIRED: Promoting orders-api stage -> prod refused, nothing was")
        .contains("does not know job " + invented);
  }

  /** Attack 2: a job whose event claims another revision than CodePipeline gave it. */
  @Test
  void jobWhoseEventCarriesAnotherRevisionThanTheJob_isRefused() throws Exception {
    publish(R1, 50_000, 1);
    String approved = promoteToStageDirectly();
    publish(R2, 50_000, 2);
    String unapproved = promoteToStageDirectly();
    stageToProd(approved);
    List<String> before = accounts.snapshot();

    invoke(
        handler(null),
        event("job-stage-to-prod.json", Map.of("${SOURCE_VERSION}", unapproved)),
        TestContext.plentyOfTime());

    assertThat(accounts.snapshot()).isEqualTo(before);
    assertThat(onlyResult().body().path("failureDetails").path("message").asText())
        .startsWith("APPROVAL_REQUIRED: ")
        .contains("is not the one CodePipeline gave job " + STAGE_TO_PROD_JOB);
  }

  @Test
  void jobOfAnExecutionWithoutASucceededApproval_isRefused_andNothingIsWritten() throws Exception {
    publish(R1, 50_000, 1);
    String stageVersion = promoteToStageDirectly();
    codePipelineApi.notApproved("InProgress");
    List<String> before = accounts.snapshot();

    invoke(handler(null), stageToProd(stageVersion), TestContext.plentyOfTime());

    assertThat(accounts.snapshot()).isEqualTo(before);
    JsonNode details = onlyResult().body().path("failureDetails");
    assertThat(details.path("type").asText()).isEqualTo("JobFailed");
    assertThat(details.path("message").asText())
        .startsWith("APPROVAL_REQUIRED: ")
        .contains("of orders-api-stage has no Manual approval action that succeeded");

    // A rejected approval is no approval either.
    codePipelineApi.notApproved("Failed");
    invoke(handler(null), stageToProd(stageVersion), TestContext.plentyOfTime());
    assertThat(accounts.snapshot()).isEqualTo(before);
  }

  @Test
  void jobOfAnotherEnvironmentsPipeline_isRefused() throws Exception {
    publish(R1, 50_000, 1);
    String stageVersion = promoteToStageDirectly();
    String event = stageToProd(stageVersion);
    // The job exists, but in dev's pipeline: it cannot vouch for what stage deployed.
    codePipelineApi.job(STAGE_TO_PROD_JOB, "333333333333", "orders-api-dev", stageVersion);
    List<String> before = accounts.snapshot();

    invoke(handler(null), event, TestContext.plentyOfTime());

    assertThat(accounts.snapshot()).isEqualTo(before);
    assertThat(onlyResult().body().path("failureDetails").path("message").asText())
        .contains("runs in pipeline orders-api-dev, which is not one of stage's pipelines");
  }

  /** Attack 7: a job id with a newline wrote a forged "INFO ... promoted ..." line. */
  @Test
  void jobIdWithANewline_forgesNoLogLine_callsNoCodePipeline_andWritesNothing() throws Exception {
    publish(R1, 50_000, 1);
    List<String> before = accounts.snapshot();
    String forgedLine =
        "INFO org.artifactpromoter.promotion.DirectInvocation PROMOTED orders-api dev -> prod";
    String event =
        event("job-dev-to-stage.json", Map.of())
            .replace(DEV_TO_STAGE_JOB, DEV_TO_STAGE_JOB + "\\n" + forgedLine);

    invoke(handler(null), event, TestContext.plentyOfTime());

    assertThat(accounts.snapshot()).isEqualTo(before);
    assertThat(codePipelineApi.calls("GetJobDetails")).isEmpty();
    assertThat(codePipelineApi.results()).isEmpty();
    assertThat(logs.text())
        .contains("job id is not a CodePipeline job id")
        .doesNotContain(forgedLine)
        .doesNotContain("PROMOTED orders-api");
  }

  /**
   * Attack 3: a well-formed continuation token claiming an approver was believed, and its revision
   * replaced the input artifact's.
   */
  @Test
  void forgedContinuationToken_neverRecordsItsApprover_norPromotesItsRevision() throws Exception {
    publish(R1, 50_000, 1);
    publish(R2, 50_000, 2);
    String ciso = "arn:aws:iam::444444444444:user/ciso";
    String event = event("job-dev-to-stage.json", Map.of());
    List<String> before = accounts.snapshot();

    // Its revision is not the job's: refused before anything is written or aborted.
    String otherRevision =
        "{\"v\":1,\"ph\":\"R\",\"rev\":\""
            + R2
            + "\",\"up\":\"forged\",\"n\":3,\"by\":\""
            + ciso
            + "\"}";
    invoke(handler(null), continued(event, otherRevision), TestContext.plentyOfTime());
    assertThat(accounts.snapshot()).isEqualTo(before);
    assertThat(onlyResult().body().path("failureDetails").path("message").asText())
        .startsWith("APPROVAL_REQUIRED: The continuation token names revision " + R2);
  }

  /** Attack 3: a real token of this job with a forged approver added. */
  @Test
  void continuationTokenWithAForgedApprover_recordsTheApproverCodePipelineReports()
      throws Exception {
    String ciso = "arn:aws:iam::444444444444:user/ciso";
    publish(R1, 15_000_000, 1);
    PromoteHandler handler = handler(SMALL_PARTS);
    String event = event("job-dev-to-stage.json", Map.of());
    invoke(handler, event, TestContext.timeForChecks(1));
    String real = onlyResult().body().path("continuationToken").asText();
    assertThat(real).isNotEmpty();
    String forged =
        real.substring(0, real.length() - 1) + ",\"by\":\"" + ciso + "\",\"note\":\"ok\"}";
    codePipelineApi.reset();

    invoke(handler, continued(event, forged), TestContext.plentyOfTime());

    // The copy completes; the approver on record is the one CodePipeline reports for the
    // execution on this invocation.
    assertThat(onlyResult().body().path("outputVariables").path("status").asText())
        .isEqualTo("PROMOTED");
    assertThat(dropKeyTags("stage"))
        .containsEntry("approved-by", CodePipelineStub.APPROVER)
        .doesNotContainValue(ciso);
    assertThat(dropKeyHead("stage").metadata())
        .containsEntry("approved-by", CodePipelineStub.APPROVER)
        .doesNotContainValue(ciso);
    assertThat(codePipelineApi.calls("GetJobDetails")).hasSize(1);
    assertThat(logs.text()).doesNotContain("444444444444:user/ciso");
  }

  @Test
  void continuedJob_whoseApprovalIsNoLongerThere_writesNothing() throws Exception {
    publish(R1, 15_000_000, 1);
    PromoteHandler handler = handler(SMALL_PARTS);
    String event = event("job-dev-to-stage.json", Map.of());
    invoke(handler, event, TestContext.timeForChecks(1));
    String suspended = onlyResult().body().path("continuationToken").asText();
    codePipelineApi.reset();
    codePipelineApi.notApproved("InProgress");
    List<String> before = accounts.snapshot();

    invoke(handler, continued(event, suspended), TestContext.plentyOfTime());

    assertThat(accounts.snapshot()).isEqualTo(before);
    assertThat(dropKeyVersions("stage")).isEmpty();
    assertThat(onlyResult().operation()).isEqualTo("PutJobFailureResult");
  }

  // ---------------------------------------------------------------- refusals

  @Test
  void malformedUserParameters_failsAsConfigurationErrorBeforeAnyAwsCall() throws Exception {
    publish(R1, 10_000, 1);
    List<String> before = accounts.snapshot();

    invoke(
        handler(null),
        event("job-malformed-user-parameters.json", Map.of()),
        TestContext.plentyOfTime());

    String job = "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
    assertThat(onlyResult().operation()).isEqualTo("PutJobFailureResult");
    assertThat(onlyResult().body())
        .isEqualTo(
            json(
                failure(
                    job,
                    "ConfigurationError",
                    "INVALID_REQUEST: The Invoke action's UserParameters is not valid JSON:"
                        + " Unrecognized token 'function': was expecting (JSON String, Number,"
                        + " Array, Object or token 'null', 'true' or 'false'). Send a JSON object."
                        + " For example: {\"function\": \"orders-api\", \"from\": \"dev\", \"to\":"
                        + " \"stage\"}.")));
    assertThat(codePipelineApi.calls("GetJobDetails")).isEmpty();
    assertThat(accounts.snapshot()).isEqualTo(before);
  }

  @Test
  void missingUserParameters_failsAsConfigurationError() throws Exception {
    List<String> before = accounts.snapshot();

    invoke(
        handler(null),
        event("job-missing-user-parameters.json", Map.of()),
        TestContext.plentyOfTime());

    assertThat(onlyResult().body())
        .isEqualTo(
            json(
                failure(
                    "1d2e3f4a-5b6c-4d7e-9f8a-0b1c2d3e4f5a",
                    "ConfigurationError",
                    "INVALID_REQUEST: The Invoke action's UserParameters are missing. Set them to a"
                        + " JSON object such as {\"function\": \"orders-api\", \"from\": \"dev\","
                        + " \"to\": \"stage\"}.")));
    assertThat(accounts.snapshot()).isEqualTo(before);
  }

  @Test
  void missingInputArtifact_failsAsConfigurationError() throws Exception {
    publish(R1, 10_000, 1);
    List<String> before = accounts.snapshot();

    invoke(
        handler(null), event("job-no-input-artifact.json", Map.of()), TestContext.plentyOfTime());

    Call result = onlyResult();
    assertThat(result.operation()).isEqualTo("PutJobFailureResult");
    assertThat(result.body().path("failureDetails").path("type").asText())
        .isEqualTo("ConfigurationError");
    assertThat(result.body().path("failureDetails").path("message").asText())
        .startsWith("INVALID_REQUEST: The Invoke action has no input artifact.");
    assertThat(accounts.snapshot()).isEqualTo(before);
  }

  @Test
  void inputArtifactAtAVersionThatDoesNotExist_failsAsJobFailed() throws Exception {
    publish(R1, 10_000, 1);
    PromoteHandler handler = handler(null);
    promoteToStageDirectly();
    List<String> before = accounts.snapshot();
    String missing = "Fq0Oo0rQbTn3Zz0DPmV7eXAMPLE.kZvY";

    invoke(handler, stageToProd(missing), TestContext.plentyOfTime());

    assertThat(onlyResult().body())
        .isEqualTo(
            json(
                failure(
                    STAGE_TO_PROD_JOB,
                    "JobFailed",
                    "REVISION_NOT_FOUND: Version "
                        + missing
                        + " of s3://acme-stage-artifacts/drop/orders-api.zip (the package this"
                        + " pipeline execution deployed) does not exist. Re-run the pipeline from"
                        + " its source stage.")));
    assertThat(accounts.snapshot()).isEqualTo(before);
  }

  @Test
  void promotionNotInTheGraph_failsAsConfigurationError() throws Exception {
    String devToProd =
        event(
            "job-dev-to-stage.json",
            Map.of("\\\"to\\\": \\\"stage\\\"", "\\\"to\\\": \\\"prod\\\""));

    invoke(handler(null), devToProd, TestContext.plentyOfTime());

    JsonNode details = onlyResult().body().path("failureDetails");
    assertThat(details.path("type").asText()).isEqualTo("ConfigurationError");
    assertThat(details.path("message").asText())
        .startsWith("PROMOTION_NOT_ALLOWED: The Invoke action's UserParameters are not valid:")
        .contains("Promoting dev -> prod is not allowed");
  }

  @Test
  void invalidPromotionConfig_failsEveryJobAsConfigurationError() throws Exception {
    String endpointProperty = "aws.endpointUrlCodePipeline";
    System.setProperty(endpointProperty, codePipelineApi.endpoint().toString());
    try {
      PromoteHandler handler =
          new PromoteHandler(PromoteFunction.forRuntime("{\"environments\": {}}"));

      invoke(handler, event("job-dev-to-stage.json", Map.of()), TestContext.plentyOfTime());
    } finally {
      System.clearProperty(endpointProperty);
    }

    JsonNode details = onlyResult().body().path("failureDetails");
    assertThat(details.path("type").asText()).isEqualTo("ConfigurationError");
    assertThat(details.path("message").asText())
        .startsWith(
            "INVALID_REQUEST: The promote function's configuration (PROMOTION_CONFIG) is not"
                + " valid: Promotion configuration needs an \"environments\" object");
  }

  // ---------------------------------------------------------------- at most once

  @Test
  void replayedJob_reportsSuccessWithoutWritingAgain() throws Exception {
    publish(R1, 50_000, 1);
    PromoteHandler handler = handler(null);
    String event = event("job-dev-to-stage.json", Map.of());
    invoke(handler, event, TestContext.plentyOfTime());
    String firstVersion = dropKeyHead("stage").versionId();
    List<String> afterFirst = accounts.snapshot();

    // Lambda retries an invocation whose result was lost: same job, same promotion id.
    invoke(handler, event, TestContext.plentyOfTime());

    assertThat(accounts.snapshot()).isEqualTo(afterFirst);
    assertThat(dropKeyVersions("stage")).hasSize(1);
    List<Call> results = codePipelineApi.results();
    assertThat(results).hasSize(2).allMatch(c -> c.operation().equals("PutJobSuccessResult"));
    JsonNode replay = results.get(1).body();
    assertThat(replay.path("executionDetails").path("summary").asText())
        .isEqualTo(
            "orders-api "
                + R1.substring(0, 7)
                + " was already promoted dev -> stage: stage drop/orders-api.zip holds it as"
                + " version "
                + firstVersion
                + " (promotion "
                + promotionId(DEV_TO_STAGE_JOB)
                + "). Nothing was written. Approved by "
                + CodePipelineStub.APPROVER
                + ".");
    assertThat(replay.path("outputVariables").path("status").asText())
        .isEqualTo("ALREADY_PROMOTED");
    assertThat(replay.path("outputVariables").path("dropKeyVersionId").asText())
        .isEqualTo(firstVersion);

    // CodePipeline refuses a second result for a finished job: the handler accepts that quietly.
    codePipelineApi.answer("PutJobSuccessResult", error(400, "InvalidJobStateException"));
    invoke(handler, event, TestContext.plentyOfTime());
    assertThat(codePipelineApi.results()).hasSize(3);
    assertThat(accounts.snapshot()).isEqualTo(afterFirst);
  }

  @Test
  void failingResultCall_isRetriedUntilAcceptedExactlyOnce() throws Exception {
    publish(R1, 50_000, 1);
    codePipelineApi.answerInTurn(
        "PutJobSuccessResult",
        error(500, "InternalFailure"),
        error(400, "ThrottlingException"),
        ok("{}"));

    invoke(handler(null), event("job-dev-to-stage.json", Map.of()), TestContext.plentyOfTime());

    List<Call> results = codePipelineApi.results();
    assertThat(results).extracting(Call::status).containsExactly(500, 400, 200);
    assertThat(results).extracting(Call::operation).containsOnly("PutJobSuccessResult");
    // The same result each time, and only the last one accepted.
    assertThat(results).extracting(Call::body).containsOnly(results.get(0).body());
    assertThat(results).filteredOn(c -> c.status() == 200).hasSize(1);
    assertThat(dropKeyVersions("stage")).hasSize(1);
  }

  @Test
  void resultCallFailingForEver_givesUpBounded_andTheStageRetryReportsTheDonePromotion()
      throws Exception {
    Path pkg = publish(R1, 50_000, 1);
    codePipelineApi.answer("PutJobSuccessResult", error(500, "InternalFailure"));
    String event = event("job-dev-to-stage.json", Map.of());

    invoke(handler(null), event, TestContext.plentyOfTime());

    // The promotion is complete; only CodePipeline never heard of it. The handler returned
    // (never threw) after a bounded number of calls: rounds times the client's attempts.
    assertThat(dropKeyBytes("stage")).isEqualTo(Files.readAllBytes(pkg));
    List<Call> results = codePipelineApi.results();
    assertThat(results)
        .hasSizeBetween(2, 3 * FunctionModule.RESULT_ATTEMPTS)
        .extracting(Call::status)
        .containsOnly(500);
    String promotionId = PromotionIds.forJob(DEV_TO_STAGE_JOB);
    assertThat(logs.text())
        .contains(
            "CodePipeline PutJobSuccessResult promotion "
                + promotionId
                + ": attempt 1 got HTTP 500; attempt 2 of "
                + FunctionModule.RESULT_ATTEMPTS)
        .contains("CodePipeline job " + DEV_TO_STAGE_JOB + ": could not send the result")
        .contains("the job will time out in CodePipeline");

    // The job times out; "Retry" on the stage gives a new job for the same execution, which finds
    // the promotion done and reports it without writing again.
    codePipelineApi.reset();
    List<ObjectVersion> before = dropKeyVersions("stage");
    String retried = "0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6";
    codePipelineApi.created(event.replace(DEV_TO_STAGE_JOB, retried));
    invoke(handler(null), event.replace(DEV_TO_STAGE_JOB, retried), TestContext.plentyOfTime());

    Call result = onlyResult();
    assertThat(result.operation()).isEqualTo("PutJobSuccessResult");
    assertThat(result.body().path("jobId").asText()).isEqualTo(retried);
    assertThat(result.body().path("outputVariables").path("status").asText())
        .isEqualTo("ALREADY_PROMOTED");
    assertThat(dropKeyVersions("stage")).isEqualTo(before);
  }

  // ---------------------------------------------------------------- long copies

  @Test
  void longCopy_continuesAcrossThreeInvocationsAndCompletesOnce() throws Exception {
    Path pkg = publish(R1, 15_000_000, 1);
    PromoteHandler handler = handler(SMALL_PARTS);
    String event = event("job-dev-to-stage.json", Map.of());

    // 1st: time for two of the release's three parts.
    invoke(handler, event, TestContext.timeForChecks(2));
    List<Call> results = codePipelineApi.results();
    assertThat(results).hasSize(1);
    JsonNode first = results.get(0).body();
    String token1 = first.path("continuationToken").asText();
    assertThat(token1).isNotEmpty().hasSizeLessThanOrEqualTo(2048);
    assertThat(json(token1).path("ph").asText()).isEqualTo("R");
    assertThat(json(token1).path("done").asText()).isEqualTo("1-2");
    assertThat(first.has("outputVariables")).isFalse();
    assertThat(first.path("executionDetails").path("summary").asText())
        .startsWith("Copying orders-api " + R1.substring(0, 7) + " dev -> stage: 2 of 3 parts");
    assertThat(first.path("executionDetails").path("percentComplete").asInt()).isEqualTo(33);
    assertThat(dropKeyVersions("stage")).isEmpty();

    // 2nd: the release's last part completes it; the drop key's copy gets one part.
    invoke(handler, continued(event, token1), TestContext.timeForChecks(2));
    results = codePipelineApi.results();
    assertThat(results).hasSize(2);
    String token2 = results.get(1).body().path("continuationToken").asText();
    assertThat(token2).isNotEmpty().hasSizeLessThanOrEqualTo(2048);
    assertThat(json(token2).path("ph").asText()).isEqualTo("D");
    assertThat(json(token2).path("done").asText()).isEqualTo("1");
    // The token carries no approver: each invocation asks CodePipeline again.
    assertThat(json(token2).has("by")).isFalse();
    assertThat(dropKeyVersions("stage")).isEmpty();

    // 3rd: the rest.
    invoke(handler, continued(event, token2), TestContext.plentyOfTime());
    results = codePipelineApi.results();
    assertThat(results).hasSize(3).extracting(Call::operation).containsOnly("PutJobSuccessResult");
    JsonNode last = results.get(2).body();
    assertThat(last.has("continuationToken")).isFalse();
    assertThat(last.path("outputVariables").path("status").asText()).isEqualTo("PROMOTED");
    assertThat(last.path("outputVariables").path("sha256").asText()).isEqualTo(Sha256.hexOf(pkg));
    assertThat(last.path("outputVariables").path("dropKeyVersionId").asText())
        .isEqualTo(dropKeyHead("stage").versionId());
    assertThat(dropKeyVersions("stage")).hasSize(1);
    assertThat(sha256(dropKeyBytes("stage"))).isEqualTo(Sha256.hexOf(pkg));
    assertThat(dropKeyTags("stage")).containsEntry("approved-by", CodePipelineStub.APPROVER);
    assertThat(openUploads("stage")).isZero();
    // Every invocation verified the job and its approval again; the token carried no approver.
    assertThat(codePipelineApi.calls("GetJobDetails")).hasSize(3);
    assertThat(codePipelineApi.calls("ListActionExecutions")).hasSize(3);
  }

  @Test
  void longCopy_whenTheResumedInvocationFails_abortsTheUploadAndFailsTheJob() throws Exception {
    publish(R1, 15_000_000, 1);
    PromoteHandler handler = handler(SMALL_PARTS);
    String event = event("job-dev-to-stage.json", Map.of());
    invoke(handler, event, TestContext.timeForChecks(1));
    String token = codePipelineApi.results().get(0).body().path("continuationToken").asText();
    assertThat(openUploads("stage")).isEqualTo(1);
    // The source release disappears between invocations.
    accounts
        .admin("dev")
        .deleteObject(
            b ->
                b.bucket(LocalAccounts.bucket("dev")).key(ArtifactLayout.releaseKey(FUNCTION, R1)));

    invoke(handler, continued(event, token), TestContext.plentyOfTime());

    List<Call> results = codePipelineApi.results();
    assertThat(results).hasSize(2);
    assertThat(results.get(1).operation()).isEqualTo("PutJobFailureResult");
    assertThat(results.get(1).body().path("failureDetails").path("message").asText())
        .startsWith("REVISION_NOT_FOUND: ");
    assertThat(openUploads("stage")).isZero();
    assertThat(dropKeyVersions("stage")).isEmpty();
  }

  @Test
  void logCapture_seesTheHandlersLogLines() throws Exception {
    invoke(
        handler(null),
        event("job-missing-user-parameters.json", Map.of()),
        TestContext.plentyOfTime());

    // Proves the capture works, so the secret check after every test means something.
    assertThat(logs.text())
        .contains(
            "CodePipeline job 1d2e3f4a-5b6c-4d7e-9f8a-0b1c2d3e4f5a: failed (ConfigurationError)");
  }
}
