package org.artifactpromoter.provenance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.regex.Pattern;
import org.artifactpromoter.provenance.ProvenanceException.Reason;

/**
 * What a build vouches for: an in-toto Statement v1 whose subject is the package and its SHA-256,
 * with a SLSA provenance v1 predicate naming the function, the source repository and revision, the
 * builder (the CodeBuild project) and the build id.
 *
 * <p>The JSON is canonical for a given statement (sorted keys, no whitespace, non-ASCII escaped),
 * so the same build always signs the same bytes.
 *
 * @param function the function name, {@code [a-z0-9][a-z0-9-_]{0,63}}
 * @param packageName the subject name, the package's file name (for example {@code orders-api.zip})
 * @param sha256 the package's SHA-256, 64 lowercase hex characters
 * @param repository the source repository URL without credentials, or null when unknown
 * @param revision the git commit, 40 lowercase hex characters
 * @param builderId the builder: the CodeBuild project ARN
 * @param buildId the build: CodeBuild's build ARN or id, or null when unknown
 */
public record ProvenanceStatement(
    String function,
    String packageName,
    String sha256,
    String repository,
    String revision,
    String builderId,
    String buildId) {
  public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
  public static final String SLSA_PROVENANCE_V1 = "https://slsa.dev/provenance/v1";

  /**
   * This product's SLSA build type: a CodeBuild build that packages one function from one git
   * revision with buildspecs/build.yml. A URN, as no page documents it under its own address.
   */
  public static final String BUILD_TYPE = "urn:artifact-promoter:build-type:codebuild-package:v1";

  private static final Pattern FUNCTION = Pattern.compile("[a-z0-9][a-z0-9-_]{0,63}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern REVISION = Pattern.compile("[0-9a-f]{40}");

  public ProvenanceStatement {
    require(function != null && FUNCTION.matcher(function).matches(), "function name");
    require(packageName != null && !packageName.isBlank(), "package name");
    require(sha256 != null && SHA256.matcher(sha256).matches(), "sha256 (64 lowercase hex)");
    require(
        revision != null && REVISION.matcher(revision).matches(), "revision (40 lowercase hex)");
    require(builderId != null && !builderId.isBlank(), "builder id");
    require(
        repository == null || isRecordable(repository),
        "repository (no credentials, query or fragment)");
    require(buildId == null || !buildId.isBlank(), "build id");
  }

  /** Provenance is read by everyone who may read the bucket: no token may ride in it. */
  private static boolean isRecordable(String repository) {
    try {
      return repository.equals(RepositoryUrl.sanitize(repository));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static void require(boolean valid, String what) {
    if (!valid) {
      throw new IllegalArgumentException("provenance statement: invalid or missing " + what);
    }
  }

  /** The statement as canonical JSON: the DSSE payload. */
  public byte[] toJson() {
    ObjectNode root = DsseEnvelope.MAPPER.createObjectNode();
    root.put("_type", STATEMENT_TYPE);
    ObjectNode subject = root.putArray("subject").addObject();
    subject.put("name", packageName);
    subject.putObject("digest").put("sha256", sha256);
    root.put("predicateType", SLSA_PROVENANCE_V1);
    ObjectNode predicate = root.putObject("predicate");
    ObjectNode definition = predicate.putObject("buildDefinition");
    definition.put("buildType", BUILD_TYPE);
    ObjectNode external = definition.putObject("externalParameters");
    external.put("function", function);
    ObjectNode source = external.putObject("source");
    source.put("revision", revision);
    if (repository != null) {
      source.put("repository", repository);
      ObjectNode dependency = definition.putArray("resolvedDependencies").addObject();
      dependency.put("uri", repository);
      dependency.putObject("digest").put("gitCommit", revision);
    }
    ObjectNode run = predicate.putObject("runDetails");
    run.putObject("builder").put("id", builderId);
    if (buildId != null) {
      run.putObject("metadata").put("invocationId", buildId);
    }
    try {
      return DsseEnvelope.MAPPER
          .writer()
          .with(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII)
          .writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings always serialises", e);
    }
  }

  /** Signs this statement as an in-toto DSSE envelope. */
  public DsseEnvelope sign(EnvelopeSigner signer) {
    return DsseEnvelope.sign(DsseEnvelope.IN_TOTO_PAYLOAD_TYPE, toJson(), signer);
  }

  /**
   * Reads a statement from a verified payload. Fields this product does not write are ignored, as
   * in-toto asks of consumers; the ones it relies on must be present with the right types, and the
   * subject must be exactly one package, so that "the" digest is unambiguous.
   */
  public static ProvenanceStatement fromJson(byte[] payload) {
    JsonNode root;
    try {
      root = DsseEnvelope.MAPPER.readTree(payload);
    } catch (IOException e) {
      throw malformed("is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw malformed("is not a JSON object");
    }
    if (!STATEMENT_TYPE.equals(root.path("_type").textValue())) {
      throw malformed("is not an in-toto Statement v1 (_type must be " + STATEMENT_TYPE + ")");
    }
    if (!SLSA_PROVENANCE_V1.equals(root.path("predicateType").textValue())) {
      throw malformed(
          "has no SLSA provenance v1 predicate (predicateType " + SLSA_PROVENANCE_V1 + ")");
    }
    JsonNode subjects = root.path("subject");
    if (!subjects.isArray() || subjects.size() != 1) {
      throw malformed("must name exactly one subject (the package)");
    }
    JsonNode subject = subjects.get(0);
    JsonNode definition = root.path("predicate").path("buildDefinition");
    JsonNode source = definition.path("externalParameters").path("source");
    JsonNode run = root.path("predicate").path("runDetails");
    try {
      return new ProvenanceStatement(
          string(definition.path("externalParameters"), "function", true),
          string(subject, "name", true),
          string(subject.path("digest"), "sha256", true),
          string(source, "repository", false),
          string(source, "revision", true),
          string(run.path("builder"), "id", true),
          string(run.path("metadata"), "invocationId", false));
    } catch (IllegalArgumentException e) {
      throw malformed("has " + e.getMessage().replace("provenance statement: ", "an "));
    }
  }

  private static String string(JsonNode node, String field, boolean required) {
    JsonNode value = node.path(field);
    if (value.isMissingNode() || value.isNull()) {
      if (required) {
        throw new IllegalArgumentException("provenance statement: invalid or missing " + field);
      }
      return null;
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException("provenance statement: invalid or missing " + field);
    }
    return value.textValue();
  }

  private static ProvenanceException malformed(String what) {
    return new ProvenanceException(
        Reason.MALFORMED_STATEMENT,
        "The signed provenance statement "
            + what
            + ". The signing key signed something publish does not write: find out who used the"
            + " key, and promote a build that publish signed.");
  }
}
