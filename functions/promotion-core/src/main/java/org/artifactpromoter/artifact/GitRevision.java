package org.artifactpromoter.artifact;

/**
 * The git facts a package carries from its build to every account it reaches. Only {@code revision}
 * is required; the others are null when unknown.
 */
public record GitRevision(
    String revision, String branch, String repository, String message, String buildId) {

  public String shortRevision() {
    return revision.substring(0, Math.min(7, revision.length()));
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
