package org.artifactpromoter.logsafety;

import java.util.regex.Pattern;

/**
 * Makes values that came from outside (an event, a token, object metadata, a URL) safe to put in a
 * log line. One record is one line (see the Lambda's LogFormat), so a value with a line break could
 * write a second, forged line ({@code INFO ... promoted ...}) that log readers and alerts believe.
 */
public final class LogSafe {
  /** CodePipeline job ids are UUIDs in their canonical 8-4-4-4-12 hex form. */
  private static final Pattern CODEPIPELINE_JOB_ID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  /**
   * Longest escaped value {@link #text(String)} returns; a log line is not a place for a payload.
   */
  public static final int DEFAULT_MAX_CHARS = 512;

  private LogSafe() {}

  /**
   * Whether {@code jobId} has the form of a CodePipeline job id; check before logging or using it.
   */
  public static boolean isCodePipelineJobId(String jobId) {
    return jobId != null && CODEPIPELINE_JOB_ID.matcher(jobId).matches();
  }

  /**
   * Returns {@code jobId} if it is a CodePipeline job id, else throws {@link
   * IllegalArgumentException} with a message that does not repeat it (it is not safe to log).
   */
  public static String requireCodePipelineJobId(String jobId) {
    if (!isCodePipelineJobId(jobId)) {
      throw new IllegalArgumentException(
          "The event's CodePipeline.job.id is not a CodePipeline job id (a UUID such as"
              + " 11111111-2222-3333-4444-555555555555). Invoke the function from a CodePipeline"
              + " Invoke action, or send a promotion request instead of a job event.");
    }
    return jobId;
  }

  /** {@link #text(String, int)} with at most {@link #DEFAULT_MAX_CHARS} characters. */
  public static String text(String value) {
    return text(value, DEFAULT_MAX_CHARS);
  }

  /**
   * {@code value} with every character that could break or disguise a log line escaped: a backslash
   * as {@code \\} (so escapes cannot be forged either), {@code \n}, {@code \r}, {@code \t}, other
   * C0 and C1 controls, DEL, the Unicode line and paragraph separators (U+2028, U+2029) and the
   * bidirectional overrides and isolates (U+202A-202E, U+2066-2069, which reorder what a reader
   * sees) as {@code \}{@code uXXXX}. Values longer than {@code maxChars} escaped characters are
   * cut, saying how many characters were left out. {@code null} becomes {@code null}.
   */
  public static String text(String value, int maxChars) {
    if (value == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(Math.min(value.length(), maxChars) + 16);
    int i = 0;
    for (; i < value.length() && out.length() < maxChars; i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (needsEscape(c)) {
            out.append(String.format("\\u%04X", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    if (i < value.length()) {
      out.append("...(").append(value.length() - i).append(" more characters)");
    }
    return out.toString();
  }

  private static boolean needsEscape(char c) {
    return c < 0x20
        || (c >= 0x7F && c <= 0x9F)
        || c == '\u2028'
        || c == '\u2029'
        || (c >= '\u202A' && c <= '\u202E')
        || (c >= '\u2066' && c <= '\u2069');
  }
}
