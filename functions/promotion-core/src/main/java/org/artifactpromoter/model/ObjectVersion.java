package org.artifactpromoter.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One version of one object in a bucket: the {@code release} and {@code dropKey} of a result. A
 * null {@code versionId} (omitted in JSON) means not written: a dry run's plan, or an unversioned
 * bucket.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ObjectVersion(String bucket, String key, String versionId) {
  /** {@code s3://bucket/key}, for messages. */
  public String uri() {
    return "s3://" + bucket + "/" + key;
  }
}
