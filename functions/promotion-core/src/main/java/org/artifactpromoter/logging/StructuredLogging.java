package org.artifactpromoter.logging;

import java.util.Locale;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Logger;

/**
 * Switches the Lambda's log lines to JSON when the function's log format is JSON: Lambda sets
 * {@code AWS_LAMBDA_LOG_FORMAT=JSON} in the function's environment (the promote-function Terraform
 * module configures it so). The CLI does not call this and keeps human-readable lines.
 */
public final class StructuredLogging {
  /** The variable Lambda sets from the function's {@code LoggingConfig.LogFormat}. */
  public static final String LOG_FORMAT_VARIABLE = "AWS_LAMBDA_LOG_FORMAT";

  private StructuredLogging() {}

  /**
   * Puts a {@link JsonLogFormatter} on every handler of the root logger when {@code environment}
   * says JSON; call once at cold start, after the log levels are set.
   *
   * @return whether records are now written as JSON
   */
  public static boolean configure(Map<String, String> environment) {
    return configure(environment, Logger.getLogger(""));
  }

  static boolean configure(Map<String, String> environment, Logger root) {
    if (!jsonRequested(environment)) {
      return false;
    }
    JsonLogFormatter formatter = new JsonLogFormatter();
    for (Handler handler : root.getHandlers()) {
      handler.setFormatter(formatter);
    }
    return true;
  }

  /** Whether {@code environment} asks for JSON log records. */
  public static boolean jsonRequested(Map<String, String> environment) {
    String format = environment.get(LOG_FORMAT_VARIABLE);
    return format != null && format.strip().toUpperCase(Locale.ROOT).equals("JSON");
  }
}
