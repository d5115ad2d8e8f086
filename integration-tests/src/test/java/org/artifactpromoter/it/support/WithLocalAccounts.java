package org.artifactpromoter.it.support;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * For test classes whose every test starts from four empty local accounts: one moto server per
 * class (started and stopped here), reset before each test.
 */
public abstract class WithLocalAccounts {
  protected static MotoServer moto;
  protected LocalAccounts accounts;
  @TempDir protected Path dir;

  @BeforeAll
  static void startMoto() {
    moto = MotoServer.start();
  }

  @AfterAll
  static void stopMoto() {
    moto.close();
  }

  @BeforeEach
  void freshAccounts() {
    moto.reset();
    accounts = new LocalAccounts(moto).create();
  }

  /** A promotion request as JSON; {@code revision} null for "the one at the drop key". */
  public static String request(String function, String from, String to, String revision) {
    return "{\"function\":\""
        + function
        + "\",\"from\":\""
        + from
        + "\",\"to\":\""
        + to
        + "\""
        + (revision == null ? "" : ",\"revision\":\"" + revision + "\"")
        + "}";
  }
}
