package org.artifactpromoter.lambda;

/**
 * One log record, one line: CloudWatch (and the Lambda JSON log format) treats each line as an
 * event, and the JDK's default format spreads a record over two. Only our own messages are logged,
 * never events (a CodePipeline event carries credentials).
 */
public final class LogFormat {
  private LogFormat() {}

  /** Call before the first logger is used; an explicit setting by the operator wins. */
  public static void oneLinePerRecord() {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s %3$s %5$s%6$s%n");
    }
  }
}
