package org.artifactpromoter.it.faults;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.artifactpromoter.artifact.BuildInfo;
import org.artifactpromoter.it.support.AwsProxy;
import org.artifactpromoter.it.support.AwsProxy.Call;
import org.artifactpromoter.it.support.CliProcess;
import org.artifactpromoter.it.support.CliProcess.Run;
import org.artifactpromoter.it.support.LocalAccounts;
import org.artifactpromoter.it.support.WithLocalAccounts;
import org.artifactpromoter.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 5: when S3 refuses a lookup, every command that made it (publish, promote, status,
 * history, inspect) ends in ACCESS_DENIED and says who was refused (the environment's promotion
 * role, or the command's own credentials), on which bucket and key, and which policy to open. The
 * refusal is the one S3 sends for a denied HEAD: a bare 403 without a body, injected by the fault
 * proxy in front of moto for every request to one bucket. The CLI runs as a user runs it, in its
 * own JVM, with the proxy as its endpoint.
 */
class DeniedLookupsIT extends WithLocalAccounts {
  private static final String FUNCTION = "orders-api";
  private static final String REVISION = LocalAccounts.revision(12);
  private static final int EXIT_ACCESS_DENIED = 4;
  private static final Pattern ROLE_ARN = Pattern.compile("arn:aws:iam::\\d{12}:role/\\S+");

  private static AwsProxy proxy;
  private Map<String, String> env;

  @BeforeAll
  static void startProxy() {
    proxy = AwsProxy.start(moto);
  }

  @AfterAll
  static void stopProxy() {
    proxy.close();
  }

  @BeforeEach
  void cliThroughProxy() {
    proxy.reset();
    env = new HashMap<>(moto.clientEnvironment());
    env.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());
    env.put("PROMOTION_CONFIG", accounts.configJson(null));
  }

  @Test
  void publish_denied_namesTheCallersOwnCredentials_notThePromotionRole() throws Exception {
    Path pkg = LocalAccounts.packageFile(dir, "orders-api.zip", 40_000, 12);
    Map<String, String> build = new HashMap<>(env);
    build.put("CODEBUILD_RESOLVED_SOURCE_VERSION", REVISION);
    build.put("CODEBUILD_BUILD_ID", "orders-api-build:12");
    deny("dev");

    Run run =
        CliProcess.run(
            build,
            dir,
            "publish",
            "--function",
            FUNCTION,
            "--env",
            "dev",
            "--file",
            pkg.toString(),
            "--json");

    String message = assertDenied(run, "dev");
    assertThat(message)
        .contains("credentials this command runs with", "build-publish.json.tftpl")
        .doesNotContain("promotion role");
    assertThat(ROLE_ARN.matcher(message).find()).as("no role is named: " + message).isFalse();
  }

  @Test
  void promote_deniedInTheSourceAccount_namesTheSourcePromotionRole() throws Exception {
    publishToDev();
    deny("dev");

    Run run = cli("promote", "--function", FUNCTION, "--from", "dev", "--to", "stage", "--json");

    assertThat(assertDenied(run, "dev"))
        .contains("the promotion role " + LocalAccounts.roleArn("dev"), "access.json.tftpl");
    assertThat(accounts.snapshot())
        .noneMatch(object -> object.contains(LocalAccounts.bucket("stage")));
  }

  @Test
  void promote_deniedInTheTargetAccount_namesTheTargetPromotionRole() throws Exception {
    publishToDev();
    deny("stage");

    Run run =
        cli(
            "promote",
            "--function",
            FUNCTION,
            "--from",
            "dev",
            "--to",
            "stage",
            "--revision",
            REVISION,
            "--json");

    assertThat(assertDenied(run, "stage"))
        .contains("the promotion role " + LocalAccounts.roleArn("stage"));
  }

  @Test
  void status_deniedInOneAccount_reportsItThereAndTheOthersStillShow() throws Exception {
    publishToDev();
    deny("stage");

    Run run = cli("status", "--function", FUNCTION, "--json");

    assertThat(run.exitCode()).as(run.stderr()).isEqualTo(EXIT_ACCESS_DENIED);
    assertThat(run.stdout() + run.stderr()).doesNotContain("NullPointerException");
    JsonNode states = Json.MAPPER.readTree(run.stdout());
    JsonNode stage = null;
    for (JsonNode state : states) {
      if (state.get("environment").asText().equals("stage")) {
        stage = state;
      } else {
        assertThat(state.path("error").isMissingNode() || state.path("error").isNull())
            .as(state.toString())
            .isTrue();
      }
    }
    assertThat(stage).as(run.stdout()).isNotNull();
    String error = stage.get("error").asText();
    assertThat(error).startsWith("ACCESS_DENIED: ");
    assertNamesDeniedObject(error, "stage");
    assertThat(error).contains("the promotion role " + LocalAccounts.roleArn("stage"));
  }

  @Test
  void history_denied_namesTheEnvironmentsPromotionRole() {
    deny("prod");

    Run run = cli("history", "--function", FUNCTION, "--env", "prod", "--json");

    assertThat(assertDenied(run, "prod"))
        .contains("the promotion role " + LocalAccounts.roleArn("prod"));
  }

  @Test
  void inspectByEnvironment_denied_namesTheEnvironmentsPromotionRole() throws Exception {
    publishToDev();
    deny("dev");

    Run run = cli("inspect", "--env", "dev", "--key", "drop/" + FUNCTION + ".zip", "--json");

    assertThat(assertDenied(run, "dev"))
        .contains("the promotion role " + LocalAccounts.roleArn("dev"));
  }

  @Test
  void inspectByBucket_denied_namesTheCallersOwnCredentials() throws Exception {
    publishToDev();
    deny("dev");

    Run run =
        cli(
            "inspect",
            "--bucket",
            LocalAccounts.bucket("dev"),
            "--key",
            "drop/" + FUNCTION + ".zip",
            "--json");

    assertThat(assertDenied(run, "dev"))
        .contains("credentials this command runs with")
        .doesNotContain("promotion role");
  }

  // ------------------------------------------------------------------ helpers

  private Run cli(String... args) {
    return CliProcess.run(env, dir, args);
  }

  /** Published straight to moto, not through the proxy: only the command under test is denied. */
  private void publishToDev() throws Exception {
    Path pkg = LocalAccounts.packageFile(dir, "orders-api.zip", 40_000, 12);
    accounts.publish(FUNCTION, "dev", pkg, new BuildInfo(REVISION, "main", null, "m", null));
  }

  /**
   * Every request to {@code environment}'s bucket gets what S3 sends for a denied HEAD: 403 and no
   * body (so no error code either). STS calls (POST to the root) still pass.
   */
  private static void deny(String environment) {
    proxy.failAlways(
        any(urlPathMatching("/" + Pattern.quote(LocalAccounts.bucket(environment)) + "(/.*)?")),
        aResponse().withStatus(403));
  }

  /** Exit code, error code and message of a denied command; returns the message. */
  private String assertDenied(Run run, String environment) {
    assertThat(run.exitCode()).as("stderr: %s", run.stderr()).isEqualTo(EXIT_ACCESS_DENIED);
    assertThat(run.stdout() + run.stderr()).doesNotContain("NullPointerException", "(null)");
    // Log lines (the attempt log's warning) come first; the command's verdict is its own line.
    String message =
        run.stderr()
            .lines()
            .filter(line -> line.startsWith("error: "))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no error line in: " + run.stderr()));
    assertThat(message).startsWith("error: ACCESS_DENIED: ");
    JsonNode failure;
    try {
      failure = Json.MAPPER.readTree(run.stdout());
    } catch (Exception e) {
      throw new AssertionError("stdout is no JSON: " + run.stdout(), e);
    }
    assertThat(failure.get("error").asText()).isEqualTo("ACCESS_DENIED");
    assertNamesDeniedObject(message, environment);
    return message;
  }

  /** The message names the bucket and key of the request the proxy refused. */
  private static void assertNamesDeniedObject(String message, String environment) {
    String bucket = LocalAccounts.bucket(environment);
    List<Call> refused = proxy.calls().stream().filter(c -> c.status() == 403).toList();
    assertThat(refused).as("the proxy refused a request").isNotEmpty();
    // Lookups of one promotion run in parallel: the failure reported is one of the refused ones,
    // not necessarily the last to be refused.
    List<String> deniedObjects =
        refused.stream().map(c -> "s3://" + bucket + "/" + key(c, bucket)).distinct().toList();
    assertThat(deniedObjects).anySatisfy(denied -> assertThat(message).contains(denied));
    assertThat(message).contains("bucket " + bucket);
  }

  /** The key a path-style request addressed, or the prefix it listed. */
  private static String key(Call call, String bucket) {
    URI url = URI.create(call.url());
    String path = url.getRawPath().substring(("/" + bucket).length());
    if (path.length() > 1) {
      return URLDecoder.decode(path.substring(1), StandardCharsets.UTF_8);
    }
    Matcher prefix = Pattern.compile("(?:^|&)prefix=([^&]*)").matcher(url.getRawQuery());
    assertThat(prefix.find()).as(call.url()).isTrue();
    return URLDecoder.decode(prefix.group(1), StandardCharsets.UTF_8);
  }
}
