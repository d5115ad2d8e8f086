package org.artifactpromoter.it.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.artifactpromoter.it.pipeline.CodePipelineStub;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * The local AWS of the quick start ({@code integration-tests/demo/run-demo}) and the benchmarks
 * ({@code integration-tests/bench/}), built from the same fixtures as the integration tests: moto
 * with the four {@link LocalAccounts} and the {@link CodePipelineStub} job API. It writes into the
 * directory given as its only argument:
 *
 * <ul>
 *   <li>{@code promotion-config.json}: the PROMOTION_CONFIG document naming the accounts;
 *   <li>{@code job-results.jsonl}: each job result the stub receives, one JSON object a line
 *       ({@code operation} plus the request body), written as it arrives;
 *   <li>{@code aws.env}, written last (so its presence means ready): {@code export NAME='value'}
 *       lines that point the SDK at moto and the stub and make the caller the ops account's
 *       promoter role, through a role session as the promote Lambda would be.
 * </ul>
 *
 * It runs until its standard input closes or it is terminated, then stops moto and the stub. A line
 * {@code job-created FILE} on its standard input registers the job event FILE with the stub.
 */
public final class LocalAws {
  static final String OPS_ROLE =
      "arn:aws:iam::" + MotoServer.OPS_ACCOUNT + ":role/artifact-promoter";

  /** What a session's keys and the endpoints look like; anything else would need shell quoting. */
  private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9/+=:._-]+");

  private LocalAws() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println(
          "usage: LocalAws DIRECTORY (receives aws.env, promotion-config.json, job-results.jsonl)");
      System.exit(2);
    }
    try {
      serve(Files.createDirectories(Path.of(args[0])));
    } catch (Exception | Error e) {
      // WireMock's threads would keep a failed JVM alive, and the caller waiting for aws.env.
      e.printStackTrace();
      System.exit(1);
    }
  }

  private static void serve(Path dir) throws IOException {
    MotoServer moto = MotoServer.start();
    CodePipelineStub jobApi = CodePipelineStub.start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  jobApi.close();
                  moto.close();
                }));

    LocalAccounts accounts = new LocalAccounts(moto).create();
    Credentials ops = opsSession(moto);
    // The CLI here acts as the ops account's promoter role, so the provenance signing key must be
    // an ops-account key: moto's KMS serves a key only to callers of the account that created it
    // (no cross-account key policies), and the tests' key is created with plain credentials.
    String signingKey = opsSigningKey(moto, ops);
    // As deployed by default: stage and prod require approval.
    Files.writeString(
        dir.resolve("promotion-config.json"),
        accounts.configJsonRequiringApproval(null).replace(accounts.signingKeyArn(), signingKey));
    Path results = dir.resolve("job-results.jsonl");
    Files.writeString(results, "");
    jobApi.onResult(call -> appendLine(results, call.asJsonLine()));

    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("AWS_ENDPOINT_URL", moto.endpoint().toString());
    environment.put("AWS_ENDPOINT_URL_CODEPIPELINE", jobApi.endpoint().toString());
    environment.put("AWS_REGION", LocalAccounts.REGION.id());
    environment.put("AWS_DEFAULT_REGION", LocalAccounts.REGION.id());
    environment.put("AWS_ACCESS_KEY_ID", ops.accessKeyId());
    environment.put("AWS_SECRET_ACCESS_KEY", ops.secretAccessKey());
    environment.put("AWS_SESSION_TOKEN", ops.sessionToken());
    StringBuilder lines = new StringBuilder();
    environment.forEach(
        (name, value) -> {
          if (!SHELL_SAFE.matcher(value).matches()) {
            throw new IllegalStateException(name + " has characters the env file cannot carry");
          }
          lines.append("export ").append(name).append("='").append(value).append("'\n");
        });
    // Written aside and renamed, so a reader never sources half a file.
    Path partial = dir.resolve("aws.env.partial");
    Files.writeString(partial, lines);
    Files.move(partial, dir.resolve("aws.env"), StandardCopyOption.ATOMIC_MOVE);
    System.out.println(
        "local AWS ready: moto " + moto.endpoint() + ", CodePipeline job API " + jobApi.endpoint());

    // Stays up while the caller holds standard input open (a demo that dies closes it too). A line
    // "job-created FILE" makes the job API know the job event FILE describes, as CodePipeline
    // knows the jobs it creates; FILE.known then says it is done.
    BufferedReader input =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = input.readLine()) != null; ) {
      if (line.startsWith("job-created ")) {
        Path event = Path.of(line.substring("job-created ".length()).trim());
        jobApi.created(Files.readString(event));
        Files.writeString(Path.of(event + ".known"), "");
      }
    }
    System.exit(0); // runs the shutdown hook
  }

  private static String opsSigningKey(MotoServer moto, Credentials ops) {
    try (KmsClient kms =
        KmsClient.builder()
            .endpointOverride(moto.endpoint())
            .region(LocalAccounts.REGION)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsSessionCredentials.create(
                        ops.accessKeyId(), ops.secretAccessKey(), ops.sessionToken())))
            .httpClient(UrlConnectionHttpClient.create())
            .build()) {
      return kms.createKey(
              b ->
                  b.keySpec(KeySpec.ECC_NIST_P256)
                      .keyUsage(KeyUsageType.SIGN_VERIFY)
                      .description("provenance signing"))
          .keyMetadata()
          .arn();
    }
  }

  /** A role session in the ops account, where the promote function runs. */
  private static Credentials opsSession(MotoServer moto) {
    try (StsClient sts =
        StsClient.builder()
            .endpointOverride(moto.endpoint())
            .region(LocalAccounts.REGION)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
            .httpClient(UrlConnectionHttpClient.create())
            .build()) {
      return sts.assumeRole(b -> b.roleArn(OPS_ROLE).roleSessionName("quick-start")).credentials();
    }
  }

  private static synchronized void appendLine(Path file, String line) {
    try {
      Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
