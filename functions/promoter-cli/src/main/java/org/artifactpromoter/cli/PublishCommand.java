package org.artifactpromoter.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.artifactpromoter.artifact.BuildInfo;
import org.artifactpromoter.artifact.Publisher;
import org.artifactpromoter.aws.AwsClients;
import org.artifactpromoter.aws.S3ArtifactStore;
import org.artifactpromoter.json.Json;
import org.artifactpromoter.model.Environment;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.promotion.PromotionConfig;
import org.artifactpromoter.promotion.ProvenancePolicy;
import org.artifactpromoter.provenance.KmsEnvelopeSigner;
import org.artifactpromoter.provenance.SigningKeyArn;
import org.artifactpromoter.wiring.AwsModule;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;

@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = {
      "Upload a freshly built package to an environment's artifact bucket.",
      "Writes the release key, then the drop key, with the package's SHA-256 and git facts, using"
          + " the ambient AWS credentials (the build's role). With provenance in the"
          + " configuration (and --env), first writes releases/<function>/<revision>.intoto.json:"
          + " an in-toto statement signed with the configured KMS key. Git facts come from the flags, else"
          + " from CodeBuild's variables (CODEBUILD_RESOLVED_SOURCE_VERSION,"
          + " CODEBUILD_SOURCE_REPO_URL, CODEBUILD_WEBHOOK_HEAD_REF, CODEBUILD_BUILD_ID), else"
          + " from the local git checkout."
    })
final class PublishCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin CommonOptions common;

  @Option(names = "--function", required = true, description = "Function name, e.g. orders-api.")
  String function;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  static final class Target {
    @Option(
        names = "--env",
        description = "Environment in the configuration: its bucket and KMS key.")
    String env;

    @ArgGroup(exclusive = false)
    ByBucket byBucket;
  }

  static final class ByBucket {
    @Option(names = "--bucket", required = true, description = "Artifact bucket name.")
    String bucket;

    @Option(names = "--kms-key-arn", description = "KMS key for SSE-KMS (default: the bucket's).")
    String kmsKeyArn;

    // A build knows its bucket and the signing key, not the whole promotion configuration (whose
    // ExternalIds it has no business holding).
    @Option(
        names = "--signing-key-arn",
        paramLabel = "KEY_ARN",
        description =
            "KMS key (ARN, ECC_NIST_P256) that signs the package's provenance, as"
                + " provenance.signingKeyArn in the configuration; without it nothing is signed.")
    String signingKeyArn;
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

  @Override
  public Integer call() {
    String bucket;
    String kmsKeyArn;
    Region region;
    ProvenancePolicy provenance = ProvenancePolicy.OFF;
    if (target.env != null) {
      PromotionConfig config = PromotionConfig.parse(common.configJson());
      Environment env = config.require(target.env);
      provenance = config.provenance();
      bucket = env.bucket();
      kmsKeyArn = env.kmsKeyArn();
      region = Region.of(env.region());
    } else {
      bucket = target.byBucket.bucket;
      kmsKeyArn = target.byBucket.kmsKeyArn;
      region = AwsModule.homeRegion();
      if (target.byBucket.signingKeyArn != null) {
        try {
          // required only matters to promotions; publish signs whenever it has a key.
          provenance =
              new ProvenancePolicy(SigningKeyArn.parse(target.byBucket.signingKeyArn), true);
        } catch (IllegalArgumentException e) {
          throw PromotionException.invalid("--signing-key-arn: " + e.getMessage());
        }
      }
    }
    BuildInfo build =
        new GitFacts(System.getenv(), Path.of("").toAbsolutePath())
            .resolve(revision, branch, repository, message, buildId);
    SdkPreload.awaitBeforeClients();
    DefaultCredentialsProvider buildCredentials = DefaultCredentialsProvider.builder().build();
    try (AwsClients clients = new AwsClients();
        S3Client s3 = clients.s3(region, buildCredentials);
        KmsClient kms =
            provenance.enabled()
                ? clients.kms(Region.of(provenance.signingKeyArn().region()), buildCredentials)
                : null) {
      Publisher publisher =
          kms == null
              ? new Publisher()
              : new Publisher(
                  new Publisher.Signing(
                      new KmsEnvelopeSigner(kms, provenance.signingKeyArn()),
                      builderId(System.getenv())));
      Publisher.PublishResult result =
          publisher.publish(
              function, S3ArtifactStore.withClient(s3, bucket, kmsKeyArn), file, build);
      var out = spec.commandLine().getOut();
      if (common.json) {
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

  /** Provenance names a builder that is not the promoter's own: the build that ran publish. */
  static final String LOCAL_BUILDER = "urn:artifact-promoter:builder:outside-codebuild";

  /**
   * The CodeBuild project of this build ({@code arn:...:project/NAME}), from CODEBUILD_BUILD_ARN
   * ({@code arn:...:build/NAME:BUILD-UUID}); outside CodeBuild a fixed name that says so.
   */
  static String builderId(java.util.Map<String, String> environment) {
    String build = environment.get("CODEBUILD_BUILD_ARN");
    java.util.regex.Matcher arn =
        build == null
            ? null
            : java.util.regex.Pattern.compile(
                    "(arn:aws[a-z-]*:codebuild:[a-z0-9-]+:\\d{12}:)build/([A-Za-z0-9][A-Za-z0-9_-]{1,254}):[^:]+")
                .matcher(build);
    if (arn == null || !arn.matches()) {
      return LOCAL_BUILDER;
    }
    return arn.group(1) + "project/" + arn.group(2);
  }
}
