package org.artifactpromoter.artifact;

import org.artifactpromoter.model.PartRanges;

/** What a copy did: wrote the version, or stopped between parts for lack of time. */
public sealed interface CopyOutcome {
  /** The version now at the target key. */
  record Written(ArtifactVersion version) implements CopyOutcome {}

  /**
   * A multipart copy stopped between parts; {@code uploadId} resumes it. Not a failure: the upload
   * stays open, invisible at its key until completed.
   */
  record Suspended(String uploadId, PartRanges completedParts, int totalParts)
      implements CopyOutcome {}
}
