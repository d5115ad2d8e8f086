package org.artifactpromoter.it.support;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * For test classes that share one moto server (started and stopped here), reset before each test.
 */
public abstract class WithMoto {
  protected static MotoServer moto;

  @BeforeAll
  static void startMoto() {
    moto = MotoServer.start();
  }

  @AfterAll
  static void stopMoto() {
    if (moto != null) {
      moto.close();
    }
  }

  @BeforeEach
  void resetMoto() {
    moto.reset();
  }
}
