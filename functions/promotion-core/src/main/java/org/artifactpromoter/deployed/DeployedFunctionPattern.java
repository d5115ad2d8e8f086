package org.artifactpromoter.deployed;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How an environment names the deployed Lambda function of a promoted function: {@value #DEFAULT}
 * (what the function-pipeline Terraform module names it), or what {@code
 * environments.<name>.deployedFunctionPattern} says, such as {@code {function}-live}.
 *
 * <p>A pattern holds {@code {function}} exactly once, {@code {environment}} at most once, and
 * otherwise only the characters a Lambda function name may hold ({@code A-Z a-z 0-9 - _}): no ARN,
 * no qualifier, no other placeholder. The check is strict because the name is read with the
 * environment's role, and a pattern that named some other function would compare the release with
 * the wrong code.
 */
public final class DeployedFunctionPattern {
  public static final String DEFAULT = "{function}-{environment}";

  /** Lambda's limit on a function name (not an ARN). */
  static final int MAX_NAME_CHARS = 64;

  private static final Pattern TOKEN = Pattern.compile("\\{[^}]*}|[^{}]+|[{}]");
  private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9_-]+");

  private final String pattern;

  private DeployedFunctionPattern(String pattern) {
    this.pattern = pattern;
  }

  public static DeployedFunctionPattern defaultPattern() {
    return new DeployedFunctionPattern(DEFAULT);
  }

  /**
   * The pattern, or the default when {@code pattern} is {@code null}.
   *
   * @throws IllegalArgumentException naming what to change
   */
  public static DeployedFunctionPattern of(String pattern) {
    if (pattern == null) {
      return defaultPattern();
    }
    String problem = problem(pattern);
    if (problem != null) {
      throw new IllegalArgumentException(
          "deployedFunctionPattern \""
              + pattern
              + "\" "
              + problem
              + "; write a Lambda function name with {function} (and optionally {environment}),"
              + " for example \"{function}-live\"");
    }
    return new DeployedFunctionPattern(pattern);
  }

  private static String problem(String pattern) {
    if (pattern.isEmpty()) {
      return "is empty";
    }
    int functions = 0;
    int environments = 0;
    Matcher tokens = TOKEN.matcher(pattern);
    while (tokens.find()) {
      String token = tokens.group();
      switch (token) {
        case "{function}" -> functions++;
        case "{environment}" -> environments++;
        default -> {
          if (token.startsWith("{") && token.length() > 1) {
            return "has the unknown placeholder " + token;
          }
          if (!LITERAL.matcher(token).matches()) {
            return "has characters a function name cannot hold (only A-Z a-z 0-9 - _ besides"
                + " the placeholders)";
          }
        }
      }
    }
    if (functions != 1) {
      return functions == 0 ? "has no {function}" : "has {function} more than once";
    }
    if (environments > 1) {
      return "has {environment} more than once";
    }
    return null;
  }

  /**
   * The deployed function's name for {@code function} in {@code environment}.
   *
   * @throws IllegalArgumentException when the name would exceed Lambda's 64 characters
   */
  public String resolve(String function, String environment) {
    String name = pattern.replace("{function}", function).replace("{environment}", environment);
    if (name.length() > MAX_NAME_CHARS || !LITERAL.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "deployedFunctionPattern \""
              + pattern
              + "\" gives \""
              + name
              + "\" for function "
              + function
              + " in "
              + environment
              + ", which is not a Lambda function name (at most 64 of A-Z a-z 0-9 - _); shorten"
              + " the pattern");
    }
    return name;
  }

  @Override
  public String toString() {
    return pattern;
  }
}
