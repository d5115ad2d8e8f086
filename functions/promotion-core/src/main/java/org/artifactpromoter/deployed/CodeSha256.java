package org.artifactpromoter.deployed;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Lambda reports a function's code hash ({@code CodeSha256}) as the base64 of the SHA-256 of the
 * deployment package; releases record it as lowercase hex. These convert between the two.
 */
public final class CodeSha256 {
  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{64}");

  private CodeSha256() {}

  /**
   * Lambda's base64 form as lowercase hex.
   *
   * @throws IllegalArgumentException when {@code base64} is not the base64 of 32 bytes
   */
  public static String toHex(String base64) {
    byte[] digest;
    try {
      digest = Base64.getDecoder().decode(base64 == null ? "" : base64.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("CodeSha256 is not base64", e);
    }
    if (digest.length != 32) {
      throw new IllegalArgumentException(
          "CodeSha256 holds " + digest.length + " bytes, not the 32 of a SHA-256");
    }
    return HexFormat.of().formatHex(digest);
  }

  /**
   * A hex SHA-256 in Lambda's base64 form.
   *
   * @throws IllegalArgumentException when {@code hex} is not 64 hex characters
   */
  public static String toBase64(String hex) {
    if (hex == null || !HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException("a SHA-256 in hex has 64 characters 0-9 a-f");
    }
    return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
  }

  /** Whether {@code hex} is a SHA-256 in hex (either case). */
  static boolean isHex(String hex) {
    return hex != null && HEX.matcher(hex).matches();
  }

  static String normalized(String hex) {
    return hex.toLowerCase(Locale.ROOT);
  }
}
