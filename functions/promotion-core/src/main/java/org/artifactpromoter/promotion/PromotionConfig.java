package org.artifactpromoter.promotion;

import static org.artifactpromoter.json.Json.optionalString;
import static org.artifactpromoter.json.Json.refuseUnknownFields;
import static org.artifactpromoter.json.Json.requiredString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.artifactpromoter.deployed.DeployedFunctionPattern;
import org.artifactpromoter.events.PromotionEventPublisher;
import org.artifactpromoter.json.Json;
import org.artifactpromoter.model.CopySettings;
import org.artifactpromoter.model.Environment;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.model.Shown;
import org.artifactpromoter.provenance.SigningKeyArn;

/**
 * The environments and the allowed promotions (README "Configuration"). Role ARNs come only from
 * here, never from a request.
 */
public final class PromotionConfig {
  private static final Pattern ENV_NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");
  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern ROLE_ARN =
      Pattern.compile("arn:aws[a-z-]*:iam::(\\d{12}):role/[\\w+=,.@/-]{1,512}");
  private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");
  private static final Pattern KMS_KEY_ARN =
      Pattern.compile("arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:(key|alias)/[\\w/+=,.@-]+");

  private final Map<String, Environment> environments;
  private final Map<String, List<String>> promotions;
  private final CopySettings copy;
  private final ProvenancePolicy provenance;
  private final Map<String, ApprovalPolicy> approvals;
  private final Observability observability;

  /** Every environment with the default approval policy (approval required). */
  public PromotionConfig(
      Map<String, Environment> environments,
      Map<String, List<String>> promotions,
      CopySettings copy,
      ProvenancePolicy provenance) {
    this(environments, promotions, copy, provenance, Map.of(), Observability.defaults());
  }

  /**
   * @param approvals each environment's approval policy; an environment not in it has {@link
   *     ApprovalPolicy#DEFAULT}
   */
  public PromotionConfig(
      Map<String, Environment> environments,
      Map<String, List<String>> promotions,
      CopySettings copy,
      ProvenancePolicy provenance,
      Map<String, ApprovalPolicy> approvals,
      Observability observability) {
    this.approvals = Map.copyOf(approvals);
    this.environments = Collections.unmodifiableMap(new LinkedHashMap<>(environments));
    Map<String, List<String>> graph = new LinkedHashMap<>();
    promotions.forEach((from, to) -> graph.put(from, List.copyOf(to)));
    this.promotions = Collections.unmodifiableMap(graph);
    this.copy = copy;
    this.provenance = provenance;
    this.observability = observability;
  }

  /**
   * Where outcomes are announced and where each environment's function runs (issue 14). Kept apart
   * from {@link Environment} so that the promotion workflow's value types do not change with it.
   *
   * @param eventBus the EventBridge bus name or ARN promotion events go to; null for the default
   *     bus of the account the promoter runs in
   * @param deployedFunctions each environment's {@code deployedFunctionPattern}; an environment not
   *     listed uses {@link DeployedFunctionPattern#DEFAULT}
   */
  public record Observability(
      String eventBus, Map<String, DeployedFunctionPattern> deployedFunctions) {
    public Observability {
      deployedFunctions = Map.copyOf(deployedFunctions);
    }

    public static Observability defaults() {
      return new Observability(null, Map.of());
    }
  }

  /** Parses and validates the whole document; every problem names where it is and what to do. */
  public static PromotionConfig parse(String json) {
    if (json == null || json.isBlank()) {
      throw config(
          "is empty. Set PROMOTION_CONFIG (or pass --config FILE) to the JSON document"
              + " described in the README.");
    }
    ObjectNode root;
    try {
      root = Json.parseObject(json, "Promotion configuration");
    } catch (PromotionException e) {
      throw new PromotionException(ErrorCode.INVALID_REQUEST, e.getMessage());
    }
    refuseUnknownFields(
        root,
        Set.of("environments", "promotions", "copy", "provenance", "eventBus"),
        "Promotion configuration");
    JsonNode envs = root.get("environments");
    if (envs == null || !envs.isObject() || envs.isEmpty()) {
      throw config("needs an \"environments\" object with at least one environment.");
    }
    Map<String, Environment> environments = new LinkedHashMap<>();
    Map<String, ApprovalPolicy> approvals = new LinkedHashMap<>();
    Map<String, DeployedFunctionPattern> deployedFunctions = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = envs.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      environments.put(entry.getKey(), parseEnvironment(entry.getKey(), entry.getValue()));
      approvals.put(entry.getKey(), parseApproval(entry.getKey(), entry.getValue()));
      parseDeployedFunctionPattern(entry.getKey(), entry.getValue())
          .ifPresent(pattern -> deployedFunctions.put(entry.getKey(), pattern));
    }
    Map<String, List<String>> promotions = parsePromotions(root.get("promotions"), environments);
    CopySettings copy = parseCopy(root.get("copy"));
    ProvenancePolicy provenance = parseProvenance(root.get("provenance"));
    return new PromotionConfig(
        environments,
        promotions,
        copy,
        provenance,
        approvals,
        new Observability(parseEventBus(root), deployedFunctions));
  }

  private static String parseEventBus(JsonNode root) {
    String bus = optionalString(root, "eventBus", "Promotion configuration");
    try {
      return PromotionEventPublisher.validBusName(bus);
    } catch (IllegalArgumentException e) {
      throw config("\"eventBus\": " + e.getMessage() + ".");
    }
  }

  private static Optional<DeployedFunctionPattern> parseDeployedFunctionPattern(
      String name, JsonNode node) {
    String where = "Promotion configuration environment \"" + Shown.value(name) + "\"";
    String pattern = optionalString(node, "deployedFunctionPattern", where);
    if (pattern == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(DeployedFunctionPattern.of(pattern));
    } catch (IllegalArgumentException e) {
      throw config("environment \"" + Shown.value(name) + "\": " + e.getMessage() + ".");
    }
  }

  private static Environment parseEnvironment(String name, JsonNode node) {
    String env = "environment \"" + Shown.value(name) + "\"";
    String where = "Promotion configuration " + env;
    if (!ENV_NAME.matcher(name).matches()) {
      throw config(
          "environment name \""
              + Shown.value(name)
              + "\" must match [a-z][a-z0-9-]{0,31} (e.g. dev, stage).");
    }
    if (!node.isObject()) {
      throw config("environment \"" + Shown.value(name) + "\" must be a JSON object.");
    }
    refuseUnknownFields(
        node,
        Set.of(
            "account",
            "region",
            "bucket",
            "role",
            "externalId",
            "kmsKeyArn",
            "conditionalWrites",
            "requireApproval",
            "pipelines",
            "deployedFunctionPattern"),
        where);
    String account = requiredString(node, "account", where);
    String region = requiredString(node, "region", where);
    String bucket = requiredString(node, "bucket", where);
    String role = requiredString(node, "role", where);
    String externalId = requiredString(node, "externalId", where);
    String kmsKeyArn = optionalString(node, "kmsKeyArn", where);
    JsonNode conditionalWrites = node.get("conditionalWrites");
    require(
        conditionalWrites == null || conditionalWrites.isBoolean(),
        env
            + ": conditionalWrites must be true (the bucket refuses a second write at a release"
            + " key, as S3 does) or false (a store that ignores If-None-Match, such as moto).");
    require(ACCOUNT.matcher(account).matches(), env + ": account must be 12 digits.");
    require(
        REGION.matcher(region).matches(),
        env + ": region \"" + Shown.value(region) + "\" is not a region.");
    require(
        BUCKET.matcher(bucket).matches(),
        env + ": bucket \"" + Shown.value(bucket) + "\" is not a valid S3 bucket name.");
    var roleMatch = ROLE_ARN.matcher(role);
    require(
        roleMatch.matches(),
        env + ": role must be an IAM role ARN (arn:aws:iam::<account>:role/<name>).");
    require(
        roleMatch.group(1).equals(account),
        env
            + ": role "
            + Shown.value(role)
            + " is not in the environment's account "
            + account
            + ".");
    require(
        EXTERNAL_ID.matcher(externalId).matches(),
        env + ": externalId must be 2-1224 characters of [A-Za-z0-9+=,.@:/-_].");
    require(
        kmsKeyArn == null || KMS_KEY_ARN.matcher(kmsKeyArn).matches(),
        env + ": kmsKeyArn must be a KMS key or alias ARN.");
    return new Environment(
        name,
        account,
        region,
        bucket,
        role,
        externalId,
        kmsKeyArn,
        conditionalWrites == null || conditionalWrites.booleanValue());
  }

  /** {@code requireApproval} (default true) and {@code pipelines} (default the module's naming). */
  private static ApprovalPolicy parseApproval(String name, JsonNode node) {
    String env = "environment \"" + Shown.value(name) + "\"";
    JsonNode required = node.get("requireApproval");
    require(
        required == null || required.isBoolean(),
        env + ": requireApproval must be true or false (default true).");
    JsonNode pipelines = node.get("pipelines");
    List<String> patterns = new ArrayList<>();
    if (pipelines == null) {
      patterns.add(ApprovalPolicy.DEFAULT_PIPELINE);
    } else {
      require(
          pipelines.isArray() && !pipelines.isEmpty(),
          env
              + ": pipelines must be a non-empty list of pipeline names, e.g. [\""
              + ApprovalPolicy.DEFAULT_PIPELINE
              + "\"] ({function} and {environment} are replaced).");
      for (JsonNode pattern : pipelines) {
        require(
            pattern.isTextual()
                && ApprovalPolicy.PIPELINE_PATTERN.matcher(pattern.textValue()).matches()
                && pattern.textValue().length() <= ApprovalPolicy.MAX_PIPELINE_NAME,
            env
                + ": pipelines lists "
                + Shown.value(pattern.toString())
                + ", which is not a CodePipeline pipeline name (letters, digits, . @ - _, at most "
                + ApprovalPolicy.MAX_PIPELINE_NAME
                + " characters; {function} and {environment} are replaced).");
        patterns.add(pattern.textValue());
      }
    }
    return new ApprovalPolicy(required == null || required.booleanValue(), patterns);
  }

  private static Map<String, List<String>> parsePromotions(
      JsonNode node, Map<String, Environment> environments) {
    if (node == null || !node.isObject()) {
      throw config(
          "needs a \"promotions\" object, e.g. {\"dev\": [\"stage\"], \"stage\": [\"prod\"]}.");
    }
    Map<String, List<String>> graph = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String from = entry.getKey();
      require(
          environments.containsKey(from),
          "promotions: \""
              + Shown.value(from)
              + "\" is not one of the environments "
              + environments.keySet());
      require(
          entry.getValue().isArray(),
          "promotions: \"" + Shown.value(from) + "\" must list destination environments.");
      List<String> targets = new ArrayList<>();
      for (JsonNode to : entry.getValue()) {
        require(
            to.isTextual() && environments.containsKey(to.textValue()),
            "promotions: \""
                + Shown.value(from)
                + "\" lists "
                + Shown.value(to.toString())
                + ", which is not an environment.");
        require(
            !to.textValue().equals(from),
            "promotions: \"" + Shown.value(from) + "\" cannot be promoted to itself.");
        targets.add(to.textValue());
      }
      graph.put(from, targets);
    }
    return graph;
  }

  private static CopySettings parseCopy(JsonNode node) {
    CopySettings defaults = CopySettings.defaults();
    if (node == null || node.isNull()) {
      return defaults;
    }
    require(node.isObject(), "\"copy\" must be a JSON object.");
    refuseUnknownFields(
        node,
        Set.of("mode", "multipartThresholdBytes", "partSizeBytes", "maxConcurrency"),
        "Promotion configuration \"copy\"");
    CopySettings.CopyMode mode = defaults.mode();
    String modeName = optionalString(node, "mode", "Promotion configuration \"copy\"");
    if (modeName != null) {
      mode = null;
      for (CopySettings.CopyMode candidate : CopySettings.CopyMode.values()) {
        if (candidate.configName().equals(modeName)) {
          mode = candidate;
        }
      }
      require(mode != null, "copy.mode must be \"server-side\" or \"streamed\".");
    }
    long threshold = longField(node, "multipartThresholdBytes", defaults.multipartThresholdBytes());
    long partSize = longField(node, "partSizeBytes", defaults.partSizeBytes());
    long concurrency = longField(node, "maxConcurrency", defaults.maxConcurrency());
    require(
        threshold >= 1 && threshold <= CopySettings.S3_COPY_OBJECT_LIMIT,
        "copy.multipartThresholdBytes must be between 1 and 5 GiB (S3's CopyObject limit).");
    require(
        partSize >= CopySettings.MIN_PART_SIZE && partSize <= CopySettings.S3_COPY_OBJECT_LIMIT,
        "copy.partSizeBytes must be between 5 MiB and 5 GiB (S3's part size limits).");
    require(concurrency >= 1 && concurrency <= 32, "copy.maxConcurrency must be 1 to 32.");
    return new CopySettings(mode, threshold, partSize, (int) concurrency);
  }

  /**
   * {@code {"signingKeyArn": "<KMS key ARN>", "required": true}}, or absent: provenance is then
   * neither written by publish nor checked by promotions.
   */
  private static ProvenancePolicy parseProvenance(JsonNode node) {
    if (node == null || node.isNull()) {
      return ProvenancePolicy.OFF;
    }
    String where = "Promotion configuration \"provenance\"";
    require(
        node.isObject(),
        "\"provenance\" must be a JSON object: {\"signingKeyArn\": \"arn:aws:kms:...:key/...\","
            + " \"required\": true}.");
    refuseUnknownFields(node, Set.of("signingKeyArn", "required"), where);
    String arn = requiredString(node, "signingKeyArn", where);
    JsonNode required = node.get("required");
    require(
        required != null && required.isBoolean(),
        "provenance.required must be true (refuse releases without a valid signed envelope) or"
            + " false (verify envelopes that exist, promote releases published before signing).");
    try {
      return new ProvenancePolicy(SigningKeyArn.parse(arn), required.booleanValue());
    } catch (IllegalArgumentException e) {
      throw config(e.getMessage());
    }
  }

  private static long longField(JsonNode node, String field, long fallback) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    require(
        value.canConvertToLong() && value.isIntegralNumber(),
        "copy." + field + " must be an integer.");
    return value.longValue();
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw config(message);
    }
  }

  private static PromotionException config(String message) {
    return new PromotionException(ErrorCode.INVALID_REQUEST, "Promotion configuration " + message);
  }

  public Optional<Environment> environment(String name) {
    return Optional.ofNullable(environments.get(name));
  }

  /** The named environment, or a refusal that lists the known ones. */
  public Environment require(String name) {
    return environment(name)
        .orElseThrow(
            () ->
                PromotionException.invalid(
                    "Unknown environment \""
                        + name
                        + "\"; known environments: "
                        + environments.keySet()
                        + "."));
  }

  public Map<String, Environment> environments() {
    return environments;
  }

  public Map<String, List<String>> promotions() {
    return promotions;
  }

  /** The approval policy of environment {@code name} (the default for an unknown one). */
  public ApprovalPolicy approval(String name) {
    return approvals.getOrDefault(name, ApprovalPolicy.DEFAULT);
  }

  public boolean allows(String from, String to) {
    return promotions.getOrDefault(from, List.of()).contains(to);
  }

  public CopySettings copy() {
    return copy;
  }

  /** Whether and with which key release provenance is signed and checked. */
  public ProvenancePolicy provenance() {
    return provenance;
  }

  /** The EventBridge bus name or ARN for promotion events; empty for the default bus. */
  public Optional<String> eventBus() {
    return Optional.ofNullable(observability.eventBus());
  }

  /** How {@code environment}'s deployed Lambda function is named. */
  public DeployedFunctionPattern deployedFunctionPattern(String environment) {
    return observability
        .deployedFunctions()
        .getOrDefault(environment, DeployedFunctionPattern.defaultPattern());
  }

  @Override
  public String toString() {
    return "PromotionConfig[environments="
        + environments.values()
        + ", promotions="
        + promotions
        + ", provenance="
        + provenance
        + "]";
  }
}
