package org.artifactpromoter.logging;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * What the current thread is working on (promotion, function, environments, CodePipeline job), for
 * {@link JsonLogFormatter} to put on every log record as fields. Set only through a scope:
 *
 * <pre>{@code
 * try (LogContext.Scope scope =
 *     LogContext.builder().promotionId(id).function(f).from(a).to(b).open()) {
 *   ... every record logged on this thread carries the fields ...
 * }
 * }</pre>
 *
 * <p>A Lambda execution environment runs one invocation after another on the same thread, so a
 * field that outlived its invocation would name the wrong promotion on the next one. Closing a
 * scope therefore restores exactly what was there when it opened, even if a scope opened inside it
 * was never closed; the outermost scope of an invocation leaves the thread with no fields. Worker
 * threads (parallel part copies) get the fields only through {@link #propagate}.
 */
public final class LogContext {
  /** Field names, as CloudWatch Logs Insights queries them. */
  public static final String PROMOTION_ID = "promotionId";

  public static final String FUNCTION = "function";
  public static final String FROM = "from";
  public static final String TO = "to";
  public static final String JOB_ID = "jobId";

  /** The Lambda request id, the field Lambda's own JSON log records carry. */
  public static final String REQUEST_ID = "requestId";

  /**
   * The innermost open scope of each thread; scopes form a stack through {@link Frame#parent}. A
   * thread with no open scope holds nothing (no map left behind on a pooled thread).
   */
  private static final ThreadLocal<Frame> CURRENT = new ThreadLocal<>();

  private LogContext() {}

  /** The fields of the current thread, in the order they were set; empty outside any scope. */
  public static Map<String, String> current() {
    Frame frame = CURRENT.get();
    return frame == null ? Map.of() : frame.fields;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code task} run with the fields of the thread that calls this method, then without them. */
  public static Runnable propagate(Runnable task) {
    Map<String, String> captured = current();
    return () -> {
      try (Scope scope = open(captured, true)) {
        task.run();
      }
    };
  }

  /** As {@link #propagate(Runnable)}, for a task with a result. */
  public static <T> Callable<T> propagate(Callable<T> task) {
    Map<String, String> captured = current();
    return () -> {
      try (Scope scope = open(captured, true)) {
        return task.call();
      }
    };
  }

  private static Scope open(Map<String, String> fields, boolean replace) {
    Frame parent = CURRENT.get();
    Map<String, String> merged =
        new LinkedHashMap<>(replace || parent == null ? Map.of() : parent.fields);
    merged.putAll(fields);
    Frame frame = new Frame(Collections.unmodifiableMap(merged), parent);
    CURRENT.set(frame);
    return new Scope(Thread.currentThread(), frame);
  }

  private record Frame(Map<String, String> fields, Frame parent) {}

  /**
   * Restores the fields as they were before it opened, and so ends every scope opened inside it.
   * Closing a scope that an outer scope's close already ended, or closing twice, does nothing.
   */
  public static final class Scope implements AutoCloseable {
    private final Thread owner;
    private final Frame frame;

    private Scope(Thread owner, Frame frame) {
      this.owner = owner;
      this.frame = frame;
    }

    @Override
    public void close() {
      // Another thread's context is not this scope's to change.
      if (Thread.currentThread() != owner) {
        return;
      }
      for (Frame open = CURRENT.get(); open != null; open = open.parent) {
        if (open == frame) {
          if (frame.parent == null) {
            CURRENT.remove();
          } else {
            CURRENT.set(frame.parent);
          }
          return;
        }
      }
    }
  }

  /**
   * Fields for a new scope; a {@code null} or blank value means "not known" and leaves the outer
   * scope's value (if any) in place. Values are cut at 256 characters: they are identifiers.
   */
  public static final class Builder {
    private static final int MAX_VALUE_CHARS = 256;
    private final Map<String, String> fields = new LinkedHashMap<>();

    private Builder() {}

    public Builder promotionId(String value) {
      return put(PROMOTION_ID, value);
    }

    public Builder function(String value) {
      return put(FUNCTION, value);
    }

    public Builder from(String value) {
      return put(FROM, value);
    }

    public Builder to(String value) {
      return put(TO, value);
    }

    public Builder jobId(String value) {
      return put(JOB_ID, value);
    }

    public Builder requestId(String value) {
      return put(REQUEST_ID, value);
    }

    /** The current fields with these added (or replaced), until the scope closes. */
    public Scope open() {
      return LogContext.open(fields, false);
    }

    private Builder put(String name, String value) {
      if (value != null && !value.isBlank()) {
        fields.put(
            name, value.length() > MAX_VALUE_CHARS ? value.substring(0, MAX_VALUE_CHARS) : value);
      }
      return this;
    }
  }
}
