package org.artifactpromoter.provenance;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A source repository URL made fit to record (S3 metadata, provenance): user info, query and
 * fragment removed, surrounding whitespace trimmed. CI systems put tokens in all three places
 * ({@code https://ci:TOKEN@host/...}, {@code ...?private_token=...}), and what is recorded is read
 * by everyone who can read the bucket.
 *
 * <p>Parsed on the text rather than with {@code java.net.URI}, which refuses hosts with {@code _}
 * and unencoded spaces in paths that git accepts. What cannot be split without guessing where a
 * secret ends (an {@code @} after the host, a non-numeric port such as the {@code SEC} of {@code
 * https://ci:SEC/RET@host}) is refused rather than recorded. Refusals never quote the URL.
 */
public final class RepositoryUrl {
  /**
   * {@code scheme://rest}, optionally behind a git remote-helper transport ({@code codecommit::}).
   */
  private static final Pattern HIERARCHICAL =
      Pattern.compile(
          "((?:[A-Za-z][A-Za-z0-9+.-]*::)?[A-Za-z][A-Za-z0-9+.-]*://)(.*)", Pattern.DOTALL);

  /** A host name as git accepts it ({@code _} included), an IPv4 address, or {@code [IPv6]}. */
  private static final Pattern HOST_PORT =
      Pattern.compile("(?:[A-Za-z0-9._~%!$&'()*+,;=-]+|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{1,5})?");

  /** scp-like {@code [user@]host:path}: a ':' before any '/', no "://" (git's rule). */
  private static final Pattern SCP_LIKE = Pattern.compile("[^/:]+:.*", Pattern.DOTALL);

  private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029]");

  private RepositoryUrl() {}

  /**
   * The URL without credentials, query or fragment; null for null or blank. Throws {@link
   * IllegalArgumentException} for a URL that cannot be parsed safely, with a message that says what
   * to change and does not repeat the URL.
   */
  public static String sanitize(String url) {
    if (url == null || url.isBlank()) {
      return null;
    }
    String trimmed = url.strip();
    if (CONTROL.matcher(trimmed).find()) {
      throw refused("contains control characters or line breaks");
    }
    Matcher hierarchical = HIERARCHICAL.matcher(trimmed);
    if (hierarchical.matches()) {
      return hierarchical.group(1) + hostAndPath(hierarchical.group(2));
    }
    if (SCP_LIKE.matcher(trimmed).matches()) {
      // "git@host:org/repo.git": the user is an SSH login, not a secret. An '@' after the ':' is
      // where a password would sit ("ci:TOKEN@host:repo"), so it is refused, not guessed at.
      if (trimmed.indexOf('@', trimmed.indexOf(':')) >= 0) {
        throw refused("has an '@' after the ':' of an scp-like address");
      }
      return trimmed;
    }
    if (trimmed.contains("@") || trimmed.contains("?")) {
      throw refused("is neither a URL with a scheme (https://...), an scp-like address nor a path");
    }
    return trimmed; // a local path such as /srv/git/orders-api.git
  }

  private static String hostAndPath(String afterScheme) {
    int authorityEnd = indexOfAny(afterScheme, "/?#");
    String authority = authorityEnd < 0 ? afterScheme : afterScheme.substring(0, authorityEnd);
    String rest = authorityEnd < 0 ? "" : afterScheme.substring(authorityEnd);
    int userInfoEnd = authority.lastIndexOf('@');
    String hostPort = authority.substring(userInfoEnd + 1);
    int queryOrFragment = indexOfAny(rest, "?#");
    String path = queryOrFragment < 0 ? rest : rest.substring(0, queryOrFragment);
    if (hostPort.isEmpty() || !HOST_PORT.matcher(hostPort).matches()) {
      throw refused(
          "has no host[:port] that can be told apart from credentials (a password holding '/',"
              + " '?', '#' or '@' ends the host part early)");
    }
    if (path.indexOf('@') >= 0) {
      throw refused("has an '@' after the host: if it is part of a password it would be recorded");
    }
    return hostPort + path;
  }

  private static int indexOfAny(String text, String characters) {
    for (int i = 0; i < text.length(); i++) {
      if (characters.indexOf(text.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  private static IllegalArgumentException refused(String why) {
    return new IllegalArgumentException(
        "The repository URL "
            + why
            + ". Pass --repository with the repository's URL without credentials"
            + " (https://host/org/repo.git or git@host:org/repo.git); percent-encode an '@' that"
            + " belongs to the path as %40.");
  }
}
