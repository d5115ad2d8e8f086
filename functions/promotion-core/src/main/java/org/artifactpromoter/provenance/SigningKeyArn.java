package org.artifactpromoter.provenance;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ARN of the KMS key that signs provenance. Only key ARNs are accepted, not aliases: whoever
 * may update an alias could point it at a key of their own, and every envelope they sign would
 * verify.
 */
public record SigningKeyArn(String partition, String region, String account, String keyId) {
  private static final Pattern KEY_ARN =
      Pattern.compile(
          "arn:(aws[a-z-]*):kms:([a-z]{2}(?:-[a-z]+)+-\\d):(\\d{12}):key/((?:mrk-)?[0-9a-f-]{32,36})");

  public SigningKeyArn {
    String arn = "arn:" + partition + ":kms:" + region + ":" + account + ":key/" + keyId;
    if (!KEY_ARN.matcher(arn).matches()) {
      throw new IllegalArgumentException(
          "not a KMS key ARN: expected arn:aws:kms:<region>:<12-digit account>:key/<key id>");
    }
  }

  /**
   * Parses a key ARN such as {@code arn:aws:kms:us-east-1:111111111111:key/1234abcd-...}; refuses
   * aliases, key ids without ARN and anything else, without repeating the text (it came from a
   * configuration a person should fix, and may be long).
   */
  public static SigningKeyArn parse(String arn) {
    Matcher matcher = arn == null ? null : KEY_ARN.matcher(arn);
    if (matcher == null || !matcher.matches()) {
      throw new IllegalArgumentException(
          "provenance signingKeyArn must be a KMS key ARN"
              + " (arn:aws:kms:<region>:<12-digit account>:key/<key id>), not an alias or key id:"
              + " an alias can be re-pointed at another key.");
    }
    return new SigningKeyArn(
        matcher.group(1), matcher.group(2), matcher.group(3), matcher.group(4));
  }

  @Override
  public String toString() {
    return "arn:" + partition + ":kms:" + region + ":" + account + ":key/" + keyId;
  }
}
