package org.artifactpromoter.logging;

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

  /** Our loggers' parent, held for the same reason; its level comes from PROMOTION_LOG_LEVEL. */
  private static final Logger OWN_LOG = Logger.getLogger("org.artifactpromoter");

  private LogFormat() {}

  /** Call before the first logger is used; an explicit format set by the operator wins. */
  public static void configure() {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s %3$s %5$s%6$s%n");
    }
    HTTP_HEADER_LOG.setLevel(Level.INFO);
    Level level = levelOf(System.getenv("PROMOTION_LOG_LEVEL"));
    OWN_LOG.setLevel(level);
    for (java.util.logging.Handler handler : Logger.getLogger("").getHandlers()) {
      if (handler.getLevel().intValue() > level.intValue()) {
        handler.setLevel(level);
      }
    }
  }

  /** Lambda's level names (TRACE, DEBUG, INFO, WARN, ERROR, FATAL) as JDK levels; INFO if unset. */
  static Level levelOf(String name) {
    if (name == null || name.isBlank()) {
      return Level.INFO;
    }
    return switch (name.strip().toUpperCase(java.util.Locale.ROOT)) {
      case "TRACE" -> Level.FINEST;
      case "DEBUG" -> Level.FINE;
      case "WARN", "WARNING" -> Level.WARNING;
      case "ERROR", "FATAL" -> Level.SEVERE;
      default -> Level.INFO;
    };
  }
}
