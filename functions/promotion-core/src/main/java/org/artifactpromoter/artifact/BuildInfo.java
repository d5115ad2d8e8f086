package org.artifactpromoter.artifact;

import org.artifactpromoter.model.CommitId;

/**
 * What a package carries from its build to every account it reaches: the commit it was built from,
 * that commit's branch, repository and message, and the build's id. Only {@code revision} is
 * required; the others are null when unknown.
 */
public record BuildInfo(
    String revision, String branch, String repository, String message, String buildId) {

  public String shortRevision() {
    return CommitId.abbreviated(revision);
  }

  /** The first line of the commit message, or "" when there is none. */
  public String subject() {
    if (message == null) {
      return "";
    }
    String trimmed = message.strip();
    int newline = trimmed.indexOf('\n');
    return (newline < 0 ? trimmed : trimmed.substring(0, newline)).strip();
  }
}
