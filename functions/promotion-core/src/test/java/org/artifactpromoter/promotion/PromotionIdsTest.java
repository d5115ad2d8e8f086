package org.artifactpromoter.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.artifactpromoter.artifact.ArtifactMetadata;
import org.junit.jupiter.api.Test;

class PromotionIdsTest {
  private static final Clock NOON =
      Clock.fixed(Instant.parse("2026-03-04T12:05:06Z"), ZoneOffset.UTC);

  @Test
  void next_startsWithTheUtcTimeAndEndsWithEightHexDigits() {
    Clock berlin = Clock.fixed(Instant.parse("2026-03-04T12:05:06Z"), ZoneOffset.ofHours(1));

    assertThat(PromotionIds.next(NOON)).matches("20260304T120506Z-[0-9a-f]{8}");
    assertThat(PromotionIds.next(berlin)).startsWith("20260304T120506Z-");
  }

  @Test
  void next_idsSortInTheOrderTheyWereTaken() {
    Clock nextSecond = Clock.offset(NOON, java.time.Duration.ofSeconds(1));
    Clock nextYear = Clock.offset(NOON, java.time.Duration.ofDays(366));

    String first = PromotionIds.next(NOON);
    String second = PromotionIds.next(nextSecond);
    String third = PromotionIds.next(nextYear);

    assertThat(first).isLessThan(second);
    assertThat(second).isLessThan(third);
  }

  @Test
  void next_idsTakenInTheSameSecondDiffer() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      ids.add(PromotionIds.next(NOON));
    }

    assertThat(ids).hasSize(100);
  }

  @Test
  void copiesRestoredFromOneSnapshot_issueTheSameIds_untilEachReseeds() {
    try {
      // Two copies of one snapshot: the same random state, the same second.
      PromotionIds.restoreSnapshotState(20261129L);
      String firstCopy = PromotionIds.next(NOON);
      PromotionIds.restoreSnapshotState(20261129L);
      String secondCopy = PromotionIds.next(NOON);
      assertThat(secondCopy).as("the hazard reseed() exists for").isEqualTo(firstCopy);

      PromotionIds.restoreSnapshotState(20261129L);
      PromotionIds.reseed();
      String firstReseeded = PromotionIds.next(NOON);
      PromotionIds.restoreSnapshotState(20261129L);
      PromotionIds.reseed();
      String secondReseeded = PromotionIds.next(NOON);

      assertThat(secondReseeded).isNotEqualTo(firstReseeded);
    } finally {
      PromotionIds.reseed();
    }
  }

  @Test
  void next_idsAreValidAsTagValuesUnchanged() {
    String id = PromotionIds.next(NOON);

    assertThat(ArtifactMetadata.tagValue(id)).isEqualTo(id);
    assertThat(ArtifactMetadata.encode(id)).isEqualTo(id);
  }

  @Test
  void forJob_isTheSameForEveryReplayOfAJob() {
    String jobId = "11111111-2222-4333-8444-555555555555";

    assertThat(PromotionIds.forJob(jobId)).isEqualTo(PromotionIds.forJob(jobId));
    assertThat(PromotionIds.forJob(jobId)).isEqualTo("job-11111111-2222-4333-8444-555555555555");
    assertThat(PromotionIds.forJob("22222222-2222-4333-8444-555555555555"))
        .isNotEqualTo(PromotionIds.forJob(jobId));
  }

  @Test
  void forJob_dropsCharactersThatSessionNamesAndTagsCannotHold() {
    assertThat(PromotionIds.forJob("a/b:c d%e\u00e9f")).isEqualTo("job-abcdef");
  }
}
