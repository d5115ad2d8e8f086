package org.artifactpromoter.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.artifactpromoter.artifact.BuildInfo;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.provenance.RepositoryUrl;

/**
 * Finds a build's git facts: explicit flags first, then CodeBuild's environment variables, then the
 * local git checkout. Credentials, query and fragment of a repository URL are removed.
 */
final class GitFacts {
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

  private final Map<String, String> environment;
  private final Path workingDirectory;

  GitFacts(Map<String, String> environment, Path workingDirectory) {
    this.environment = environment;
    this.workingDirectory = workingDirectory;
  }

  BuildInfo resolve(
      String revision, String branch, String repository, String message, String buildId) {
    String resolvedRevision = first(revision, commitFromCodeBuild(), git("rev-parse", "HEAD"));
    String resolvedBranch =
        first(branch, branchFromCodeBuild(), nonHead(git("rev-parse", "--abbrev-ref", "HEAD")));
    String resolvedRepository =
        withoutCredentials(
            first(
                repository,
                env("CODEBUILD_SOURCE_REPO_URL"),
                git("config", "--get", "remote.origin.url")));
    String resolvedMessage =
        first(
            message,
            resolvedRevision == null ? null : git("log", "-1", "--format=%B", resolvedRevision));
    return new BuildInfo(
        resolvedRevision == null ? null : resolvedRevision.toLowerCase(java.util.Locale.ROOT),
        resolvedBranch,
        resolvedRepository,
        resolvedMessage,
        first(buildId, env("CODEBUILD_BUILD_ID")));
  }

  /** For an S3 source CodeBuild's resolved version is an object version id, not a commit. */
  private String commitFromCodeBuild() {
    String resolved = env("CODEBUILD_RESOLVED_SOURCE_VERSION");
    return resolved != null && COMMIT.matcher(resolved).matches() ? resolved : null;
  }

  private String branchFromCodeBuild() {
    String ref = env("CODEBUILD_WEBHOOK_HEAD_REF");
    if (ref == null) {
      return null;
    }
    return ref.startsWith("refs/heads/") ? ref.substring("refs/heads/".length()) : ref;
  }

  /**
   * The URL without user info, query and fragment, trimmed ({@link RepositoryUrl}); a URL that
   * cannot be split safely is refused as an invalid request, so nothing is published with it.
   */
  static String withoutCredentials(String url) {
    try {
      return RepositoryUrl.sanitize(url);
    } catch (IllegalArgumentException e) {
      throw PromotionException.invalid(e.getMessage());
    }
  }

  private static String nonHead(String branch) {
    return "HEAD".equals(branch) ? null : branch;
  }

  private String env(String name) {
    String value = environment.get(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static String first(String... candidates) {
    for (String candidate : candidates) {
      if (candidate != null && !candidate.isBlank()) {
        return candidate;
      }
    }
    return null;
  }

  /** Runs git in the working directory; null when git or the repository is not there. */
  private String git(String... args) {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.add("-C");
    command.add(workingDirectory.toString());
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
      process.getOutputStream().close();
      byte[] out = process.getInputStream().readAllBytes();
      process.getErrorStream().readAllBytes();
      if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
        return null;
      }
      String text = new String(out, StandardCharsets.UTF_8).strip();
      return text.isEmpty() ? null : text;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
