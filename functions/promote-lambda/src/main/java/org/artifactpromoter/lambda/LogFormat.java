package org.artifactpromoter.lambda;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logging set-up shared by the Lambda and the CLI. One log record, one line: CloudWatch (and the
 * Lambda JSON log format) treats each line as an event, and the JDK's default format spreads a
 * record over two. Only our own messages are logged, never events (a CodePipeline event carries
 * credentials).
 */
public final class LogFormat {
  /**
   * The JDK's HTTP client, which the SDK's URL-connection client uses, logs every request header at
   * FINE, X-Amz-Security-Token (the promotion sessions' STS token) among them. Pinned to INFO so
   * that turning on verbose logging never puts a session token in a log line. Held here because
   * java.util.logging keeps loggers only weakly.
   */
  private static final Logger HTTP_HEADER_LOG = Logger.getLogger("sun.net.www.protocol.http");

  private LogFormat() {}

  /** Call before the first logger is used; an explicit format set by the operator wins. */
  public static void configure() {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s %3$s %5$s%6$s%n");
    }
    HTTP_HEADER_LOG.setLevel(Level.INFO);
  }
}
