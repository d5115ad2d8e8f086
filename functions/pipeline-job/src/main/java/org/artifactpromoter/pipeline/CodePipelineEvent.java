package org.artifactpromoter.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.artifactpromoter.json.Json;
import org.artifactpromoter.model.PromotionException;

/**
 * The event CodePipeline sends to a Lambda Invoke action ({@code {"CodePipeline.job": {...}}}).
 * aws-lambda-java-events has no class for it, so it is modelled here: immutable records that ignore
 * the fields AWS adds over time. The job carries short-lived {@code artifactCredentials}: they are
 * never printed by {@code toString()} and never serialised back to JSON.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CodePipelineEvent(@JsonProperty(CodePipelineEvent.KEY) Job job) {
  /** The key that tells a job event from a direct invocation. */
  public static final String KEY = "CodePipeline.job";

  /**
   * Reads a job event. Refusals name only the JSON path of the problem, never a value: the event
   * holds credentials, and Jackson's own messages may quote what they could not read.
   */
  public static CodePipelineEvent parse(JsonNode event) {
    CodePipelineEvent parsed;
    try {
      parsed = Json.MAPPER.treeToValue(event, CodePipelineEvent.class);
    } catch (JsonMappingException e) {
      throw PromotionException.invalid(
          "The CodePipeline job event does not have the expected shape at "
              + path(e)
              + ". Is this function configured as a CodePipeline Invoke action?");
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw PromotionException.invalid("The CodePipeline job event cannot be read.");
    }
    if (parsed == null || parsed.job() == null) {
      throw PromotionException.invalid("The event has no \"" + KEY + "\" object.");
    }
    return parsed;
  }

  /** The job id, read without parsing the rest: a malformed job can still be failed by id. */
  public static Optional<String> jobId(JsonNode event) {
    JsonNode id = event == null ? null : event.path(KEY).get("id");
    return id != null && id.isTextual() && !id.textValue().isBlank()
        ? Optional.of(id.textValue())
        : Optional.empty();
  }

  /** The pipeline's account, read without parsing the whole event; empty when absent. */
  public static Optional<String> accountId(JsonNode event) {
    JsonNode account = event == null ? null : event.path(KEY).get("accountId");
    return account != null && account.isTextual() && account.textValue().matches("\\d{12}")
        ? Optional.of(account.textValue())
        : Optional.empty();
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining(".", "\"", "\""));
  }

  /** One job: one invocation of the action (continued invocations share the id). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Job(String id, String accountId, Data data) {
    public Job {
      data = data == null ? Data.EMPTY : data;
    }
  }

  /** What the action gets to work with. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Data(
      ActionConfiguration actionConfiguration,
      List<Artifact> inputArtifacts,
      List<Artifact> outputArtifacts,
      ArtifactCredentials artifactCredentials,
      String continuationToken,
      EncryptionKey encryptionKey) {
    static final Data EMPTY = new Data(null, null, null, null, null, null);

    public Data {
      actionConfiguration =
          actionConfiguration == null ? new ActionConfiguration(null) : actionConfiguration;
      inputArtifacts = nonNullElements(inputArtifacts);
      outputArtifacts = nonNullElements(outputArtifacts);
    }

    /** The action's {@code UserParameters} string, or null when the action has none. */
    public String userParameters() {
      return actionConfiguration.configuration().userParameters();
    }
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ActionConfiguration(Configuration configuration) {
    public ActionConfiguration {
      configuration = configuration == null ? new Configuration(null, null) : configuration;
    }
  }

  /** The action's configuration as CodePipeline names it (capitalised keys). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Configuration(
      @JsonProperty("FunctionName") String functionName,
      @JsonProperty("UserParameters") String userParameters) {}

  /**
   * An input or output artifact. {@code revision} is the source revision the artifact was built
   * from: a git commit for a repository source, the object's version id for an S3 source, and null
   * for artifacts a build action produced.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Artifact(String name, String revision, Location location) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Location(String type, S3Location s3Location) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record S3Location(String bucketName, String objectKey) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record EncryptionKey(String id, String type) {}

  /**
   * Temporary credentials for the pipeline's artifact store. The promoter does not use them (it
   * reads the artifact buckets through its own roles); they are modelled so that nothing prints or
   * re-serialises them by accident.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ArtifactCredentials(
      @JsonProperty(access = JsonProperty.Access.WRITE_ONLY) String accessKeyId,
      @JsonProperty(access = JsonProperty.Access.WRITE_ONLY) String secretAccessKey,
      @JsonProperty(access = JsonProperty.Access.WRITE_ONLY) String sessionToken) {

    @Override
    public String toString() {
      return "ArtifactCredentials[redacted]";
    }
  }

  private static <T> List<T> nonNullElements(List<T> list) {
    return list == null ? List.of() : list.stream().filter(Objects::nonNull).toList();
  }
}
