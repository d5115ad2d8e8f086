package org.artifactpromoter.pipeline;

import com.fasterxml.jackson.databind.JsonNode;

/** What one job invocation does, turned into the one result it reports. */
@FunctionalInterface
public interface JobWork {
  /** Throws {@link org.artifactpromoter.model.PromotionException} for a refusal. */
  JobResult run(JsonNode event, JobRun run);
}
