package org.artifactpromoter.promotion;

import static org.artifactpromoter.artifact.ArtifactLayout.dropKey;

import org.artifactpromoter.artifact.ArtifactStore;
import org.artifactpromoter.artifact.ArtifactVersion;
import org.artifactpromoter.model.CommitId;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.model.Shown;

/**
 * Decides which revision a promotion moves: asked for, being resumed, or at the source's drop key.
 */
final class RevisionResolver {
  private RevisionResolver() {}

  /**
   * The revision to promote, and the source drop-key version the pipeline execution carried (null
   * for a promotion that names none): the release found must hold that version's bytes.
   */
  record Resolution(String revision, ArtifactVersion carriedDrop) {}

  static Resolution resolve(
      PromotionRequest request, PromotionContext context, ArtifactStore source) {
    String version = context.sourceDropKeyVersion();
    ArtifactVersion drop = version == null ? null : carriedDrop(request, source, version);
    Continuation resume = context.resume();
    if (resume != null) {
      // A continuation token comes back through the event, which anyone allowed to invoke the
      // function can write: its revision stands only if it is the one this job carries.
      String carried =
          request.revision() != null ? request.revision() : drop != null ? revisionOf(drop) : null;
      if (carried == null || !carried.equals(resume.revision())) {
        throw new PromotionException(
            ErrorCode.APPROVAL_REQUIRED,
            "The continuation token names revision "
                + Shown.value(resume.revision())
                + ", but this job's pipeline execution carries "
                + (carried == null ? "no revision the promoter can check" : carried)
                + ": only what the execution carried (and was approved) can be promoted. Nothing"
                + " was written. Retry the action.");
      }
      return new Resolution(carried, drop);
    }
    if (request.revision() != null) {
      return new Resolution(request.revision(), drop);
    }
    // Neither asked for nor carried: the revision at the source's current drop key.
    return new Resolution(
        revisionOf(drop != null ? drop : carriedDrop(request, source, null)), drop);
  }

  private static ArtifactVersion carriedDrop(
      PromotionRequest request, ArtifactStore source, String version) {
    String function = request.function();
    String where = "s3://" + source.bucket() + "/" + dropKey(function);
    ArtifactVersion drop =
        source
            .head(dropKey(function), version)
            .orElseThrow(
                () ->
                    new PromotionException(
                        ErrorCode.REVISION_NOT_FOUND,
                        version == null
                            ? "Nothing is at "
                                + where
                                + ": "
                                + request.from()
                                + " holds no package of "
                                + function
                                + ". Publish it or promote it there first."
                            : "Version "
                                + version
                                + " of "
                                + where
                                + " (the package this pipeline execution deployed) does not"
                                + " exist. Re-run the pipeline from its source stage."));
    return drop;
  }

  private static String revisionOf(ArtifactVersion drop) {
    String where = "s3://" + drop.bucket() + "/" + drop.key();
    String revision = drop.gitRevision();
    if (!CommitId.isValid(revision)) {
      throw new PromotionException(
          ErrorCode.REVISION_NOT_FOUND,
          where
              + " (version "
              + drop.versionId()
              + ") carries no git-revision metadata. Publish packages with `artifact-promoter"
              + " publish`, which records it.");
    }
    return revision;
  }
}
