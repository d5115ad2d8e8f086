package org.artifactpromoter.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;

/**
 * The work of a function whose configuration is invalid: every job fails with a ConfigurationError
 * that says what is wrong, so the pipeline shows it instead of a timeout.
 */
public final class ConfigurationErrorJob implements JobWork {
  private final PromotionException error;

  public ConfigurationErrorJob(PromotionException error) {
    this.error = error;
  }

  @Override
  public JobResult run(JsonNode event, JobRun run) {
    throw new PromotionException(
        ErrorCode.INVALID_REQUEST,
        "The promote function's configuration (PROMOTION_CONFIG) is not valid: "
            + error.getMessage()
            + " Fix the function's PROMOTION_CONFIG environment variable, then retry the"
            + " action.");
  }
}
