package org.artifactpromoter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * The command line as a user meets it: exit codes, stdout and stderr. Every case here is refused
 * before any AWS call, so none needs an emulator (surefire runs these without PROMOTION_CONFIG and
 * with a fixed region, so the SDK never looks one up on the network).
 */
class ArtifactPromoterCliTest {
  private static final String REVISION = "0123456789abcdef0123456789abcdef01234567";

  @TempDir Path dir;
  private Path config;

  @BeforeEach
  void configurationFile() throws Exception {
    config =
        Files.writeString(
            dir.resolve("promotion.json"),
            """
            {
              "environments": {
                "dev":   {"account": "222222222222", "region": "us-east-1",
                          "bucket": "acme-dev-artifacts",
                          "role": "arn:aws:iam::222222222222:role/artifact-promotion",
                          "externalId": "dev-shared-secret"},
                "stage": {"account": "333333333333", "region": "us-east-1",
                          "bucket": "acme-stage-artifacts",
                          "role": "arn:aws:iam::333333333333:role/artifact-promotion",
                          "externalId": "stage-shared-secret"},
                "prod":  {"account": "444444444444", "region": "us-east-1",
                          "bucket": "acme-prod-artifacts",
                          "role": "arn:aws:iam::444444444444:role/artifact-promotion",
                          "externalId": "prod-shared-secret"}
              },
              "promotions": {"dev": ["stage"], "stage": ["prod"]}
            }
            """);
  }

  // --- help and usage --------------------------------------------------------------------------

  /**
   * main builds only the command it runs; what a user sees must not depend on that: the same exit
   * code, stdout and stderr as with every command built.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "promote --help",
        "publish -h",
        "status --help",
        "history --help",
        "verify --help",
        "inspect --help",
        "invoke --help",
        "warm-up --help",
        "promote",
        "promote --function",
        "promote --function f --from dev --to stage --bogus",
        "status --function f --env",
        "promot --function f",
        "--help",
        "--version",
        "''"
      })
  void commandLineBuiltForTheNamedCommand_answersAsTheOneWithEveryCommand(String line) {
    String[] args = line.isEmpty() ? new String[0] : line.split(" ");

    Run lazy = run(ArtifactPromoterCli.commandLine(args), args);
    Run full = run(ArtifactPromoterCli.commandLine(), args);

    assertThat(lazy).isEqualTo(full);
    if (args.length > 0 && !args[0].startsWith("-") && !args[0].equals("promot")) {
      assertThat(ArtifactPromoterCli.commandLine(args).getSubcommands()).containsOnlyKeys(args[0]);
    }
  }

  @Test
  void help_onEveryCommand_exitsZeroAndPrintsItsUsage() {
    List<String> commands =
        new ArrayList<>(ArtifactPromoterCli.commandLine().getSubcommands().keySet());
    assertThat(commands)
        .containsExactlyInAnyOrder(
            "promote", "publish", "status", "history", "verify", "inspect", "invoke", "warm-up");

    for (String command : commands) {
      for (String help : new String[] {"--help", "-h"}) {
        Run run = run(command, help);

        assertThat(run.exitCode()).as("%s %s", command, help).isZero();
        assertThat(run.out())
            .as("%s %s", command, help)
            .contains("Usage: artifact-promoter " + command)
            .contains("-h, --help");
        assertThat(run.err()).as("%s %s", command, help).isEmpty();
      }
    }
  }

  @Test
  void help_ofTheTool_listsEveryCommandAndTheExitCodes() {
    Run run = run("--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("Usage: artifact-promoter")
        .contains("promote", "publish", "status", "history", "inspect", "invoke")
        .contains("PROMOTION_CONFIG")
        .contains("Exit codes: 0 success, 2 invalid request or usage, 3 refused")
        .contains("4 access denied, 1 internal error")
        .contains("verify: 5 drift, 6 unknown");
  }

  @Test
  void help_ofVerify_documentsItsExitCodes() {
    Run run = run("verify", "--help");

    assertThat(run.out()).contains("--function", "--env").contains("5 drift").contains("6 unknown");
  }

  @Test
  void help_ofPromote_namesTheConfigurationAndJsonOptions() {
    Run run = run("promote", "--help");

    assertThat(run.out())
        .contains("--function", "--from", "--to", "--revision", "--dry-run", "--config", "--json");
  }

  @Test
  void version_exitsZero() {
    Run run = run("--version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("artifact-promoter ");
  }

  @Test
  void noCommand_exitsTwoAndSaysToNameOne() {
    Run run = run();

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Name a command").contains("artifact-promoter --help");
  }

  @ParameterizedTest
  @CsvSource({
    "promote --function orders-api --from dev --to stage",
    "publish --function orders-api --file orders-api.zip --bucket acme-dev-artifacts",
    "status --function orders-api",
    "history --function orders-api --env dev",
    "inspect --bucket acme-dev-artifacts --key orders-api/drop.zip",
    "invoke --event event.json"
  })
  void unknownOption_exitsTwoNamingItAndPointingToHelp(String commandLine) {
    List<String> args = new ArrayList<>(List.of(commandLine.split(" ")));
    args.add("--frobnicate");

    Run run = run(args.toArray(String[]::new));

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("Unknown option: '--frobnicate'")
        .contains("Try 'artifact-promoter " + args.get(0) + " --help'.");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void unknownCommand_exitsTwo() {
    Run run = run("promot", "--function", "orders-api");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("'promot'").contains("Try 'artifact-promoter --help'.");
  }

  @Test
  void promote_withoutRequiredOptions_exitsTwoNamingThem() {
    Run run = run("promote", "--from", "dev");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Missing required option").contains("--function", "--to");
  }

  @Test
  void publish_toAnEnvironmentAndABucketAtOnce_exitsTwo() throws Exception {
    Path pkg = Files.write(dir.resolve("orders-api.zip"), new byte[] {1, 2, 3});

    Run run =
        run(
            "publish",
            "--function",
            "orders-api",
            "--file",
            pkg.toString(),
            "--env",
            "dev",
            "--bucket",
            "acme-dev-artifacts");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("mutually exclusive");
  }

  // --- refusals before any AWS call ------------------------------------------------------------

  @Test
  void publish_withASigningKeyAlias_exitsTwoBeforeAnyAwsCall_andSaysToNameTheKeyArn()
      throws Exception {
    Path pkg = Files.write(dir.resolve("orders-api.zip"), new byte[] {1, 2, 3});

    // An alias can be re-pointed at another key: the build must sign with the key promotions
    // verify against, named by its ARN. No endpoint or credentials are set: the refusal comes
    // before any call.
    Run run =
        run(
            "publish",
            "--function",
            "orders-api",
            "--file",
            pkg.toString(),
            "--bucket",
            "acme-dev-artifacts",
            "--signing-key-arn",
            "arn:aws:kms:us-east-1:111111111111:alias/provenance",
            "--revision",
            "0123456789abcdef0123456789abcdef01234567");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("INVALID_REQUEST")
        .contains("--signing-key-arn")
        .contains("must be a KMS key ARN");
  }

  @Test
  void promote_withoutConfiguration_exitsTwoAndSaysWhereToPutIt() {
    Run run = run("promote", "--function", "orders-api", "--from", "dev", "--to", "stage");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("INVALID_REQUEST")
        .contains("pass --config FILE or set PROMOTION_CONFIG");
  }

  @Test
  void promote_withUnreadableConfigFile_exitsTwoNamingIt() {
    Path missing = dir.resolve("missing.json");

    Run run = promote("--from", "dev", "--to", "stage", "--config", missing.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Cannot read --config " + missing);
  }

  @Test
  void promote_withInvalidConfiguration_exitsTwoSayingWhatIsWrong() throws Exception {
    Files.writeString(
        config, Files.readString(config).replace("333333333333:role", "444444444444:role"));

    Run run = promote("--from", "dev", "--to", "stage");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("environment \"stage\"")
        .contains("is not in the environment's account");
    assertThat(run.err()).doesNotContain("shared-secret");
  }

  @Test
  void promote_devToProd_exitsThreeBecauseTheGraphForbidsIt() {
    Run run = promote("--from", "dev", "--to", "prod");

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.err())
        .contains("error: PROMOTION_NOT_ALLOWED: Promoting dev -> prod is not allowed")
        .contains("Promote through each environment in order");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void promote_devToProdWithJson_printsTheFailureBodyOnStdout() throws Exception {
    Run run = promote("--from", "dev", "--to", "prod", "--revision", REVISION, "--json");

    assertThat(run.exitCode()).isEqualTo(3);
    JsonNode body = new ObjectMapper().readTree(run.out());
    assertThat(body.get("status").asText()).isEqualTo("FAILED");
    assertThat(body.get("error").asText()).isEqualTo("PROMOTION_NOT_ALLOWED");
    assertThat(body.get("message").asText()).contains("Promoting dev -> prod is not allowed");
    assertThat(body.size()).isEqualTo(3);
    assertThat(run.err()).contains("PROMOTION_NOT_ALLOWED");
  }

  @Test
  void promote_stageToStageAndProdToDev_areRefusedToo() {
    assertThat(promote("--from", "stage", "--to", "stage").exitCode()).isEqualTo(3);
    assertThat(promote("--from", "prod", "--to", "dev").exitCode()).isEqualTo(3);
  }

  @Test
  void promote_unknownEnvironment_exitsTwoListingTheKnownOnes() throws Exception {
    Run run = promote("--from", "dev", "--to", "qa", "--json");

    assertThat(run.exitCode()).isEqualTo(2);
    JsonNode body = new ObjectMapper().readTree(run.out());
    assertThat(body.get("error").asText()).isEqualTo("INVALID_REQUEST");
    assertThat(body.get("message").asText()).contains("\"qa\"").contains("[dev, stage, prod]");
  }

  @ParameterizedTest
  @CsvSource({
    "Orders-API, , '\"function\" must match'",
    "orders-api, main, '\"revision\" must be a full 40-character hex git commit id'",
    "orders-api, 0123456, 'git rev-parse'"
  })
  void promote_malformedFunctionOrRevision_exitsTwoSayingWhatToChange(
      String function, String revision, String message) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "promote",
                "--function",
                function,
                "--from",
                "dev",
                "--to",
                "stage",
                "--config",
                config.toString()));
    if (revision != null) {
      args.add("--revision");
      args.add(revision);
    }

    Run run = run(args.toArray(String[]::new));

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("error: INVALID_REQUEST: ").contains(message);
  }

  @Test
  void invoke_withMissingEventFile_exitsTwoNamingIt() {
    Path missing = dir.resolve("event.json");

    Run run = run("invoke", "--event", missing.toString(), "--config", config.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Cannot read --event " + missing);
  }

  // --- helpers ---------------------------------------------------------------------------------

  private Run promote(String... args) {
    List<String> all = new ArrayList<>(List.of("promote", "--function", "orders-api"));
    all.addAll(List.of(args));
    if (!all.contains("--config")) {
      all.add("--config");
      all.add(config.toString());
    }
    return run(all.toArray(String[]::new));
  }

  /** As {@code main} runs it: only the named command is built. */
  private static Run run(String... args) {
    return run(ArtifactPromoterCli.commandLine(args), args);
  }

  private static Run run(CommandLine commandLine, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  private record Run(int exitCode, String out, String err) {}
}
