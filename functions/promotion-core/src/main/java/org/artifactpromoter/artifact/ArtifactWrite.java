package org.artifactpromoter.artifact;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One object to write into a store: where, with which recorded SHA-256, metadata and tags. The
 * store adds its own encryption settings.
 *
 * @param expectedSha256 the SHA-256 (hex) the written bytes must have; the store refuses and takes
 *     back a version whose bytes hash otherwise
 * @param ifAbsent write only if the key does not exist yet (release objects)
 */
public record ArtifactWrite(
    String key,
    String expectedSha256,
    Map<String, String> metadata,
    Map<String, String> tags,
    boolean ifAbsent) {

  public ArtifactWrite {
    // Kept in their order: it is the order the headers are sent and the tags listed.
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
  }
}
