package org.artifactpromoter.pipeline;

import software.amazon.awssdk.services.codepipeline.CodePipelineClient;

/**
 * The CodePipeline client to report a job with. A job exists only in its pipeline's account: when
 * the promote function runs in another account (ops), its results and approval look-ups must be
 * made with credentials of the pipeline's account, or CodePipeline answers that the job does not
 * exist and the action waits for its timeout.
 */
public interface PipelineClients {
  /**
   * @param jobAccountId the account of the pipeline (the event's {@code accountId}), or null
   * @param functionAccountId the promote function's own account, or null when unknown
   * @param promotionId the job's promotion: a session opened for it is named after it
   */
  CodePipelineClient forJob(String jobAccountId, String functionAccountId, String promotionId);

  /** One client for every job: pipelines and function in one account, and tests. */
  static PipelineClients single(CodePipelineClient client) {
    return (jobAccountId, functionAccountId, promotionId) -> client;
  }
}
