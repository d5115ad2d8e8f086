package org.artifactpromoter.function;

import java.net.URI;
import software.amazon.awssdk.services.codepipeline.CodePipelineClientBuilder;

/**
 * Where job results and approval look-ups go: CodePipeline as the SDK's standard settings resolve
 * it ({@code AWS_ENDPOINT_URL_CODEPIPELINE}, ...), or one fixed endpoint (a local stub).
 */
public final class PipelineEndpoint {
  private static final PipelineEndpoint STANDARD = new PipelineEndpoint(null);

  private final URI override;

  private PipelineEndpoint(URI override) {
    this.override = override;
  }

  public static PipelineEndpoint standard() {
    return STANDARD;
  }

  public static PipelineEndpoint at(URI endpoint) {
    return new PipelineEndpoint(endpoint);
  }

  CodePipelineClientBuilder applyTo(CodePipelineClientBuilder builder) {
    return override == null ? builder : builder.endpointOverride(override);
  }
}
