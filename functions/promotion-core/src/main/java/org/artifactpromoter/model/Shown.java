package org.artifactpromoter.model;

/** How a message quotes a value that came from outside (a request, a configuration, an event). */
public final class Shown {
  private static final int MAX = 64;

  private Shown() {}

  /**
   * {@code value} as a message may show it: printable ASCII, at most 64 characters. Input can be
   * any size and hold control characters, and its text ends up in job results and logs.
   */
  public static String value(String value) {
    String printable = value.replaceAll("[^\\x20-\\x7e]", "?");
    return printable.length() <= MAX ? printable : printable.substring(0, MAX) + "...";
  }
}
