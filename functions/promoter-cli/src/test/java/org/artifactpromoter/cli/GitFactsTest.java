package org.artifactpromoter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.artifactpromoter.artifact.BuildInfo;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Git facts from flags, CodeBuild's variables, or a local repository made with `git init`. */
class GitFactsTest {
  private static final String FLAG_REVISION = "fedcba9876543210fedcba9876543210fedcba98";

  @TempDir Path repo;
  private String firstCommit;
  private String headCommit;

  @BeforeEach
  void repositoryWithTwoCommits() throws Exception {
    git("init", "-q", "-b", "trunk");
    git("remote", "add", "origin", "https://ci-bot:glpat-s3cr3t@scm/acme/orders-api.git");
    commit("Add refunds ✓\n\nRefunds go through the ledger.");
    firstCommit = git("rev-parse", "HEAD");
    commit("Second commit");
    headCommit = git("rev-parse", "HEAD");
  }

  @Test
  void resolve_withoutFlagsOrCodeBuild_readsTheLocalCheckout() {
    BuildInfo git = resolve(Map.of(), null, null, null, null, null);

    assertThat(git)
        .isEqualTo(
            new BuildInfo(
                headCommit, "trunk", "https://scm/acme/orders-api.git", "Second commit", null));
  }

  @Test
  void resolve_codeBuildVariables_winOverTheCheckout() {
    Map<String, String> codeBuild =
        Map.of(
            "CODEBUILD_RESOLVED_SOURCE_VERSION", firstCommit,
            "CODEBUILD_WEBHOOK_HEAD_REF", "refs/heads/feature/refunds",
            "CODEBUILD_SOURCE_REPO_URL", "https://x-token-auth:ghs_t0ken@scm/acme/orders.git",
            "CODEBUILD_BUILD_ID", "orders-api-build:6f1c0d3e");

    BuildInfo git = resolve(codeBuild, null, null, null, null, null);

    assertThat(git)
        .isEqualTo(
            new BuildInfo(
                firstCommit,
                "feature/refunds",
                "https://scm/acme/orders.git",
                "Add refunds ✓\n\nRefunds go through the ledger.",
                "orders-api-build:6f1c0d3e"));
    assertThat(git.subject()).isEqualTo("Add refunds ✓");
  }

  @Test
  void resolve_flags_winOverCodeBuildAndTheCheckout() {
    Map<String, String> codeBuild =
        Map.of(
            "CODEBUILD_RESOLVED_SOURCE_VERSION", firstCommit,
            "CODEBUILD_WEBHOOK_HEAD_REF", "refs/heads/feature/refunds",
            "CODEBUILD_SOURCE_REPO_URL", "https://scm/acme/orders.git",
            "CODEBUILD_BUILD_ID", "orders-api-build:6f1c0d3e");

    BuildInfo git =
        resolve(
            codeBuild,
            FLAG_REVISION.toUpperCase(),
            "release/1.2",
            "https://scm/acme/flagged.git",
            "From the flag",
            "manual-7");

    assertThat(git)
        .isEqualTo(
            new BuildInfo(
                FLAG_REVISION,
                "release/1.2",
                "https://scm/acme/flagged.git",
                "From the flag",
                "manual-7"));
  }

  @Test
  void resolve_blankFlagsAndVariables_fallThroughToTheNextSource() {
    Map<String, String> blank =
        Map.of(
            "CODEBUILD_RESOLVED_SOURCE_VERSION", " ",
            "CODEBUILD_WEBHOOK_HEAD_REF", "",
            "CODEBUILD_SOURCE_REPO_URL", "  ");

    BuildInfo git = resolve(blank, "", " ", "", null, "");

    assertThat(git.revision()).isEqualTo(headCommit);
    assertThat(git.branch()).isEqualTo("trunk");
    assertThat(git.repository()).isEqualTo("https://scm/acme/orders-api.git");
    assertThat(git.buildId()).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRCxf3vjVBH40Nr8X8gdRQBpUMLUo",
        "null",
        "Z4hQrM_8dPpWkLz1xN7oKq2sTe5bJv0c",
        "arn:aws:s3:::acme-dev-artifacts/orders-api/source.zip"
      })
  void resolve_s3ObjectVersionAsResolvedSource_isNotTakenAsACommit(String s3Version) {
    BuildInfo git =
        resolve(
            Map.of("CODEBUILD_RESOLVED_SOURCE_VERSION", s3Version), null, null, null, null, null);

    assertThat(git.revision()).isEqualTo(headCommit);
    assertThat(git.message()).isEqualTo("Second commit");
  }

  @ParameterizedTest
  @CsvSource({
    "refs/heads/main, main",
    "refs/heads/feature/refunds, feature/refunds",
    "main, main",
    "refs/tags/v1.2.0, refs/tags/v1.2.0"
  })
  void resolve_codeBuildHeadRef_losesOnlyTheBranchPrefix(String headRef, String branch) {
    BuildInfo git =
        resolve(Map.of("CODEBUILD_WEBHOOK_HEAD_REF", headRef), null, null, null, null, null);

    assertThat(git.branch()).isEqualTo(branch);
  }

  @Test
  void resolve_detachedHead_hasNoBranch() throws Exception {
    git("checkout", "-q", "--detach", firstCommit);

    BuildInfo git = resolve(Map.of(), null, null, null, null, null);

    assertThat(git.revision()).isEqualTo(firstCommit);
    assertThat(git.branch()).isNull();
  }

  @Test
  void resolve_outsideAnyRepositoryWithNothingGiven_knowsNothing(@TempDir Path empty) {
    BuildInfo git = new GitFacts(Map.of(), empty).resolve(null, null, null, null, null);

    assertThat(git).isEqualTo(new BuildInfo(null, null, null, null, null));
  }

  @Test
  void resolve_revisionFlagOutsideAnyRepository_keepsTheFlaggedMessage(@TempDir Path empty) {
    BuildInfo git =
        new GitFacts(Map.of(), empty).resolve(FLAG_REVISION, null, null, "Hotfix", null);

    assertThat(git).isEqualTo(new BuildInfo(FLAG_REVISION, null, null, "Hotfix", null));
  }

  @ParameterizedTest
  @CsvSource({
    "https://ci-bot:glpat-s3cr3t@scm/acme/orders-api.git, https://scm/acme/orders-api.git",
    "https://x-access-token:ghs_s3cr3t@scm:8443/acme/orders-api.git,"
        + " https://scm:8443/acme/orders-api.git",
    "https://ghp_s3cr3t@scm/acme/orders-api.git, https://scm/acme/orders-api.git",
    "https://ci-bot:p%40ss%3As3cr3t@scm/acme/orders-api.git, https://scm/acme/orders-api.git",
    "http://ci-bot:s3cr3t@10.0.0.7:8080/acme/orders-api.git, http://10.0.0.7:8080/acme/orders-api.git",
    "https://scm/acme/orders-api.git, https://scm/acme/orders-api.git",
    "git@scm:acme/orders-api.git, git@scm:acme/orders-api.git",
    "codecommit::us-east-1://orders-api, codecommit::us-east-1://orders-api"
  })
  void withoutCredentials_removesUserAndPasswordOnly(String url, String expected) {
    assertThat(GitFacts.withoutCredentials(url)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://ci-bot:s3cr3t@build_host/acme/orders-api.git",
        "https://ci-bot:s3cr3t@scm/acme/orders api.git",
        "https://ci-bot:s3cr3t@scm/acme/orders-api.git#main",
        "https://ci-bot:s3cr3t@scm/acme/orders{api}.git",
        "https://ci-bot:s3cr3t@[fd00::7]:8443/acme/orders-api.git"
      })
  void withoutCredentials_neverKeepsASecret(String url) {
    assertThat(GitFacts.withoutCredentials(url))
        .doesNotContain("s3cr3t")
        .doesNotContain("ci-bot")
        .contains("/acme/orders");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "https://git.example/x.git?private_token=glpat-s3cr3t | https://git.example/x.git",
        "' https://ci:s3cr3t@git.example/x.git' | https://git.example/x.git",
        "https://git.example/acme/x.git#token=s3cr3t | https://git.example/acme/x.git"
      })
  void resolve_recordsTheRepositoryWithoutQueryFragmentOrSurroundingSpace(
      String url, String expected) {
    assertThat(resolve(Map.of(), FLAG_REVISION, null, url, null, null).repository())
        .isEqualTo(expected);
  }

  @Test
  void resolve_refusesAPasswordHoldingASlash_insteadOfRecordingPartOfIt() {
    assertThatThrownBy(
            () ->
                resolve(
                    Map.of(),
                    FLAG_REVISION,
                    null,
                    "https://ci:SEC/RET@git.example/x.git",
                    null,
                    null))
        .isInstanceOfSatisfying(
            PromotionException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST))
        .hasMessageContaining("Pass --repository")
        .hasMessageNotContaining("SEC")
        .hasMessageNotContaining("RET");
  }

  @Test
  void withoutCredentials_ofNothing_isNothing() {
    assertThat(GitFacts.withoutCredentials(null)).isNull();
  }

  private BuildInfo resolve(
      Map<String, String> environment,
      String revision,
      String branch,
      String repository,
      String message,
      String buildId) {
    return new GitFacts(environment, repo).resolve(revision, branch, repository, message, buildId);
  }

  private void commit(String message) throws Exception {
    git(
        "-c",
        "user.name=Builder",
        "-c",
        "user.email=builder",
        "-c",
        "commit.gpgsign=false",
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        message);
  }

  private String git(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git", "-C", repo.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("git %s: %s", args, output).isZero();
    assertThat(Files.isDirectory(repo.resolve(".git"))).isTrue();
    return output.strip();
  }
}
