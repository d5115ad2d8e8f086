package org.artifactpromoter.promotion;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What an environment demands of a promotion (README "Configuration"): whether a promotion into it
 * needs evidence of an approval ({@code requireApproval}), and which CodePipeline pipelines are its
 * own ({@code pipelines}: name patterns with {@code {function}} and {@code {environment}}). A job
 * promoting <em>from</em> an environment must run in one of that environment's pipelines: a
 * pipeline of another environment (or one nobody configured) cannot vouch for this environment's
 * bytes.
 *
 * @param required whether a promotion into this environment needs an approval
 * @param pipelines name patterns of the environment's pipelines, in configuration order
 */
public record ApprovalPolicy(boolean required, List<String> pipelines) {
  /** How pipeline-terraform/modules/function-pipeline names the pipeline of a function. */
  public static final String DEFAULT_PIPELINE = "{function}-{environment}";

  public static final ApprovalPolicy DEFAULT = new ApprovalPolicy(true, List.of(DEFAULT_PIPELINE));

  /** What CodePipeline accepts as a pipeline name, placeholders aside. */
  static final Pattern PIPELINE_PATTERN =
      Pattern.compile("([A-Za-z0-9.@_-]|\\{function}|\\{environment})+");

  static final int MAX_PIPELINE_NAME = 100;

  public ApprovalPolicy {
    pipelines = List.copyOf(pipelines);
  }

  /** The names of {@code function}'s pipelines in {@code environment}. */
  public List<String> pipelineNames(String function, String environment) {
    return pipelines.stream()
        .map(p -> p.replace("{function}", function).replace("{environment}", environment))
        .toList();
  }

  /** Whether {@code pipelineName} is one of {@code function}'s pipelines in {@code environment}. */
  public boolean names(String pipelineName, String function, String environment) {
    return pipelineName != null && pipelineNames(function, environment).contains(pipelineName);
  }
}
