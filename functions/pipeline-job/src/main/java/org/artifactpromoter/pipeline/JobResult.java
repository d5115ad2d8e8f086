package org.artifactpromoter.pipeline;

import java.util.Map;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;
import software.amazon.awssdk.services.codepipeline.model.FailureType;

/**
 * The one final answer a job invocation gives CodePipeline: it succeeded, it continues in another
 * invocation (a success with a continuation token), or it failed. Texts are cut to CodePipeline's
 * limits here, so a result can always be sent.
 */
public sealed interface JobResult {
  /** CodePipeline's limit on executionDetails.summary. */
  int MAX_SUMMARY = 2048;

  /** CodePipeline's limit on failureDetails.message. */
  int MAX_MESSAGE = 5000;

  /** The promotion id, shown as the action's external execution id. */
  String externalExecutionId();

  /** A short word for the log line. */
  String outcome();

  record Succeeded(String summary, Map<String, String> outputVariables, String externalExecutionId)
      implements JobResult {
    public Succeeded {
      summary = cut(summary, MAX_SUMMARY);
      outputVariables = Map.copyOf(outputVariables);
    }

    @Override
    public String outcome() {
      return "succeeded";
    }
  }

  record Continuing(
      String continuationToken, String summary, int percentComplete, String externalExecutionId)
      implements JobResult {
    public Continuing {
      summary = cut(summary, MAX_SUMMARY);
      percentComplete = Math.max(0, Math.min(99, percentComplete));
    }

    @Override
    public String outcome() {
      return "continuing";
    }
  }

  record Failed(FailureType type, String message, String externalExecutionId) implements JobResult {
    public Failed {
      message = cut(message, MAX_MESSAGE);
    }

    @Override
    public String outcome() {
      return "failed (" + type + ")";
    }
  }

  /** A refusal as a failure: its code decides the type, and leads the message. */
  static Failed failed(PromotionException e, String externalExecutionId) {
    return new Failed(failureType(e.code()), e.code() + ": " + e.getMessage(), externalExecutionId);
  }

  /**
   * ConfigurationError for what the pipeline's author must change (UserParameters, the promoter's
   * configuration, the promotion graph); PermissionError for a role or policy that denies;
   * JobFailed for everything else.
   */
  static FailureType failureType(ErrorCode code) {
    return switch (code) {
      case INVALID_REQUEST, PROMOTION_NOT_ALLOWED -> FailureType.CONFIGURATION_ERROR;
      case ACCESS_DENIED -> FailureType.PERMISSION_ERROR;
      case REVISION_NOT_FOUND,
          INTEGRITY_MISMATCH,
          CONFLICT,
          PROVENANCE_INVALID,
          APPROVAL_REQUIRED,
          INTERNAL ->
          FailureType.JOB_FAILED;
    };
  }

  private static String cut(String text, int max) {
    if (text == null) {
      return "";
    }
    if (text.length() <= max) {
      return text;
    }
    int end = max - 3;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + "...";
  }
}
