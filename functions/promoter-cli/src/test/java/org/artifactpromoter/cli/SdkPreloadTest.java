package org.artifactpromoter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class SdkPreloadTest {
  @AfterEach
  void noPreloadLeftRunning() {
    SdkPreload.awaitBeforeClients();
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"warm-up", "--help", "--version", "promot"})
  void startsNothing_forWhatCallsNoAws(String command) {
    assertThat(SdkPreload.startFor(command)).isFalse();
    assertThat(preloadThreads()).isZero();
  }

  @Test
  void awaitBeforeClients_returnsOnceThePreloadHasBuiltAndClosedItsClients() {
    assertThat(SdkPreload.startFor("promote")).as("started for promote").isTrue();

    SdkPreload.awaitBeforeClients();

    assertThat(preloadThreads()).as("finished before the command builds its clients").isZero();
  }

  @Test
  void awaitBeforeClients_withoutAPreload_returnsAtOnce() {
    long started = System.nanoTime();

    SdkPreload.awaitBeforeClients();

    assertThat(System.nanoTime() - started).isLessThan(1_000_000_000L);
  }

  private static long preloadThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().equals("sdk-preload") && thread.isAlive())
        .count();
  }
}
