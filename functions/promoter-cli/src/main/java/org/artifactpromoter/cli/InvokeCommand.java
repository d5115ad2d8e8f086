package org.artifactpromoter.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.artifactpromoter.function.FunctionComponent;
import org.artifactpromoter.function.PromoteFunction;
import org.artifactpromoter.json.Json;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.pipeline.Deadline;
import org.artifactpromoter.pipeline.Invocation;
import org.artifactpromoter.promotion.PromotionFailure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "invoke",
    mixinStandardHelpOptions = true,
    description = {
      "Run the promote function locally with an event file, as `sam local invoke` would.",
      "The event is a promotion request, or a CodePipeline job event: its job results go to the"
          + " CodePipeline endpoint of your AWS settings (e.g. AWS_ENDPOINT_URL_CODEPIPELINE)."
    })
final class InvokeCommand implements Callable<Integer> {
  /** The account part of the local function's ARN: no pipeline account is ever this one. */
  static final String LOCAL_FUNCTION_ARN =
      "arn:aws:lambda:local:000000000000:function:artifact-promoter-local";

  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin CommonOptions common;

  @Option(names = "--event", required = true, paramLabel = "FILE", description = "Event JSON file.")
  Path event;

  @Option(
      names = "--timeout",
      defaultValue = "900",
      paramLabel = "SECONDS",
      description =
          "The invocation's time limit, as the function's timeout (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Override
  public Integer call() {
    byte[] payload;
    try {
      payload = Files.readAllBytes(event);
    } catch (IOException e) {
      throw PromotionException.invalid(
          "Cannot read --event " + event + ": " + e.getMessage() + ".");
    }
    PromoteFunction function = FunctionComponent.fromConfig(common.configJson());
    SdkPreload.awaitBeforeClients();
    long deadline = System.currentTimeMillis() + timeoutSeconds * 1000L;
    Invocation invocation =
        new Invocation(
            LOCAL_FUNCTION_ARN,
            Deadline.of(() -> Math.max(0, deadline - System.currentTimeMillis())));
    var out = spec.commandLine().getOut();
    try {
      // At most one byte more than the function takes, as the Lambda handler reads it.
      byte[] limited =
          payload.length > PromoteFunction.MAX_EVENT_BYTES + 1
              ? Arrays.copyOf(payload, PromoteFunction.MAX_EVENT_BYTES + 1)
              : payload;
      out.println(function.handle(limited, invocation));
    } catch (PromotionException e) {
      // What `aws lambda invoke` shows for the function error the Lambda reports.
      var error = Json.object();
      error.put("errorMessage", Json.write(PromotionFailure.of(e)));
      error.put("errorType", PromoteFunction.FUNCTION_ERROR_TYPE);
      out.println(Json.writePretty(error));
      out.flush();
      return Outcomes.EXIT_REFUSED;
    }
    out.flush();
    return Outcomes.EXIT_OK;
  }
}
