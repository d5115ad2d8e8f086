package org.artifactpromoter.model;

/** How bytes move between accounts. */
public record CopySettings(
    CopyMode mode, long multipartThresholdBytes, long partSizeBytes, int maxConcurrency) {

  /** S3's CopyObject limit: above it only a multipart copy works. */
  public static final long S3_COPY_OBJECT_LIMIT = 5L * 1024 * 1024 * 1024;

  public static final long MIN_PART_SIZE = 5L * 1024 * 1024;

  public static CopySettings defaults() {
    return new CopySettings(CopyMode.SERVER_SIDE, S3_COPY_OBJECT_LIMIT, 512L * 1024 * 1024, 4);
  }

  /** Copy mode names as they appear in the configuration. */
  public enum CopyMode {
    /** S3 copies between buckets; the destination role reads the source bucket. */
    SERVER_SIDE("server-side"),
    /** The promoter reads with the source role and writes with the destination role. */
    STREAMED("streamed");

    private final String configName;

    CopyMode(String configName) {
      this.configName = configName;
    }

    public String configName() {
      return configName;
    }
  }
}
