package org.artifactpromoter.artifact;

import java.util.Map;

/**
 * One object to write from a verified source version.
 *
 * @param source the exact source version, already checked against {@code expectedSha256}
 * @param ifAbsent write only if the target key does not exist (release objects)
 */
public record CopySpec(
    StoredArtifact source,
    String targetBucket,
    String targetKey,
    String expectedSha256,
    Map<String, String> metadata,
    Map<String, String> tags,
    String kmsKeyArn,
    boolean ifAbsent) {}
