package org.artifactpromoter.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.artifactpromoter.artifact.ArtifactStore;
import org.artifactpromoter.artifact.ArtifactVersion;
import org.artifactpromoter.aws.AwsClients;
import org.artifactpromoter.aws.S3ArtifactStore;
import org.artifactpromoter.json.Json;
import org.artifactpromoter.model.Environment;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.promotion.PromotionIds;
import org.artifactpromoter.wiring.AwsModule;
import org.artifactpromoter.wiring.PromoterComponent;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = {
      "Show one artifact version's size, SHA-256, metadata and tags.",
      "The deploy buildspec uses it to read the git revision of the version it deploys. With"
          + " --bucket it reads with the ambient AWS credentials; with --env, through the"
          + " environment's promotion role, like status."
    })
final class InspectCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin CommonOptions common;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Where where;

  static final class Where {
    @Option(
        names = "--env",
        description = "Environment: its bucket, read through its promotion role (like status).")
    String env;

    @Option(names = "--bucket", description = "Bucket, read with the ambient credentials.")
    String bucket;
  }

  @Option(names = "--key", required = true, description = "Key.")
  String key;

  @Option(names = "--version-id", description = "Version (default: the current one).")
  String versionId;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Inspection(
      String bucket,
      String key,
      String versionId,
      long sizeBytes,
      String sha256,
      Map<String, String> metadata,
      Map<String, String> tags) {}

  @Override
  public Integer call() {
    if (where.env != null) {
      PromoterComponent component = common.component();
      Environment environment = component.promoter().config().require(where.env);
      return print(
          component
              .artifactStores()
              .of(
                  environment,
                  "read-" + PromotionIds.next(component.clock()),
                  PromoteCommand.requestedBy()));
    }
    try (AwsClients clients = new AwsClients();
        S3Client s3 =
            clients.s3(AwsModule.homeRegion(), DefaultCredentialsProvider.builder().build())) {
      return print(S3ArtifactStore.withClient(s3, where.bucket, null));
    }
  }

  private int print(ArtifactStore store) {
    String bucket = store.bucket();
    ArtifactVersion artifact =
        store
            .head(key, versionId)
            .orElseThrow(
                () ->
                    new PromotionException(
                        ErrorCode.REVISION_NOT_FOUND,
                        "Nothing at s3://"
                            + bucket
                            + "/"
                            + key
                            + (versionId == null ? "" : " version " + versionId)
                            + "."));
    Inspection inspection =
        new Inspection(
            bucket,
            key,
            artifact.versionId(),
            artifact.sizeBytes(),
            artifact.recordedSha256(),
            new TreeMap<>(artifact.metadata()),
            new TreeMap<>(store.tags(key, artifact.versionId())));
    var out = spec.commandLine().getOut();
    if (common.json) {
      out.println(Json.writePretty(inspection));
    } else {
      out.printf(
          "s3://%s/%s (version %s), %d bytes%n",
          bucket, key, inspection.versionId(), inspection.sizeBytes());
      inspection.metadata().forEach((k, v) -> out.printf("  metadata %-40s %s%n", k, v));
      inspection.tags().forEach((k, v) -> out.printf("  tag      %-40s %s%n", k, v));
    }
    out.flush();
    return Outcomes.EXIT_OK;
  }
}
