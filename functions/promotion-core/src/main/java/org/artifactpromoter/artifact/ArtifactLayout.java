package org.artifactpromoter.artifact;

/**
 * Where artifacts live in every account's artifact bucket. The IAM policies and the pipelines' S3
 * source actions depend on these prefixes, so they are fixed, not configurable.
 */
public final class ArtifactLayout {
  public static final String RELEASE_PREFIX = "releases/";
  public static final String DROP_PREFIX = "drop/";

  private ArtifactLayout() {}

  /** The immutable release object of one function at one revision. */
  public static String releaseKey(String function, String revision) {
    return RELEASE_PREFIX + function + "/" + revision + ".zip";
  }

  /**
   * The signed build provenance of one release (an in-toto DSSE envelope), next to it: promoted
   * with the release, verified before every promotion.
   */
  public static String provenanceKey(String function, String revision) {
    return RELEASE_PREFIX + function + "/" + revision + ".intoto.json";
  }

  /** The key the account's pipeline watches; every promotion writes a new version of it. */
  public static String dropKey(String function) {
    return DROP_PREFIX + function + ".zip";
  }
}
