package org.artifactpromoter.artifact;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where an artifact version is: the {@code release} and {@code dropKey} of a result. A null {@code
 * versionId} (omitted in JSON) means not written: a dry run's plan.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArtifactLocation(String bucket, String key, String versionId) {}
