package org.artifactpromoter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.artifactpromoter.announce.PromotionAnnouncer;
import org.artifactpromoter.events.PromotionEvent;
import org.artifactpromoter.events.PromotionEventPublisher;
import org.artifactpromoter.events.PromotionEventSink;
import org.artifactpromoter.json.Json;
import org.artifactpromoter.model.ObjectVersion;
import org.artifactpromoter.model.PartRanges;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.pipeline.PromotionJob.Approval;
import org.artifactpromoter.promotion.Continuation;
import org.artifactpromoter.promotion.PromotionRequest;
import org.artifactpromoter.promotion.PromotionResult;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.codepipeline.model.FailureType;
import software.amazon.awssdk.services.codepipeline.model.PutJobFailureResultRequest;

class CodePipelineJobHandlerTest {
  private static final String JOB_ID = "5f0e4c1a-7b2d-4e3f-9a8b-1c2d3e4f5a6b";
  private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

  private static PromotionResult result(PromotionResult.Status status) {
    return new PromotionResult(
        status,
        "job-1",
        "orders-api",
        "dev",
        "stage",
        COMMIT,
        "ab".repeat(32),
        10,
        new ObjectVersion("acme-stage-artifacts", "releases/orders-api/" + COMMIT + ".zip", "r1"),
        new ObjectVersion("acme-stage-artifacts", "drop/orders-api.zip", "d1"),
        null,
        null,
        false,
        null);
  }

  @Test
  void successSummary_saysWhatWasPromotedWhereAndWhoApproved() {
    String summary =
        PromotionJob.successSummary(
            result(PromotionResult.Status.PROMOTED),
            Approval.by("arn:aws:iam::111111111111:user/alice"));

    assertThat(summary)
        .isEqualTo(
            "Promoted orders-api 0123456 dev -> stage: stage drop/orders-api.zip is now version"
                + " d1. Approved by arn:aws:iam::111111111111:user/alice.");
  }

  @Test
  void successSummary_whenAlreadyPromoted_saysNothingWasWritten() {
    String summary =
        PromotionJob.successSummary(
            result(PromotionResult.Status.ALREADY_PROMOTED), Approval.unknown("no permission"));

    assertThat(summary)
        .contains("was already promoted dev -> stage")
        .contains("Nothing was written.")
        .endsWith("Approver not recorded: no permission.");
  }

  @Test
  void continuingSummaryAndPercent_countPartsPerPhase() {
    PromotionRequest request =
        new PromotionRequest("orders-api", "dev", "stage", COMMIT, false, null);
    Continuation release =
        new Continuation(
            "job-1", COMMIT, Continuation.Phase.RELEASE, "u", PartRanges.parse("1-2"), 4, "sv-1");
    Continuation drop =
        new Continuation(
            "job-1", COMMIT, Continuation.Phase.DROP_KEY, "u", PartRanges.parse("1,3"), 4, "sv-1");

    assertThat(PromotionJob.continuingSummary(request, release))
        .isEqualTo(
            "Copying orders-api 0123456 dev -> stage: 2 of 4 parts of the release"
                + " releases/orders-api/"
                + COMMIT
                + ".zip copied; the copy continues in the next invocation.");
    assertThat(PromotionJob.percentComplete(release)).isEqualTo(25);
    assertThat(PromotionJob.percentComplete(drop)).isEqualTo(75);
    assertThat(PartRanges.parse("1-12,15,17-18").count()).isEqualTo(15);
  }

  @Test
  void requestedBy_isTheApproversNameOrTheService() {
    assertThat(
            PromotionJob.requestedBy(
                Approval.by("arn:aws:sts::111111111111:assumed-role/Approver/alice")))
        .isEqualTo("alice");
    assertThat(PromotionJob.requestedBy(Approval.unknown("x"))).isEqualTo("codepipeline");
  }

  private static JsonNode event(String userParameters) {
    return Json.parseObject(
        "{\"CodePipeline.job\":{\"id\":\""
            + JOB_ID
            + "\",\"data\":{\"actionConfiguration\":"
            + "{\"configuration\":{\"UserParameters\":"
            + Json.write(userParameters)
            + "}},\"inputArtifacts\":[{\"name\":\"src\",\"revision\":\""
            + COMMIT
            + "\"}],\"artifactCredentials\":{\"secretAccessKey\":\"s\"}}}}",
        "test event");
  }

  /** What the handler announced: a sink that records, no network. */
  private final List<PromotionEvent> events = new ArrayList<>();

  private final PromotionEventSink eventsSink =
      (event, timeLeft) -> {
        events.add(event);
        return new PromotionEventPublisher.Publication(true, 1, null);
      };

  @Test
  void handle_whenSomethingUnexpectedThrows_failsTheJobOnceAndDoesNotThrow() {
    FakeCodePipeline codePipeline = new FakeCodePipeline();
    // Whatever breaks inside the job's work, the job gets exactly one JobFailed result.
    CodePipelineJobHandler handler =
        new CodePipelineJobHandler(
            (event, run) -> {
              throw new NullPointerException();
            },
            PipelineClients.single(codePipeline),
            new PromotionAnnouncer(eventsSink));

    handler.handle(
        event("{\"function\":\"orders-api\",\"from\":\"dev\",\"to\":\"stage\"}"),
        Invocation.unbounded());

    assertThat(codePipeline.requests).hasSize(1);
    var sent = (PutJobFailureResultRequest) codePipeline.requests.get(0);
    assertThat(sent.jobId()).isEqualTo(JOB_ID);
    assertThat(sent.failureDetails().type()).isEqualTo(FailureType.JOB_FAILED);
    assertThat(sent.failureDetails().message())
        .startsWith("INTERNAL: Unexpected failure (NullPointerException).");
    assertThat(sent.failureDetails().externalExecutionId()).isEqualTo("job-" + JOB_ID);
    assertThat(events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.detailType()).isEqualTo("Promotion Failed");
              assertThat(e.detail().get("error").asText()).isEqualTo("INTERNAL");
              assertThat(e.detail().get("promotionId").asText()).isEqualTo("job-" + JOB_ID);
            });
  }

  @Test
  void handle_whenConfigurationIsInvalid_failsEveryJobAsConfigurationError() {
    FakeCodePipeline codePipeline = new FakeCodePipeline();
    CodePipelineJobHandler handler =
        new CodePipelineJobHandler(
            new ConfigurationErrorJob(
                PromotionException.invalid("Promotion configuration is empty.")),
            PipelineClients.single(codePipeline),
            new PromotionAnnouncer(eventsSink));

    handler.handle(event("{}"), Invocation.unbounded());

    var sent = (PutJobFailureResultRequest) codePipeline.requests.get(0);
    assertThat(codePipeline.requests).hasSize(1);
    assertThat(sent.failureDetails().typeAsString()).isEqualTo("ConfigurationError");
    assertThat(sent.failureDetails().message())
        .isEqualTo(
            "INVALID_REQUEST: The promote function's configuration (PROMOTION_CONFIG) is not"
                + " valid: Promotion configuration is empty. Fix the function's PROMOTION_CONFIG"
                + " environment variable, then retry the action.");
    assertThat(events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.detailType()).isEqualTo("Promotion Refused");
              assertThat(e.detail().get("status").asText()).isEqualTo("FAILED");
              assertThat(e.detail().get("error").asText()).isEqualTo("INVALID_REQUEST");
            });
  }

  @Test
  void handle_whenTheJobPromoted_announcesItsSuccessWithTheApprover_afterReportingIt() {
    FakeCodePipeline codePipeline = new FakeCodePipeline();
    CodePipelineJobHandler handler =
        new CodePipelineJobHandler(
            (event, run) -> {
              run.promoting(
                  new PromotionRequest("orders-api", "dev", "stage", COMMIT, false, null));
              run.approvedBy("arn:aws:iam::111111111111:user/alice");
              run.completed(result(PromotionResult.Status.PROMOTED));
              return new JobResult.Succeeded("done", java.util.Map.of(), run.promotionId);
            },
            PipelineClients.single(codePipeline),
            new PromotionAnnouncer(
                (event, timeLeft) -> {
                  // The job's result went first: it has a deadline of its own.
                  assertThat(codePipeline.requests).hasSize(1);
                  return eventsSink.publish(event, timeLeft);
                }));

    handler.handle(event("{}"), Invocation.unbounded());

    assertThat(events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.detailType()).isEqualTo("Promotion Succeeded");
              assertThat(e.detail().get("status").asText()).isEqualTo("PROMOTED");
              assertThat(e.detail().get("function").asText()).isEqualTo("orders-api");
              assertThat(e.detail().get("revision").asText()).isEqualTo(COMMIT);
              assertThat(e.detail().get("approvedBy").asText())
                  .isEqualTo("arn:aws:iam::111111111111:user/alice");
            });
  }

  @Test
  void handle_whenTheJobContinues_announcesNothingYet() {
    FakeCodePipeline codePipeline = new FakeCodePipeline();
    CodePipelineJobHandler handler =
        new CodePipelineJobHandler(
            (event, run) -> new JobResult.Continuing("token", "copying", 40, run.promotionId),
            PipelineClients.single(codePipeline),
            new PromotionAnnouncer(eventsSink));

    handler.handle(event("{}"), Invocation.unbounded());

    assertThat(codePipeline.requests).hasSize(1);
    assertThat(events).isEmpty();
  }

  @Test
  void handle_whenTheEventHasNoJobId_reportsNothing() {
    FakeCodePipeline codePipeline = new FakeCodePipeline();
    CodePipelineJobHandler handler =
        new CodePipelineJobHandler(
            new ConfigurationErrorJob(PromotionException.invalid("x")),
            PipelineClients.single(codePipeline),
            new PromotionAnnouncer(eventsSink));

    handler.handle(Json.parseObject("{\"CodePipeline.job\":{}}", "t"), Invocation.unbounded());

    assertThat(codePipeline.requests).isEmpty();
    assertThat(events).isEmpty();
  }

  @Test
  void handle_whenTheJobIdCarriesAForgedLogLine_logsNoPartOfItAndCallsNoCodePipeline() {
    FakeCodePipeline codePipeline = new FakeCodePipeline();
    CodePipelineJobHandler handler =
        new CodePipelineJobHandler(
            (event, run) -> {
              throw new AssertionError("an invalid job id must not reach the job's work");
            },
            PipelineClients.single(codePipeline),
            new PromotionAnnouncer(eventsSink));
    String forged =
        JOB_ID
            + "\nINFO org.artifactpromoter.promotion.DirectInvocation PROMOTED orders-api stage ->"
            + " prod revision "
            + COMMIT;
    List<String> lines = new ArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            lines.add(new SimpleFormatter().formatMessage(record));
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger root = Logger.getLogger("");
    root.addHandler(capture);
    try {
      handler.handle(
          Json.parseObject(
              "{\"CodePipeline.job\":{\"id\":" + Json.write(forged) + ",\"data\":{}}}", "t"),
          Invocation.unbounded());
    } finally {
      root.removeHandler(capture);
    }

    assertThat(codePipeline.requests).isEmpty();
    assertThat(lines)
        .anySatisfy(line -> assertThat(line).contains("is not a CodePipeline job id"))
        .allSatisfy(line -> assertThat(line).doesNotContain("PROMOTED").doesNotContain("\n"));
  }
}
