package org.artifactpromoter.it.support;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * For test classes whose every test starts from four empty local accounts on the class's moto
 * server (see {@link WithMoto}).
 */
public abstract class WithLocalAccounts extends WithMoto {
  protected LocalAccounts accounts;
  @TempDir protected Path dir;

  @BeforeEach
  void freshAccounts() {
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
