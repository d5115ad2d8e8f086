package org.artifactpromoter.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.artifactpromoter.artifact.KeyVersions;
import org.junit.jupiter.api.Test;

class WriteRacesTest {
  private static KeyVersions listed(String... newestFirst) {
    return KeyVersions.ofIds(List.of(newestFirst), false);
  }

  @Test
  void releaseWinner_isTheOldestVersion() {
    assertThat(WriteRaces.releaseWinner(listed("later", "ours", "first"))).isEqualTo("first");
    assertThat(WriteRaces.releaseWinner(listed("ours"))).isEqualTo("ours");
  }

  @Test
  void releaseWinner_whenNoVersionIsLeft_isNull() {
    assertThat(WriteRaces.releaseWinner(listed())).isNull();
  }

  @Test
  void deliveredMeanwhile_whenAVersionCameBetweenOurLookAndOurWrite_isThatVersion() {
    assertThat(
            WriteRaces.deliveredMeanwhile(listed("ours", "theirs", "seen", "old"), "ours", "seen"))
        .contains("theirs");
  }

  @Test
  void deliveredMeanwhile_whenTheVersionBeforeOursIsTheOneWeSaw_isEmpty() {
    assertThat(WriteRaces.deliveredMeanwhile(listed("ours", "seen", "old"), "ours", "seen"))
        .isEmpty();
  }

  @Test
  void deliveredMeanwhile_whenOursIsNotTheNewest_looksBelowOursOnly() {
    // A later promotion wrote after us: what matters is what came just before our write.
    assertThat(
            WriteRaces.deliveredMeanwhile(
                listed("later", "ours", "theirs", "seen"), "ours", "seen"))
        .contains("theirs");
    assertThat(WriteRaces.deliveredMeanwhile(listed("later", "ours", "seen"), "ours", "seen"))
        .isEmpty();
  }

  @Test
  void deliveredMeanwhile_whenTheKeyWasEmpty_isTheVersionBeforeOurs() {
    assertThat(WriteRaces.deliveredMeanwhile(listed("ours", "theirs"), "ours", null))
        .contains("theirs");
    assertThat(WriteRaces.deliveredMeanwhile(listed("ours"), "ours", null)).isEmpty();
  }

  @Test
  void deliveredMeanwhile_whenTheKeyWasDeleted_keepsOurs() {
    // The older version may be below the delete marker: the key did not hold it when we looked.
    KeyVersions withMarker = KeyVersions.ofIds(List.of("ours", "older"), true);
    assertThat(WriteRaces.deliveredMeanwhile(withMarker, "ours", null)).isEmpty();
  }

  @Test
  void deliveredMeanwhile_whenOurVersionOrTheSeenOneIsNotListed_isEmpty() {
    assertThat(WriteRaces.deliveredMeanwhile(listed("theirs", "seen"), "ours", "seen")).isEmpty();
    assertThat(WriteRaces.deliveredMeanwhile(listed("ours", "theirs"), "ours", "gone")).isEmpty();
  }
}
