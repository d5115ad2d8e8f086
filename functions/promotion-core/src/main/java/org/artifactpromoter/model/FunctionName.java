package org.artifactpromoter.model;

import java.util.regex.Pattern;

/** A function's name as it appears in artifact keys, tags and session names. */
public final class FunctionName {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-_]{0,63}");

  private FunctionName() {}

  /** Refuses ({@code INVALID_REQUEST}) a name outside {@code [a-z0-9][a-z0-9-_]{0,63}}. */
  public static void validate(String function) {
    if (function == null || !NAME.matcher(function).matches()) {
      throw PromotionException.invalid(
          "\"function\" must match [a-z0-9][a-z0-9-_]{0,63} (lower-case letters, digits, '-'"
              + " and '_'), got \""
              + Shown.value(String.valueOf(function))
              + "\".");
    }
  }
}
