package org.artifactpromoter.sample;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;
import java.util.function.Function;

/**
 * Answers with a greeting and the git revision it was built from, so a person can see which
 * commit an account runs by invoking it.
 */
public final class Handler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  private final Function<String, String> environment;

  /** The runtime's constructor: reads the Lambda environment. */
  public Handler() {
    this(System::getenv);
  }

  Handler(Function<String, String> environment) {
    this.environment = environment;
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    Object name = event == null ? null : event.get("name");
    String revision = environment.apply("GIT_REVISION");
    return Map.of(
        "message", "hello, " + (name == null ? "world" : name),
        "gitRevision", revision == null ? "unknown" : revision);
  }
}
