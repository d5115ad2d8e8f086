package org.artifactpromoter.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tells the launcher (bin/artifact-promoter) that this run completed a real promotion, so that the
 * class-data archive it recorded holds the classes a promotion loads and may be kept. The launcher
 * names a file in the system property {@value #PROPERTY} only on a recording run; without it this
 * does nothing. Exit status alone cannot say this: {@code promote --help}, a dry run and an
 * ALREADY_PROMOTED answer all exit 0 without loading the copy path.
 */
final class ArchiveProof {
  static final String PROPERTY = "artifact-promoter.archive.proof";

  private ArchiveProof() {}

  /** Called after a promotion wrote its release and drop key (status PROMOTED). */
  static void promotionSucceeded() {
    String proof = System.getProperty(PROPERTY);
    if (proof == null || proof.isBlank()) {
      return;
    }
    try {
      Files.writeString(Path.of(proof), "promoted\n");
    } catch (IOException e) {
      // Not a reason to fail the promotion: the launcher keeps no archive from this run.
      System.err.println("artifact-promoter: cannot mark the start-up archive as usable: " + e);
    }
  }
}
