package org.artifactpromoter.promotion;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Random;

/** Promotion ids: sortable by time, unique, and valid in STS session names and S3 tags. */
public final class PromotionIds {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /**
   * Unique, not secret: seeded from the clock in a fresh process (no SecureRandom there, its
   * provider set-up costs a CLI run ~100 ms). Not ThreadLocalRandom: its seeds live in static state
   * that a SnapStart snapshot copies into every restored copy, which would then issue the same ids;
   * this source is replaced by {@link #reseed()} after a restore.
   */
  private static volatile Random random = new Random();

  private PromotionIds() {}

  public static String next(Clock clock) {
    byte[] bytes = new byte[4];
    random.nextBytes(bytes);
    return TIME.format(clock.instant()) + "-" + HexFormat.of().formatHex(bytes);
  }

  /**
   * Gives this process a random source of its own, seeded from the operating system's entropy: call
   * after a snapshot restore, when every copy restored from one snapshot holds the same state.
   */
  public static void reseed() {
    random = new Random(new SecureRandom().nextLong());
  }

  /**
   * Sets the state that every copy restored from one snapshot shares: what the restore tests use to
   * stand for "the same snapshot, restored twice" inside one JVM.
   */
  public static void restoreSnapshotState(long seed) {
    random = new Random(seed);
  }

  /** The id of the promotion a CodePipeline job performs: the same for every replay of the job. */
  public static String forJob(String jobId) {
    return "job-" + jobId.replaceAll("[^A-Za-z0-9-]", "");
  }
}
