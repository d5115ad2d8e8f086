package org.artifactpromoter.promotion;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Promotion ids: sortable by time, unique, and valid in STS session names and S3 tags. */
public final class PromotionIds {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private PromotionIds() {}

  public static String next(Clock clock) {
    // Unique, not secret: no SecureRandom (its provider set-up costs a CLI run ~100 ms).
    byte[] random = new byte[4];
    ThreadLocalRandom.current().nextBytes(random);
    return TIME.format(clock.instant()) + "-" + HexFormat.of().formatHex(random);
  }

  /** The id of the promotion a CodePipeline job performs: the same for every replay of the job. */
  public static String forJob(String jobId) {
    return "job-" + jobId.replaceAll("[^A-Za-z0-9-]", "");
  }
}
