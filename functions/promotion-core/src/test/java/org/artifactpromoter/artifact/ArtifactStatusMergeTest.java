package org.artifactpromoter.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.artifactpromoter.artifact.ArtifactStatus.HistoryEntry;
import org.junit.jupiter.api.Test;

class ArtifactStatusMergeTest {
  private static HistoryEntry at(String env, String version, String time) {
    return new HistoryEntry(
        env, version, time, false, null, null, null, null, null, null, null, null, null);
  }

  @Test
  void merged_interleavesEnvironmentsNewestFirst() {
    List<HistoryEntry> dev =
        List.of(at("dev", "d2", "2025-01-03T00:00:00Z"), at("dev", "d1", "2025-01-01T00:00:00Z"));
    List<HistoryEntry> prod = List.of(at("prod", "p1", "2025-01-02T00:00:00Z"));

    assertThat(ArtifactStatus.merged(List.of(dev, prod)))
        .extracting(HistoryEntry::versionId)
        .containsExactly("d2", "p1", "d1");
  }

  @Test
  void merged_keepsEachEnvironmentsOwnOrder_whenTimesTieToTheSecond() {
    // S3 reports LastModified to the second: two quick promotions tie, the store's order holds.
    List<HistoryEntry> stage =
        List.of(
            at("stage", "newer", "2025-01-02T00:00:00Z"),
            at("stage", "older", "2025-01-02T00:00:00Z"));
    List<HistoryEntry> prod = List.of(at("prod", "p", "2025-01-01T00:00:00Z"));

    assertThat(ArtifactStatus.merged(List.of(prod, stage)))
        .extracting(HistoryEntry::versionId)
        .containsExactly("newer", "older", "p");
  }

  @Test
  void merged_listsTheLaterEnvironmentFirst_whenEnvironmentsTieToTheSecond() {
    List<HistoryEntry> stage = List.of(at("stage", "s", "2025-01-02T00:00:00Z"));
    List<HistoryEntry> prod = List.of(at("prod", "p", "2025-01-02T00:00:00Z"));

    assertThat(ArtifactStatus.merged(List.of(stage, prod)))
        .extracting(HistoryEntry::versionId)
        .containsExactly("p", "s");
  }

  @Test
  void merged_putsVersionsWithoutATimeLast() {
    List<HistoryEntry> dev = List.of(at("dev", "untimed", "null"));
    List<HistoryEntry> prod = List.of(at("prod", "timed", "2025-01-01T00:00:00Z"));

    assertThat(ArtifactStatus.merged(List.of(dev, prod)))
        .extracting(HistoryEntry::versionId)
        .containsExactly("timed", "untimed");
  }
}
