package org.artifactpromoter.promotion;

import static org.artifactpromoter.artifact.ArtifactLayout.dropKey;

import org.artifactpromoter.artifact.ArtifactStore;
import org.artifactpromoter.artifact.ArtifactVersion;
import org.artifactpromoter.model.CommitId;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;

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
    if (context.resume() != null) {
      return new Resolution(context.resume().revision(), drop);
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
