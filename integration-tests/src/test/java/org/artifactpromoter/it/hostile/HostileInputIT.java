package org.artifactpromoter.it.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.artifactpromoter.artifact.BuildInfo;
import org.artifactpromoter.function.PromoteFunction;
import org.artifactpromoter.it.pipeline.CodePipelineStub;
import org.artifactpromoter.it.support.AwsProxy;
import org.artifactpromoter.it.support.LocalAccounts;
import org.artifactpromoter.it.support.LogCapture;
import org.artifactpromoter.it.support.MotoServer;
import org.artifactpromoter.json.Json;
import org.artifactpromoter.lambda.PromoteHandler;
import org.artifactpromoter.lambda.PromotionFailedException;
import org.artifactpromoter.model.ErrorCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Guarantee 1 against a corpus of hostile input ({@code src/test/resources/hostile/}, indexed by
 * {@code cases.tsv}): every case, sent as raw bytes to the Lambda entry point wired to four moto
 * accounts, is refused with its error code and a message naming the field; not one object version
 * changes in any bucket, the promoter makes no S3 call and opens no promotion session (a job's
 * refusal is reported through the pipeline account's reporting session only), and no secret of the
 * event or the configuration reaches the answer or a log line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputIT {
  private static final String CORPUS = "/hostile/";
  private static final String INDEX = "cases.tsv";
  private static final String VALID_JOB = "/events/job-dev-to-stage.json";
  private static final String VALID_REQUEST =
      "{\"function\":\"billing-api\",\"from\":\"dev\",\"to\":\"stage\"}";
  private static final String CODEPIPELINE_ENDPOINT = "aws.endpointUrlCodePipeline";

  /** The AssumeRole source identity of the session that reports a job to its pipeline's account. */
  private static final String REPORTING_IDENTITY = "codepipeline-job-results";

  /** Secrets the corpus carries: the events' artifactCredentials, the configurations' ids. */
  private static final List<String> SECRETS =
      List.of(
          "itSecretAccessKey",
          "MustNeverBeLogged",
          "FwoGZXIvYXdzEJr0",
          "ext-dev-5d1e9c",
          "ext-stage-5d1e9c",
          "ext-prod-5d1e9c",
          "secret ext id 9f2c");

  private static final Map<ErrorCode, String> FAILURE_TYPES = new EnumMap<>(ErrorCode.class);

  static {
    FAILURE_TYPES.put(ErrorCode.INVALID_REQUEST, "ConfigurationError");
    FAILURE_TYPES.put(ErrorCode.PROMOTION_NOT_ALLOWED, "ConfigurationError");
    FAILURE_TYPES.put(ErrorCode.INTERNAL, "JobFailed");
  }

  private MotoServer moto;
  private CodePipelineStub codePipeline;
  private LocalAccounts accounts;
  private AwsProxy proxy;
  private PromoteHandler handler;

  /** One line of the index. */
  record Case(String file, String kind, ErrorCode error, String names, String why) {
    @Override
    public String toString() {
      return kind + " " + file + " (" + why + ")";
    }
  }

  @BeforeAll
  void startAccounts() throws Exception {
    Class.forName(PromoteHandler.class.getName(), true, getClass().getClassLoader());
    moto = MotoServer.start();
    codePipeline = CodePipelineStub.start();
    accounts = new LocalAccounts(moto).create();
    Path dir = Files.createTempDirectory("hostile");
    // What a valid request or job would promote: every refusal below had something to write.
    accounts.publish(
        "orders-api",
        "dev",
        LocalAccounts.packageFile(dir, "orders.zip", 20_000, 1),
        new BuildInfo(LocalAccounts.revision(1), "main", null, "orders", null));
    accounts.publish(
        "billing-api",
        "dev",
        LocalAccounts.packageFile(dir, "billing.zip", 20_000, 2),
        new BuildInfo(LocalAccounts.revision(2), "main", null, "billing", null));
    // After LocalAccounts (which points the SDK at moto): the code under test goes through the
    // recording proxy; the fixtures above and the snapshots keep talking to moto directly.
    proxy = AwsProxy.start(moto);
    proxy.routeCodeUnderTest();
    System.setProperty(CODEPIPELINE_ENDPOINT, codePipeline.endpoint().toString());
    handler = new PromoteHandler(PromoteFunction.forRuntime(accounts.configJson(null)));
  }

  @AfterAll
  void stopAccounts() {
    System.clearProperty(CODEPIPELINE_ENDPOINT);
    if (proxy != null) {
      proxy.close();
    }
    if (codePipeline != null) {
      codePipeline.close();
    }
    if (moto != null) {
      moto.close();
    }
  }

  // ---------------------------------------------------------------- the corpus

  static List<Case> corpus() {
    List<Case> cases = new ArrayList<>();
    for (String line : text(resource(INDEX)).split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] column = line.split("\t", -1);
      assertThat(column).as("index line: %s", line).hasSize(5);
      cases.add(new Case(column[0], column[1], ErrorCode.valueOf(column[2]), column[3], column[4]));
    }
    return cases;
  }

  @Test
  void index_listsEveryFileOnceAndEveryListedFileExists() throws Exception {
    Path directory = Path.of(HostileInputIT.class.getResource(CORPUS + INDEX).toURI()).getParent();
    Set<String> files;
    try (Stream<Path> listing = Files.list(directory)) {
      files =
          listing
              .map(p -> p.getFileName().toString())
              .filter(name -> !name.equals(INDEX))
              .collect(Collectors.toCollection(TreeSet::new));
    }
    List<Case> cases = corpus();
    List<String> indexed = cases.stream().map(Case::file).toList();
    Set<String> seen = new HashSet<>();
    assertThat(indexed).as("files listed twice").filteredOn(f -> !seen.add(f)).isEmpty();
    assertThat(new TreeSet<>(indexed)).as("index lines without a file").isSubsetOf(files);
    assertThat(files).as("files missing from " + INDEX).isSubsetOf(new TreeSet<>(indexed));
    assertThat(cases).hasSizeGreaterThanOrEqualTo(40);
    assertThat(cases).extracting(Case::kind).containsOnly("direct", "job", "config");
    for (String kind : List.of("direct", "job", "config")) {
      assertThat(cases).filteredOn(c -> c.kind().equals(kind)).as(kind).hasSizeGreaterThan(10);
    }
    assertThat(cases).allSatisfy(c -> assertThat(c.names()).isNotBlank());
    assertThat(cases).allSatisfy(c -> assertThat(c.why()).isNotBlank());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void hostileInput_isRefusedNamingTheField_andNothingIsWrittenAnywhere(Case c) throws Exception {
    byte[] bytes = resource(c.file());
    proxy.reset();
    codePipeline.reset();
    List<String> before = accounts.snapshot();
    List<String> answers = new ArrayList<>();

    LogCapture logs = LogCapture.start();
    try {
      switch (c.kind()) {
        case "direct" -> answers.add(refusedDirectly(handler, bytes, c));
        case "job" -> answers.add(refusedJob(handler, bytes, jobId(bytes), c));
        case "config" -> {
          PromoteHandler misconfigured =
              new PromoteHandler(PromoteFunction.forRuntime(text(bytes)));
          answers.add(refusedDirectly(misconfigured, VALID_REQUEST.getBytes(UTF8), c));
          codePipeline.reset();
          byte[] job = classpath(VALID_JOB);
          answers.add(refusedJob(misconfigured, job, jobId(job), c));
        }
        default -> throw new IllegalArgumentException("unknown kind " + c.kind());
      }
    } finally {
      logs.close();
    }

    assertThat(accounts.snapshot())
        .as("every object version, metadata, tag, upload")
        .isEqualTo(before);
    assertThat(proxy.s3Writes()).as("S3 write calls").isEmpty();
    // Guarantee 1: refused before any AWS call that touches an account's artifacts. The calls
    // allowed are the refusal's promotion event (PutEvents on the promoter's own bus, issue 14)
    // and, for a job, the one that reports its refusal: the reporting session in the pipeline's
    // account.
    List<AwsProxy.Call> announced = proxy.calls(AwsProxy.PUT_EVENTS);
    List<AwsProxy.Call> others =
        proxy.calls().stream().filter(call -> !announced.contains(call)).toList();
    assertThat(others)
        .as("AWS calls other than the promotion event and opening the job-reporting session")
        .allSatisfy(
            call -> {
              assertThat(call.operation()).isEqualTo("AssumeRole");
              assertThat(call.form()).containsEntry("SourceIdentity", REPORTING_IDENTITY);
            });
    if (!c.kind().equals("job")) {
      assertThat(others).as("AWS calls other than the promotion event").isEmpty();
    }
    for (AwsProxy.Call event : announced) {
      // Refused, or Failed for what the promoter counts as a fault (a forged continuation token is
      // INTERNAL): either way an alert rule sees it.
      assertThat(event.body())
          .as("the refusal's event")
          .contains("\"Source\":\"artifact-promoter\"")
          .containsAnyOf("Promotion Refused", "Promotion Failed");
      for (String secret : SECRETS) {
        assertThat(event.body()).as("the refusal's event").doesNotContain(secret);
      }
    }
    String logText = logs.text();
    for (String secret : SECRETS) {
      assertThat(answers).as("answers").noneMatch(a -> a.contains(secret));
      assertThat(logText).as("log lines").doesNotContain(secret);
    }
    assertThat(logText).doesNotContainIgnoringCase("X-Amz-Security-Token");
  }

  /** Sends {@code bytes} as the Lambda event; returns the error's message after checking it. */
  private String refusedDirectly(PromoteHandler target, byte[] bytes, Case c) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PromotionFailedException[] thrown = new PromotionFailedException[1];
    assertThatThrownBy(() -> target.handleRequest(new ByteArrayInputStream(bytes), out, null))
        .isInstanceOfSatisfying(PromotionFailedException.class, e -> thrown[0] = e);
    JsonNode body = Json.MAPPER.readTree(thrown[0].getMessage());
    assertThat(body.path("status").asText()).isEqualTo("FAILED");
    assertThat(body.path("error").asText()).as("error code").isEqualTo(c.error().name());
    String message = body.path("message").asText();
    assertNames(message, c.names());
    assertThat(out.size()).as("function output").isZero();
    assertThat(codePipeline.results()).as("job results for a direct invocation").isEmpty();
    return thrown[0].getMessage();
  }

  /** Sends a job event; returns the one failure result's message after checking it. */
  private String refusedJob(PromoteHandler target, byte[] bytes, String jobId, Case c)
      throws Exception {
    target.handleRequest(new ByteArrayInputStream(bytes), new ByteArrayOutputStream(), null);
    List<CodePipelineStub.Call> results = codePipeline.results();
    assertThat(results).as("job results").hasSize(1);
    CodePipelineStub.Call result = results.get(0);
    assertThat(result.operation()).isEqualTo("PutJobFailureResult");
    assertThat(result.body().path("jobId").asText()).isEqualTo(jobId);
    JsonNode details = result.body().path("failureDetails");
    assertThat(details.path("type").asText()).isEqualTo(FAILURE_TYPES.get(c.error()));
    String message = details.path("message").asText();
    assertThat(message).startsWith(c.error().name() + ": ");
    assertNames(message, c.names());
    // Refused before the approval was looked up: no other job API call.
    assertThat(codePipeline.calls("GetJobDetails")).isEmpty();
    assertThat(codePipeline.calls("ListActionExecutions")).isEmpty();
    return result.body().toString();
  }

  /** The field as a word of its own: "to" inside "stop" or "Promote" does not count. */
  private static void assertNames(String message, String names) {
    assertThat(message)
        .as("message names %s", names)
        .containsPattern("(?<![\\w-])" + Pattern.quote(names) + "(?![\\w-])");
  }

  // ---------------------------------------------------------------- positive control

  /** The same wiring does write when the input is valid: the assertions above can fail. */
  @Test
  void validJobAndRequest_throughTheSameWiring_doWriteThroughTheProxy() throws Exception {
    proxy.reset();
    codePipeline.reset();
    List<String> before = accounts.snapshot();

    handler.handleRequest(
        new ByteArrayInputStream(classpath(VALID_JOB)), new ByteArrayOutputStream(), null);

    assertThat(codePipeline.results())
        .extracting(CodePipelineStub.Call::operation)
        .containsExactly("PutJobSuccessResult");
    assertThat(proxy.s3Writes()).isNotEmpty();
    assertThat(proxy.assumeRoleCalls())
        .anySatisfy(
            c -> assertThat(c.form().get("SourceIdentity")).isNotEqualTo(REPORTING_IDENTITY));
    List<String> afterJob = accounts.snapshot();
    assertThat(afterJob).isNotEqualTo(before);

    proxy.reset();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(VALID_REQUEST.getBytes(UTF8)), out, null);

    assertThat(Json.MAPPER.readTree(out.toByteArray()).path("status").asText())
        .isEqualTo("PROMOTED");
    assertThat(proxy.s3Writes()).extracting(AwsProxy.Call::operation).contains("CopyObject");
    assertThat(accounts.snapshot()).isNotEqualTo(afterJob);
  }

  // ---------------------------------------------------------------- helpers

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  private static byte[] resource(String file) {
    return classpath(CORPUS + file);
  }

  private static byte[] classpath(String path) {
    try (InputStream in = HostileInputIT.class.getResourceAsStream(path)) {
      assertThat(in).as(path).isNotNull();
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String text(byte[] bytes) {
    return new String(bytes, UTF8);
  }

  private static String jobId(byte[] event) throws IOException {
    return Json.MAPPER.readTree(event).path("CodePipeline.job").path("id").asText();
  }
}
