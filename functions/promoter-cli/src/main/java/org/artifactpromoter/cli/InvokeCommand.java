package org.artifactpromoter.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.artifactpromoter.json.Json;
import org.artifactpromoter.lambda.PromoteHandler;
import org.artifactpromoter.wiring.PromoterComponent;
import org.artifactpromoter.lambda.PromotionFailedException;
import org.artifactpromoter.model.PromotionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "invoke",
    mixinStandardHelpOptions = true,
    description = {
      "Run the Lambda handler locally with an event file, as `sam local invoke` would: a",
      "promotion request, or a CodePipeline job event (its job results go to the CodePipeline",
      "endpoint of your AWS settings, e.g. AWS_ENDPOINT_URL_CODEPIPELINE)."
    })
final class InvokeCommand implements Callable<Integer> {
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
  public Integer call() throws IOException {
    byte[] payload;
    try {
      payload = Files.readAllBytes(event);
    } catch (IOException e) {
      throw PromotionException.invalid(
          "Cannot read --event " + event + ": " + e.getMessage() + ".");
    }
    PromoterComponent component = common.component();
    PromoteHandler handler =
        new PromoteHandler(component.directInvocation(), component.codePipelineJobHandler());
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    var out = spec.commandLine().getOut();
    try {
      handler.handleRequest(
          new ByteArrayInputStream(payload), output, new LocalContext(timeoutSeconds * 1000L));
    } catch (PromotionFailedException e) {
      // What `aws lambda invoke` shows for a function error.
      var error = Json.object();
      error.put("errorMessage", e.getMessage());
      error.put("errorType", e.getClass().getName());
      out.println(Json.writePretty(error));
      out.flush();
      return Outcomes.EXIT_REFUSED;
    }
    out.println(output.toString(StandardCharsets.UTF_8));
    out.flush();
    return Outcomes.EXIT_OK;
  }
}
