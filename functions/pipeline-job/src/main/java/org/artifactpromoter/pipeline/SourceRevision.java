package org.artifactpromoter.pipeline;

import java.util.regex.Pattern;
import org.artifactpromoter.model.CommitId;
import org.artifactpromoter.model.PromotionException;

/**
 * The revision this pipeline execution carried, read from the action's first input artifact: a git
 * commit (the first account's pipeline has a repository source) or the S3 version id of the drop
 * key the account's S3 source action picked up. Exactly one of the two is set.
 */
public record SourceRevision(String gitRevision, String dropKeyVersion) {
  /** S3 version ids are opaque, printable and short; anything else is not one. */
  private static final Pattern S3_VERSION = Pattern.compile("[\\x21-\\x7e]{1,1024}");

  public static SourceRevision of(CodePipelineEvent.Job job) {
    var artifacts = job.data().inputArtifacts();
    if (artifacts.isEmpty()) {
      throw PromotionException.invalid(
          "The Invoke action has no input artifact. Give it the source action's output artifact"
              + " as its first input artifact: its revision decides what is promoted.");
    }
    CodePipelineEvent.Artifact first = artifacts.get(0);
    String revision = first.revision();
    String name = first.name() == null ? "" : " \"" + first.name() + "\"";
    if (revision == null || revision.isBlank()) {
      throw PromotionException.invalid(
          "The first input artifact"
              + name
              + " carries no revision. Make the source action's output artifact (a repository"
              + " commit or the artifact bucket's drop key) the Invoke action's first input"
              + " artifact, not a build output.");
    }
    String commit = CommitId.normalised(revision);
    if (commit != null) {
      return new SourceRevision(commit, null);
    }
    if (S3_VERSION.matcher(revision).matches()) {
      return new SourceRevision(null, revision);
    }
    throw PromotionException.invalid(
        "The first input artifact"
            + name
            + " has a revision that is neither a 40-character git commit nor an S3 version id."
            + " Make the source action's output artifact the Invoke action's first input"
            + " artifact.");
  }
}
