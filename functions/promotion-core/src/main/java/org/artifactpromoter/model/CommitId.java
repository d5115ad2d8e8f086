package org.artifactpromoter.model;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A git commit id as the promoter accepts it: the full 40 hex digits, lower case. The one place
 * that says what a revision looks like; requests, tokens, metadata and build facts all check here.
 */
public final class CommitId {
  private static final Pattern FULL = Pattern.compile("[0-9a-f]{40}");

  private CommitId() {}

  /** Whether {@code value} is a full lower-case commit id. */
  public static boolean isValid(String value) {
    return value != null && FULL.matcher(value).matches();
  }

  /**
   * {@code value} in lower case when it is a full commit id in any case (git and CodePipeline print
   * lower case, people sometimes paste upper case), else null.
   */
  public static String normalised(String value) {
    if (value == null) {
      return null;
    }
    String lower = value.toLowerCase(Locale.ROOT);
    return isValid(lower) ? lower : null;
  }

  /** The seven-character form people read in consoles; "?" when there is no revision. */
  public static String abbreviated(String revision) {
    return revision == null ? "?" : revision.substring(0, Math.min(7, revision.length()));
  }
}
