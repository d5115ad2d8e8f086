package org.artifactpromoter.artifact;

/** Where an artifact version is: the {@code release} and {@code dropKey} of a result. */
public record ArtifactLocation(String bucket, String key, String versionId) {}
