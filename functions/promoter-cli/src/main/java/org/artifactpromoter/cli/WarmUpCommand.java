package org.artifactpromoter.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Callable;
import org.artifactpromoter.artifact.ArtifactMetadata;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * {@code artifact-promoter warm-up}: runs one real promotion, through the {@code promote} command
 * itself, against a {@link RehearsalEndpoint} in this process. A build (or an install step) runs it
 * once so that the launcher records the class-data archive of a promotion before any user's first
 * promotion. It needs no credentials and sends nothing to AWS: every endpoint, the region and the
 * credentials are set as system properties, which the SDK prefers to the environment and the
 * profile files.
 */
@Command(
    name = "warm-up",
    mixinStandardHelpOptions = true,
    description = {
      "Rehearse one promotion against a throwaway in-process S3/STS endpoint (no AWS, no",
      "credentials), so that bin/artifact-promoter records the start-up archive of a promotion."
    })
final class WarmUpCommand implements Callable<Integer> {
  static final String FUNCTION = "warm-up";
  static final String REVISION = "0123456789abcdef0123456789abcdef01234567";

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    long started = System.nanoTime();
    try (RehearsalEndpoint endpoint = new RehearsalEndpoint()) {
      String url = endpoint.uri().toString();
      // System properties win over AWS_ENDPOINT_URL*, AWS_REGION, AWS_PROFILE and the profile
      // files in the SDK's lookups: nothing of the user's AWS set-up is read or used.
      Map<String, String> previous = useRehearsalSettings(url);
      try {
        return rehearse(endpoint, started);
      } finally {
        // The settings are this process's: put back what a caller in the same JVM had.
        previous.forEach(
            (name, value) -> {
              if (value == null) {
                System.clearProperty(name);
              } else {
                System.setProperty(name, value);
              }
            });
      }
    }
  }

  private static Map<String, String> useRehearsalSettings(String url) {
    Map<String, String> rehearsal = new java.util.LinkedHashMap<>();
    for (String property :
        new String[] {"aws.endpointUrl", "aws.endpointUrlS3", "aws.endpointUrlSts"}) {
      rehearsal.put(property, url);
    }
    rehearsal.put("aws.region", "us-east-1");
    rehearsal.put("aws.accessKeyId", "AKIAREHEARSAL0000000");
    rehearsal.put("aws.secretAccessKey", "rehearsal-not-a-secret");
    rehearsal.put("aws.disableEc2Metadata", "true");
    Map<String, String> previous = new java.util.HashMap<>();
    rehearsal.forEach(
        (name, value) -> {
          previous.put(name, System.getProperty(name));
          System.setProperty(name, value);
        });
    return previous;
  }

  private int rehearse(RehearsalEndpoint endpoint, long started) throws Exception {

    byte[] sha256 = new byte[32];
    String sha256Hex = "ab".repeat(32);
    for (int i = 0; i < sha256.length; i++) {
      sha256[i] = (byte) 0xab;
    }
    Map<String, String> published =
        Map.of(
            ArtifactMetadata.GIT_REVISION, REVISION,
            ArtifactMetadata.SHA256, sha256Hex,
            ArtifactMetadata.REVISION_SUMMARY, REVISION.substring(0, 7) + " warm-up");
    String sha256Base64 = Base64.getEncoder().encodeToString(sha256);
    String release = "releases/" + FUNCTION + "/" + REVISION + ".zip";
    endpoint.put("warm-up-source", release, 4096, sha256Base64, published);
    endpoint.put("warm-up-source", "drop/" + FUNCTION + ".zip", 4096, sha256Base64, published);

    Path config = Files.createTempFile("artifact-promoter-warm-up", ".json");
    try {
      Files.writeString(config, configJson());
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CommandLine promote = ArtifactPromoterCli.commandLine();
      promote.setOut(new PrintWriter(out));
      promote.setErr(new PrintWriter(err));
      int exit =
          promote.execute(
              "promote",
              "--config",
              config.toString(),
              "--function",
              FUNCTION,
              "--from",
              "source",
              "--to",
              "destination",
              "--json");
      PrintWriter report = spec.commandLine().getErr();
      if (exit != Outcomes.EXIT_OK || !out.toString().contains("\"PROMOTED\"")) {
        report.println(
            "error: the warm-up promotion did not succeed (exit " + exit + "): " + err + out);
        report.flush();
        return Outcomes.EXIT_INTERNAL;
      }
      report.printf(
          "warm-up: rehearsed a promotion in %d ms against an in-process endpoint%n",
          (System.nanoTime() - started) / 1_000_000);
      report.flush();
      return Outcomes.EXIT_OK;
    } finally {
      Files.deleteIfExists(config);
    }
  }

  /**
   * Two environments on the rehearsal endpoint, with a KMS key so the SSE-KMS path is loaded. The
   * destination needs no approval: the rehearsal is the copy path, with no person to approve it.
   */
  private static String configJson() {
    return """
        {
          "environments": {
            "source": {
              "account": "111111111111", "region": "us-east-1", "bucket": "warm-up-source",
              "role": "arn:aws:iam::111111111111:role/warm-up", "externalId": "warm-up"
            },
            "destination": {
              "account": "222222222222", "region": "us-east-1", "bucket": "warm-up-destination",
              "role": "arn:aws:iam::222222222222:role/warm-up", "externalId": "warm-up",
              "requireApproval": false,
              "kmsKeyArn": "arn:aws:kms:us-east-1:222222222222:key/00000000-0000-0000-0000-000000000000"
            }
          },
          "promotions": { "source": ["destination"] }
        }
        """;
  }
}
