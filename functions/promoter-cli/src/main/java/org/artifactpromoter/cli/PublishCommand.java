package org.artifactpromoter.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.artifactpromoter.artifact.ArtifactCopier;
import org.artifactpromoter.artifact.BuildInfo;
import org.artifactpromoter.artifact.Publisher;
import org.artifactpromoter.aws.S3ArtifactStore;
import org.artifactpromoter.aws.AwsClients;
import org.artifactpromoter.json.Json;
import org.artifactpromoter.model.CopySettings;
import org.artifactpromoter.model.Environment;
import org.artifactpromoter.promotion.PromotionConfig;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = {
      "Upload a freshly built package to an environment's artifact bucket (release key, then drop",
      "key) with its SHA-256 and git facts. Uses the ambient AWS credentials (the build's role).",
      "Git facts: the flags, else CodeBuild's variables (CODEBUILD_RESOLVED_SOURCE_VERSION,",
      "CODEBUILD_SOURCE_REPO_URL, CODEBUILD_WEBHOOK_HEAD_REF, CODEBUILD_BUILD_ID), else the local",
      "git checkout."
    })
final class PublishCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--function", required = true, description = "Function name, e.g. orders-api.")
  String function;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  static final class Target {
    @ArgGroup(exclusive = false)
    ByEnvironment byEnvironment;

    @ArgGroup(exclusive = false)
    ByBucket byBucket;
  }

  static final class ByEnvironment {
    @Option(names = "--env", required = true, description = "Environment in the configuration.")
    String env;

    @Option(
        names = "--config",
        paramLabel = "FILE",
        description = "Configuration file (default: $PROMOTION_CONFIG).")
    Path config;
  }

  static final class ByBucket {
    @Option(names = "--bucket", required = true, description = "Artifact bucket name.")
    String bucket;

    @Option(names = "--kms-key-arn", description = "KMS key for SSE-KMS (default: the bucket's).")
    String kmsKeyArn;
  }

  @Option(names = "--file", required = true, paramLabel = "PACKAGE", description = "The package.")
  Path file;

  @Option(names = "--revision", paramLabel = "SHA", description = "40-hex git commit.")
  String revision;

  @Option(names = "--branch", description = "Git branch.")
  String branch;

  @Option(names = "--repository", paramLabel = "URL", description = "Git repository URL.")
  String repository;

  @Option(names = "--message", description = "Commit message (default: from git).")
  String message;

  @Option(names = "--build-id", paramLabel = "ID", description = "Build id.")
  String buildId;

  @Option(names = "--json", description = "Print the result as JSON on stdout.")
  boolean json;

  @Override
  public Integer call() {
    String bucket;
    String kmsKeyArn;
    Region region;
    if (target.byEnvironment != null) {
      CommonOptions options = new CommonOptions();
      options.config = target.byEnvironment.config;
      PromotionConfig config = PromotionConfig.parse(options.configJson());
      Environment env = config.require(target.byEnvironment.env);
      bucket = env.bucket();
      kmsKeyArn = env.kmsKeyArn();
      region = Region.of(env.region());
    } else {
      bucket = target.byBucket.bucket;
      kmsKeyArn = target.byBucket.kmsKeyArn;
      region = org.artifactpromoter.wiring.AwsModule.homeRegion();
    }
    BuildInfo git =
        new GitFacts(System.getenv(), Path.of("").toAbsolutePath())
            .resolve(revision, branch, repository, message, buildId);
    try (AwsClients clients = new AwsClients();
        S3Client s3 = clients.s3(region, DefaultCredentialsProvider.builder().build())) {
      Publisher.PublishResult result =
          new Publisher(
                  new S3ArtifactStore(s3),
                  new ArtifactCopier(
                      CopySettings.defaults(),
                      Executors.newSingleThreadExecutor(
                          r -> {
                            Thread t = new Thread(r, "artifact-promoter-part");
                            t.setDaemon(true);
                            return t;
                          })))
              .publish(function, bucket, kmsKeyArn, file, git);
      var out = spec.commandLine().getOut();
      if (json) {
        out.println(Json.writePretty(result));
      } else {
        out.printf("%s %s revision %s%n", result.status(), result.function(), result.revision());
        out.printf("  sha256     %s (%d bytes)%n", result.sha256(), result.sizeBytes());
        out.printf("  release    %s%n", PromoteCommand.describe(result.release()));
        out.printf("  drop key   %s%n", PromoteCommand.describe(result.dropKey()));
      }
      out.flush();
    }
    return Outcomes.EXIT_OK;
  }
}
