package org.artifactpromoter.it.support;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.artifactpromoter.logging.JsonLogFormatter;

/**
 * Everything the code under test writes to System.out, System.err and java.util.logging (where
 * {@link System.Logger} goes by default), at every level, for a test to search.
 */
public final class LogCapture implements AutoCloseable {
  private static final JsonLogFormatter JSON_FORMAT = new JsonLogFormatter();
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private final StringBuilder jsonRecords = new StringBuilder();
  private final PrintStream originalOut = System.out;
  private final PrintStream originalErr = System.err;
  private final Logger root = Logger.getLogger("");
  private final Level originalLevel = root.getLevel();
  private final Handler handler;

  private LogCapture() {
    System.setOut(tee(originalOut));
    System.setErr(tee(originalErr));
    handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            // The handler's formatter, as for every root handler: StructuredLogging.configure
            // turns this capture to JSON records as it does the Lambda's console.
            write(getFormatter().format(record));
            // The same record as the Lambda writes it with AWS_LAMBDA_LOG_FORMAT=JSON, formatted
            // now, on the logging thread, where its LogContext fields are.
            String asJson = JSON_FORMAT.format(record);
            synchronized (jsonRecords) {
              jsonRecords.append(asJson);
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    handler.setFormatter(new SimpleFormatter());
    handler.setLevel(Level.ALL);
    root.addHandler(handler);
    root.setLevel(Level.ALL);
  }

  public static LogCapture start() {
    return new LogCapture();
  }

  private PrintStream tee(PrintStream original) {
    return new PrintStream(
        new OutputStream() {
          @Override
          public void write(int b) {
            original.write(b);
            synchronized (captured) {
              captured.write(b);
            }
          }

          @Override
          public void write(byte[] b, int off, int len) {
            original.write(b, off, len);
            synchronized (captured) {
              captured.write(b, off, len);
            }
          }
        },
        true,
        StandardCharsets.UTF_8);
  }

  private void write(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    synchronized (captured) {
      captured.write(bytes, 0, bytes.length);
    }
  }

  /** Every java.util.logging record captured, as JSON lines (one object per record). */
  public String jsonText() {
    synchronized (jsonRecords) {
      return jsonRecords.toString();
    }
  }

  public String text() {
    synchronized (captured) {
      return captured.toString(StandardCharsets.UTF_8);
    }
  }

  @Override
  public void close() {
    System.out.flush();
    System.err.flush();
    System.setOut(originalOut);
    System.setErr(originalErr);
    root.removeHandler(handler);
    root.setLevel(originalLevel);
  }
}
