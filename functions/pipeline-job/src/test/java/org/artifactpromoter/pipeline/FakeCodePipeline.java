package org.artifactpromoter.pipeline;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.ActionExecutionDetail;
import software.amazon.awssdk.services.codepipeline.model.CodePipelineException;
import software.amazon.awssdk.services.codepipeline.model.GetJobDetailsRequest;
import software.amazon.awssdk.services.codepipeline.model.GetJobDetailsResponse;
import software.amazon.awssdk.services.codepipeline.model.InvalidJobStateException;
import software.amazon.awssdk.services.codepipeline.model.JobDetails;
import software.amazon.awssdk.services.codepipeline.model.JobNotFoundException;
import software.amazon.awssdk.services.codepipeline.model.ListActionExecutionsRequest;
import software.amazon.awssdk.services.codepipeline.model.ListActionExecutionsResponse;
import software.amazon.awssdk.services.codepipeline.model.PutJobFailureResultRequest;
import software.amazon.awssdk.services.codepipeline.model.PutJobFailureResultResponse;
import software.amazon.awssdk.services.codepipeline.model.PutJobSuccessResultRequest;
import software.amazon.awssdk.services.codepipeline.model.PutJobSuccessResultResponse;

/**
 * An in-memory CodePipeline for unit tests: records result calls and answers each with the next
 * scripted outcome (null: accepted); answers GetJobDetails and ListActionExecutions from {@link
 * #job} and {@link #actions}. Every other operation throws, as the SDK's default methods do.
 */
final class FakeCodePipeline implements CodePipelineClient {
  final List<Object> requests = new ArrayList<>();
  private final Deque<RuntimeException> outcomes = new ArrayDeque<>();

  FakeCodePipeline thenFail(RuntimeException e) {
    outcomes.add(e);
    return this;
  }

  static AwsServiceException serviceError(int status, String code) {
    return CodePipelineException.builder()
        .statusCode(status)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build())
        .build();
  }

  static AwsServiceException invalidJobState() {
    return InvalidJobStateException.builder()
        .statusCode(400)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode("InvalidJobStateException").build())
        .build();
  }

  private void answer(Object request) {
    requests.add(request);
    RuntimeException next = outcomes.poll();
    if (next != null) {
      throw next;
    }
  }

  @Override
  public PutJobSuccessResultResponse putJobSuccessResult(PutJobSuccessResultRequest request) {
    answer(request);
    return PutJobSuccessResultResponse.builder().build();
  }

  @Override
  public PutJobFailureResultResponse putJobFailureResult(PutJobFailureResultRequest request) {
    answer(request);
    return PutJobFailureResultResponse.builder().build();
  }

  /** What GetJobDetails answers (null: JobNotFoundException), and ListActionExecutions. */
  JobDetails job;

  List<ActionExecutionDetail> actions = new ArrayList<>();
  RuntimeException listFailure;

  @Override
  public GetJobDetailsResponse getJobDetails(GetJobDetailsRequest request) {
    requests.add(request);
    if (job == null || !job.id().equals(request.jobId())) {
      throw JobNotFoundException.builder()
          .statusCode(400)
          .awsErrorDetails(AwsErrorDetails.builder().errorCode("JobNotFoundException").build())
          .build();
    }
    return GetJobDetailsResponse.builder().jobDetails(job).build();
  }

  @Override
  public ListActionExecutionsResponse listActionExecutions(ListActionExecutionsRequest request) {
    requests.add(request);
    if (listFailure != null) {
      throw listFailure;
    }
    return ListActionExecutionsResponse.builder().actionExecutionDetails(actions).build();
  }

  @Override
  public String serviceName() {
    return "codepipeline";
  }

  @Override
  public void close() {}
}
