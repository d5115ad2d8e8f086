package org.artifactpromoter.logging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Writes each java.util.logging record (where {@link System.Logger} goes by default) as one JSON
 * object on one line, the shape Powertools for AWS Lambda writes and CloudWatch Logs Insights
 * discovers fields in:
 *
 * <pre>{@code
 * {"timestamp":"2025-01-02T03:04:05.678Z","level":"INFO","message":"...","logger":"org...Promoter",
 *  "promotionId":"...","function":"...","from":"...","to":"...","jobId":"...",
 *  "error":{"name":"java.io.IOException","message":"...","stack":"..."}}
 * }</pre>
 *
 * Context fields come from {@link LogContext} and appear only when known. Every string goes through
 * the JSON encoder, so a newline or other control character in a message (or in an exception's
 * message) is escaped and a record never spans two lines, which CloudWatch would read as two
 * events.
 */
public final class JsonLogFormatter extends Formatter {
  private static final JsonFactory JSON = new JsonFactory();
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  @Override
  public String format(LogRecord record) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("timestamp", TIMESTAMP.format(record.getInstant()));
      json.writeStringField("level", levelName(record.getLevel()));
      json.writeStringField("message", formatMessage(record));
      json.writeStringField("logger", record.getLoggerName() == null ? "" : record.getLoggerName());
      for (Map.Entry<String, String> field : LogContext.current().entrySet()) {
        json.writeStringField(field.getKey(), field.getValue());
      }
      Throwable thrown = record.getThrown();
      if (thrown != null) {
        json.writeObjectFieldStart("error");
        json.writeStringField("name", thrown.getClass().getName());
        if (thrown.getMessage() != null) {
          json.writeStringField("message", thrown.getMessage());
        }
        json.writeStringField("stack", stackTrace(thrown));
        json.writeEndObject();
      }
      json.writeEndObject();
    } catch (IOException e) {
      // A StringWriter does not fail; a generator bug should not silence the log either.
      throw new UncheckedIOException(e);
    }
    return out.append('\n').toString();
  }

  /** Lambda's level names (the ones AWS_LAMBDA_LOG_LEVEL and Powertools use). */
  static String levelName(Level level) {
    int value = level.intValue();
    if (value >= Level.SEVERE.intValue()) {
      return "ERROR";
    }
    if (value >= Level.WARNING.intValue()) {
      return "WARN";
    }
    if (value >= Level.CONFIG.intValue()) {
      return "INFO";
    }
    if (value >= Level.FINE.intValue()) {
      return "DEBUG";
    }
    return "TRACE";
  }

  private static String stackTrace(Throwable thrown) {
    StringWriter text = new StringWriter();
    try (PrintWriter printer = new PrintWriter(text)) {
      thrown.printStackTrace(printer);
    }
    return text.toString();
  }
}
