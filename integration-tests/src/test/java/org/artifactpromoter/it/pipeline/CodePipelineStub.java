package org.artifactpromoter.it.pipeline;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.artifactpromoter.function.FunctionComponent;
import org.artifactpromoter.function.PipelineEndpoint;
import org.artifactpromoter.lambda.PromoteHandler;

/**
 * CodePipeline's job API (which moto lacks) served by WireMock on a free loopback port: the AWS
 * JSON 1.1 protocol, one POST per call, the operation in the {@code X-Amz-Target} header. Tests
 * assert on the requests it received, as CodePipeline would have seen them.
 */
public final class CodePipelineStub implements AutoCloseable {
  static final String TARGET_PREFIX = "CodePipeline_20150709.";

  /** The dev pipeline of orders-api, named as pipeline-terraform's function-pipeline names it. */
  static final String PIPELINE = "orders-api-dev";

  /** The fixture job events/job-dev-to-stage.json describes: CodePipeline knows it from reset. */
  static final String DEV_TO_STAGE_JOB = "5f0e4c1a-7b2d-4e3f-9a8b-1c2d3e4f5a6b";

  static final String DEV_TO_STAGE_REVISION = "356a192b7913b04c54574d18c28d46e6395428ab";
  static final String EXECUTION = "8c1d3a2e-5f6b-4a7c-9d8e-0f1a2b3c4d5e";
  public static final String APPROVER = "arn:aws:iam::333333333333:user/alice";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final WireMockServer server;

  private CodePipelineStub(WireMockServer server) {
    this.server = server;
  }

  public static CodePipelineStub start() {
    WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
    CodePipelineStub stub = new CodePipelineStub(server);
    stub.reset();
    return stub;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.port());
  }

  /**
   * The promote handler as the Lambda runtime builds it from {@code configJson}, but reporting jobs
   * to this stub. As in production, jobs of pipelines in an environment's account are reported
   * through that environment's promotion role; only the endpoint is local.
   */
  public PromoteHandler promoteHandler(String configJson) {
    return new PromoteHandler(
        FunctionComponent.fromConfig(configJson, PipelineEndpoint.at(endpoint())));
  }

  /**
   * Forgets received requests and jobs, and answers as CodePipeline does when all is well: it knows
   * the dev -> stage fixture job, whose execution has a succeeded Manual approval. Any other job id
   * is answered JobNotFoundException until {@link #created} registers it.
   */
  public void reset() {
    server.resetAll();
    server.stubFor(
        call("GetJobDetails").atPriority(10).willReturn(error(400, "JobNotFoundException")));
    job(DEV_TO_STAGE_JOB, "222222222222", PIPELINE, DEV_TO_STAGE_REVISION);
    approved();
    answer("PutJobSuccessResult", ok("{}"));
    answer("PutJobFailureResult", ok("{}"));
  }

  /**
   * Makes the stub know the job {@code jobEvent} describes, as CodePipeline knows the jobs it
   * creates: its id, account and first input artifact revision, in the pipeline "{function}-{from}"
   * of its UserParameters.
   */
  public void created(String jobEvent) {
    try {
      JsonNode job = JSON.readTree(jobEvent).path("CodePipeline.job");
      JsonNode parameters =
          JSON.readTree(
              job.path("data")
                  .path("actionConfiguration")
                  .path("configuration")
                  .path("UserParameters")
                  .asText());
      job(
          job.path("id").asText(),
          job.path("accountId").asText(),
          parameters.path("function").asText() + "-" + parameters.path("from").asText(),
          job.path("data").path("inputArtifacts").path(0).path("revision").asText());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Answers GetJobDetails for {@code jobId} as CodePipeline does for a job of that execution. */
  public void job(String jobId, String accountId, String pipeline, String revision) {
    ObjectNode details = JSON.createObjectNode();
    ObjectNode job = details.putObject("jobDetails");
    job.put("id", jobId).put("accountId", accountId);
    ObjectNode data = job.putObject("data");
    data.putArray("inputArtifacts")
        .addObject()
        .put("name", "SourceArtifact")
        .put("revision", revision);
    ObjectNode context = data.putObject("pipelineContext");
    context.put("pipelineName", pipeline);
    context.putObject("stage").put("name", "Promote");
    context.putObject("action").put("name", "Promote").put("actionExecutionId", "a-3");
    context.put("pipelineArn", "arn:aws:codepipeline:us-east-1:" + accountId + ":" + pipeline);
    context.put("pipelineExecutionId", EXECUTION);
    server.stubFor(
        call("GetJobDetails")
            .atPriority(1)
            .withRequestBody(matchingJsonPath("$.jobId", equalTo(jobId)))
            .willReturn(ok(details.toString())));
  }

  /** The execution's actions include a Manual approval by {@link #APPROVER} that succeeded. */
  public void approved() {
    actions("Succeeded");
  }

  /** The execution's Manual approval is still waiting (or was rejected: {@code "Failed"}). */
  public void notApproved(String approvalStatus) {
    actions(approvalStatus);
  }

  private void actions(String approvalStatus) {
    answer(
        "ListActionExecutions",
        ok(
            "{\"actionExecutionDetails\":["
                + action("a-3", "Promote", "Promote", "InProgress", null, "Invoke", 1763780400)
                + ","
                + action(
                    "a-2",
                    "Promote",
                    "Approve",
                    approvalStatus,
                    "Succeeded".equals(approvalStatus) || "Failed".equals(approvalStatus)
                        ? APPROVER
                        : null,
                    "Approval",
                    1763780300)
                + ","
                + action(
                    "a-1",
                    "Source",
                    "Source",
                    "Succeeded",
                    "arn:aws:iam::333333333333:role/pipeline",
                    "Source",
                    1763780000)
                + "]}"));
  }

  private static String action(
      String id,
      String stage,
      String name,
      String status,
      String updatedBy,
      String category,
      long time) {
    return "{\"pipelineExecutionId\":\""
        + EXECUTION
        + "\",\"actionExecutionId\":\""
        + id
        + "\",\"stageName\":\""
        + stage
        + "\",\"actionName\":\""
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
        + ("Approval".equals(category) ? "Manual" : "x")
        + "\",\"version\":\"1\"}}}";
  }

  /** Answers every call of {@code operation} with {@code response}. */
  void answer(String operation, ResponseDefinitionBuilder response) {
    server.stubFor(call(operation).willReturn(response));
  }

  /**
   * Answers successive calls of {@code operation} with {@code responses}, the last one repeating.
   */
  void answerInTurn(String operation, ResponseDefinitionBuilder... responses) {
    String scenario = operation + "-in-turn";
    for (int i = 0; i < responses.length; i++) {
      ScenarioMappingBuilder mapping =
          call(operation)
              .inScenario(scenario)
              .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "answer-" + i);
      if (i + 1 < responses.length) {
        mapping = mapping.willSetStateTo("answer-" + (i + 1));
      }
      server.stubFor(mapping.willReturn(responses[i]));
    }
  }

  private static MappingBuilder call(String operation) {
    return post(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo(TARGET_PREFIX + operation));
  }

  static ResponseDefinitionBuilder ok(String body) {
    return aResponse()
        .withStatus(200)
        .withHeader("Content-Type", "application/x-amz-json-1.1")
        .withBody(body);
  }

  /** An AWS JSON error, as the SDK reads it ({@code __type} names the exception). */
  static ResponseDefinitionBuilder error(int status, String type) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/x-amz-json-1.1")
        .withHeader("x-amzn-ErrorType", type)
        .withBody("{\"__type\":\"" + type + "\",\"message\":\"" + type + " (stub)\"}");
  }

  /** One request the stub received, and the status it answered. */
  public record Call(String operation, JsonNode body, int status) {
    /** The request body with the operation's name first, as one line of JSON. */
    public String asJsonLine() {
      ObjectNode line = JSON.createObjectNode().put("operation", operation);
      if (body instanceof ObjectNode fields) {
        line.setAll(fields);
      } else {
        line.set("body", body);
      }
      return line.toString();
    }
  }

  /**
   * Hands each job result (success or failure) to {@code listener} as the stub answers it, for a
   * caller that cannot ask {@link #results()}: the quick start's separate process.
   */
  public void onResult(Consumer<Call> listener) {
    server.addMockServiceRequestListener(
        (request, response) -> {
          String target =
              request.containsHeader("X-Amz-Target") ? request.getHeader("X-Amz-Target") : "";
          if (target.startsWith(TARGET_PREFIX + "PutJob")) {
            try {
              listener.accept(
                  new Call(
                      target.substring(TARGET_PREFIX.length()),
                      JSON.readTree(request.getBodyAsString()),
                      response.getStatus()));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        });
  }

  /** Calls of {@code operation} in the order they arrived. */
  public List<Call> calls(String operation) {
    List<Call> calls = new ArrayList<>();
    for (ServeEvent event : server.getAllServeEvents()) {
      String target = event.getRequest().getHeader("X-Amz-Target");
      if ((TARGET_PREFIX + operation).equals(target)) {
        try {
          calls.add(
              0,
              new Call(
                  operation,
                  JSON.readTree(event.getRequest().getBodyAsString()),
                  event.getResponse().getStatus()));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return calls;
  }

  /** The access key ids that signed the requests received (from their Authorization headers). */
  public java.util.Set<String> signingAccessKeys() {
    java.util.Set<String> keys = new java.util.TreeSet<>();
    for (ServeEvent event : server.getAllServeEvents()) {
      String authorization = event.getRequest().getHeader("Authorization");
      int at = authorization == null ? -1 : authorization.indexOf("Credential=");
      if (at >= 0) {
        keys.add(authorization.substring(at + "Credential=".length()).split("/", 2)[0]);
      }
    }
    return keys;
  }

  /** Every job result call (success and failure), in order. */
  public List<Call> results() {
    List<Call> all = new ArrayList<>();
    for (ServeEvent event : server.getAllServeEvents()) {
      String target = event.getRequest().getHeader("X-Amz-Target");
      if (target != null && target.startsWith(TARGET_PREFIX + "PutJob")) {
        try {
          all.add(
              0,
              new Call(
                  target.substring(TARGET_PREFIX.length()),
                  JSON.readTree(event.getRequest().getBodyAsString()),
                  event.getResponse().getStatus()));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return all;
  }

  @Override
  public void close() {
    server.stop();
  }
}
