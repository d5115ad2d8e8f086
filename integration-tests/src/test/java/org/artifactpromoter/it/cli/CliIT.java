package org.artifactpromoter.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.artifactpromoter.artifact.Sha256;
import org.artifactpromoter.it.support.CliProcess;
import org.artifactpromoter.it.support.CliProcess.Run;
import org.artifactpromoter.it.support.LocalAccounts;
import org.artifactpromoter.it.support.WithLocalAccounts;
import org.artifactpromoter.json.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CLI jar in its own JVM against the local accounts: what a person or a build runs. */
class CliIT extends WithLocalAccounts {
  private Map<String, String> env;

  @BeforeEach
  void cliEnvironment() {
    env = new HashMap<>(moto.clientEnvironment());
    env.put("PROMOTION_CONFIG", accounts.configJson(null));
  }

  private Run cli(String... args) {
    return CliProcess.run(env, dir, args);
  }

  private static JsonNode json(Run run) throws Exception {
    assertThat(run.stdout()).as("stdout; stderr was: %s", run.stderr()).isNotBlank();
    return Json.MAPPER.readTree(run.stdout());
  }

  @Test
  void publishPromoteStatusHistory_devToStageToProd() throws Exception {
    Path pkg = LocalAccounts.packageFile(dir, "orders-api.zip", 64_000, 21);
    String revision = LocalAccounts.revision(21);
    Map<String, String> codeBuild = new HashMap<>(env);
    codeBuild.put("CODEBUILD_RESOLVED_SOURCE_VERSION", revision);
    codeBuild.put("CODEBUILD_BUILD_ID", "orders-api-build:7");
    codeBuild.put("CODEBUILD_WEBHOOK_HEAD_REF", "refs/heads/release/1.2");
    codeBuild.put(
        "CODEBUILD_SOURCE_REPO_URL",
        "https://builder:s3cr3t-token@git.example/acme/orders-api.git");

    Run publish =
        CliProcess.run(
            codeBuild,
            dir,
            "publish",
            "--function",
            "orders-api",
            "--env",
            "dev",
            "--file",
            pkg.toString(),
            "--message",
            "Ship it",
            "--json");
    assertThat(publish.exitCode()).as(publish.stderr()).isZero();
    JsonNode published = json(publish);
    assertThat(published.get("status").asText()).isEqualTo("PUBLISHED");
    assertThat(published.get("sha256").asText()).isEqualTo(Sha256.hexOf(pkg));

    Run inspect =
        cli(
            "inspect",
            "--bucket",
            LocalAccounts.bucket("dev"),
            "--key",
            "drop/orders-api.zip",
            "--json");
    JsonNode metadata = json(inspect).get("metadata");
    assertThat(metadata.get("git-revision").asText()).isEqualTo(revision);
    assertThat(metadata.get("git-branch").asText()).isEqualTo("release/1.2");
    assertThat(metadata.get("build-id").asText()).isEqualTo("orders-api-build:7");
    assertThat(metadata.get("git-repository").asText())
        .as("credentials never stored")
        .isEqualTo("https://git.example/acme/orders-api.git");

    Run toStage =
        cli("promote", "--function", "orders-api", "--from", "dev", "--to", "stage", "--json");
    assertThat(toStage.exitCode()).as(toStage.stderr()).isZero();
    assertThat(json(toStage).get("status").asText()).isEqualTo("PROMOTED");
    Run toProd =
        cli(
            "promote",
            "--function",
            "orders-api",
            "--from",
            "stage",
            "--to",
            "prod",
            "--revision",
            revision,
            "--json");
    assertThat(toProd.exitCode()).as(toProd.stderr()).isZero();
    Run replay =
        cli("promote", "--function", "orders-api", "--from", "stage", "--to", "prod", "--json");
    assertThat(json(replay).get("status").asText()).isEqualTo("ALREADY_PROMOTED");

    Run status = cli("status", "--function", "orders-api", "--json");
    assertThat(status.exitCode()).as(status.stderr()).isZero();
    for (JsonNode state : json(status)) {
      assertThat(state.get("revision").asText()).as(state.toString()).isEqualTo(revision);
      assertThat(state.get("sha256").asText()).isEqualTo(Sha256.hexOf(pkg));
    }
    assertThat(json(status)).hasSize(3);

    Run history = cli("history", "--function", "orders-api", "--env", "prod", "--json");
    assertThat(json(history)).hasSize(1);
    assertThat(json(history).get(0).get("sourceEnv").asText()).isEqualTo("stage");

    Run human = cli("status", "--function", "orders-api");
    assertThat(human.stdout()).contains("dev", "stage", "prod", revision);
  }

  @Test
  void promote_refusals_exitNonZeroWithErrorJsonAndWriteNothing() throws Exception {
    List<String> before = accounts.snapshot();
    Run notAllowed =
        cli("promote", "--function", "orders-api", "--from", "dev", "--to", "prod", "--json");
    assertThat(notAllowed.exitCode()).isEqualTo(3);
    assertThat(json(notAllowed).get("error").asText()).isEqualTo("PROMOTION_NOT_ALLOWED");
    assertThat(notAllowed.stderr()).contains("not allowed");

    Run badName = cli("promote", "--function", "Orders API", "--from", "dev", "--to", "stage");
    assertThat(badName.exitCode()).isEqualTo(2);
    assertThat(badName.stderr()).contains("INVALID_REQUEST", "[a-z0-9]");

    Run missing = cli("promote", "--function", "orders-api", "--from", "dev", "--to", "stage");
    assertThat(missing.exitCode()).isEqualTo(3);
    assertThat(missing.stderr()).contains("REVISION_NOT_FOUND");

    Map<String, String> noConfig = new HashMap<>(env);
    noConfig.remove("PROMOTION_CONFIG");
    Run unconfigured =
        CliProcess.run(
            noConfig, dir, "promote", "--function", "a", "--from", "dev", "--to", "stage");
    assertThat(unconfigured.exitCode()).isEqualTo(2);
    assertThat(unconfigured.stderr()).contains("--config", "PROMOTION_CONFIG");

    Run usage = cli("promote", "--function", "a");
    assertThat(usage.exitCode()).isEqualTo(2);
    assertThat(usage.stderr()).contains("Missing required option");
    assertThat(accounts.snapshot()).isEqualTo(before);
  }

  /** Attack 8 and break-glass: the operator's ARN and reason are recorded, never dropped. */
  @Test
  void promote_intoAnApprovalRequiredEnvironment_needsBreakGlassAndRecordsWhoAndWhy()
      throws Exception {
    env.put("PROMOTION_CONFIG", accounts.configJsonRequiringApproval(null));
    String revision = LocalAccounts.revision(23);
    accounts.publish(
        "orders-api",
        "dev",
        LocalAccounts.packageFile(dir, "bg.zip", 20_000, 23),
        new org.artifactpromoter.artifact.BuildInfo(revision, "main", null, "hotfix", null));
    List<String> before = accounts.snapshot();

    Run refused =
        cli("promote", "--function", "orders-api", "--from", "dev", "--to", "stage", "--json");
    assertThat(refused.exitCode()).as(refused.stderr()).isEqualTo(3);
    assertThat(json(refused).get("error").asText()).isEqualTo("APPROVAL_REQUIRED");
    assertThat(refused.stderr())
        .contains("stage requires an approval")
        .contains("--break-glass --reason TEXT");
    Run noReason =
        cli(
            "promote",
            "--function",
            "orders-api",
            "--from",
            "dev",
            "--to",
            "stage",
            "--break-glass");
    assertThat(noReason.exitCode()).as(noReason.stderr()).isEqualTo(2);
    assertThat(noReason.stderr()).contains("--break-glass needs --reason TEXT");
    assertThat(accounts.snapshot()).isEqualTo(before);

    String reason = "INC-4711 payment outage, approver unreachable";
    Run promote =
        cli(
            "promote",
            "--function",
            "orders-api",
            "--from",
            "dev",
            "--to",
            "stage",
            "--break-glass",
            "--reason",
            reason,
            "--json");
    assertThat(promote.exitCode()).as(promote.stderr()).isZero();
    JsonNode result = json(promote);
    String caller;
    try (var sts =
        software.amazon.awssdk.services.sts.StsClient.builder()
            .endpointOverride(moto.endpoint())
            .region(LocalAccounts.REGION)
            .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
            .build()) {
      caller = sts.getCallerIdentity().arn();
    }
    assertThat(result.get("promotedBy").asText()).isEqualTo(caller);
    assertThat(result.get("breakGlass").asBoolean()).isTrue();
    assertThat(result.get("reason").asText()).isEqualTo(reason);
    assertThat(result.has("approvedBy")).isFalse();
    var head =
        accounts
            .admin("stage")
            .headObject(b -> b.bucket(LocalAccounts.bucket("stage")).key("drop/orders-api.zip"));
    assertThat(head.metadata())
        .containsEntry("promotion-reason", reason)
        .containsEntry("promoted-by", caller)
        .containsEntry("break-glass", "true");
    Map<String, String> tags = new HashMap<>();
    accounts
        .admin("stage")
        .getObjectTagging(b -> b.bucket(LocalAccounts.bucket("stage")).key("drop/orders-api.zip"))
        .tagSet()
        .forEach(t -> tags.put(t.key(), t.value()));
    assertThat(tags)
        .containsEntry("break-glass", "true")
        .containsEntry("promoted-by", caller)
        .hasSizeLessThanOrEqualTo(10);

    Run history = cli("history", "--function", "orders-api", "--env", "stage", "--json");
    JsonNode latest = json(history).get(0);
    assertThat(latest.get("promotedBy").asText()).isEqualTo(caller);
    assertThat(latest.get("breakGlass").asBoolean()).isTrue();
    assertThat(latest.get("reason").asText()).isEqualTo(reason);
    Run table = cli("history", "--function", "orders-api", "--env", "stage");
    assertThat(table.stdout()).contains("BREAK-GLASS").contains("reason: " + reason);
  }

  @Test
  void promote_rollbackToAReleaseTheDestinationHolds_needsAReasonButNoBreakGlass()
      throws Exception {
    String first = LocalAccounts.revision(24);
    String second = LocalAccounts.revision(25);
    for (String revision : List.of(first, second)) {
      accounts.publish(
          "orders-api",
          "dev",
          LocalAccounts.packageFile(dir, revision + ".zip", 10_000, revision.hashCode()),
          new org.artifactpromoter.artifact.BuildInfo(revision, "main", null, "c", null));
      assertThat(
              cli("promote", "--function", "orders-api", "--from", "dev", "--to", "stage")
                  .exitCode())
          .isZero();
    }
    env.put("PROMOTION_CONFIG", accounts.configJsonRequiringApproval(null));

    Run withoutReason =
        cli(
            "promote",
            "--function",
            "orders-api",
            "--from",
            "dev",
            "--to",
            "stage",
            "--revision",
            first);
    assertThat(withoutReason.exitCode()).as(withoutReason.stderr()).isEqualTo(3);
    Run rollback =
        cli(
            "promote",
            "--function",
            "orders-api",
            "--from",
            "dev",
            "--to",
            "stage",
            "--revision",
            first,
            "--reason",
            "roll back INC-42",
            "--json");
    assertThat(rollback.exitCode()).as(rollback.stderr()).isZero();
    JsonNode result = json(rollback);
    assertThat(result.get("revision").asText()).isEqualTo(first);
    assertThat(result.get("breakGlass").asBoolean()).isFalse();
    assertThat(result.get("reason").asText()).isEqualTo("roll back INC-42");
    assertThat(result.get("promotedBy").asText()).startsWith("arn:aws:");
  }

  @Test
  void help_listsEveryCommand() {
    Run help = cli("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.stdout())
        .contains("promote", "publish", "status", "history", "inspect", "invoke");
  }

  @Test
  void invoke_runsTheLambdaHandlerLocallyWithAnEventFile() throws Exception {
    Path pkg = LocalAccounts.packageFile(dir, "p.zip", 5_000, 22);
    String revision = LocalAccounts.revision(22);
    Run publish =
        cli(
            "publish",
            "--function",
            "orders-api",
            "--env",
            "dev",
            "--file",
            pkg.toString(),
            "--revision",
            revision,
            "--message",
            "m");
    assertThat(publish.exitCode()).as(publish.stderr()).isZero();
    Path event = dir.resolve("event.json");
    Files.writeString(event, "{\"function\":\"orders-api\",\"from\":\"dev\",\"to\":\"stage\"}");
    Run invoke = cli("invoke", "--event", event.toString());
    assertThat(invoke.exitCode()).as(invoke.stderr()).isZero();
    assertThat(json(invoke).get("status").asText()).isEqualTo("PROMOTED");

    Files.writeString(event, "{\"function\":\"orders-api\",\"from\":\"dev\",\"to\":\"prod\"}");
    Run refused = cli("invoke", "--event", event.toString());
    assertThat(refused.exitCode()).isEqualTo(3);
    JsonNode error = json(refused);
    assertThat(error.get("errorType").asText()).endsWith("PromotionFailedException");
    assertThat(Json.MAPPER.readTree(error.get("errorMessage").asText()).get("error").asText())
        .isEqualTo("PROMOTION_NOT_ALLOWED");
  }
}
