package org.artifactpromoter.pipeline;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.CodePipelineException;
import software.amazon.awssdk.services.codepipeline.model.InvalidJobStateException;
import software.amazon.awssdk.services.codepipeline.model.PutJobFailureResultRequest;
import software.amazon.awssdk.services.codepipeline.model.PutJobFailureResultResponse;
import software.amazon.awssdk.services.codepipeline.model.PutJobSuccessResultRequest;
import software.amazon.awssdk.services.codepipeline.model.PutJobSuccessResultResponse;

/**
 * An in-memory CodePipeline for unit tests: records result calls and answers each with the next
 * scripted outcome (null: accepted). Every other operation throws, as the SDK's default methods do.
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

  @Override
  public String serviceName() {
    return "codepipeline";
  }

  @Override
  public void close() {}
}
