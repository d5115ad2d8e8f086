package org.artifactpromoter.artifact;

import java.util.SortedSet;

/**
 * A multipart copy stopped between parts for lack of time; {@code uploadId} resumes it. Not a
 * failure: the upload stays open, invisible at its key until completed.
 */
public final class CopySuspendedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String uploadId;
  private final SortedSet<Integer> completedParts;
  private final int totalParts;

  public CopySuspendedException(
      String uploadId, SortedSet<Integer> completedParts, int totalParts) {
    super("copy suspended after " + completedParts.size() + " of " + totalParts + " parts");
    this.uploadId = uploadId;
    this.completedParts = completedParts;
    this.totalParts = totalParts;
  }

  public String uploadId() {
    return uploadId;
  }

  public SortedSet<Integer> completedParts() {
    return completedParts;
  }

  public int totalParts() {
    return totalParts;
  }
}
