package org.artifactpromoter.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256 in the two spellings we meet: hex in our metadata, base64 in S3's checksum headers. */
public final class Sha256 {
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  private Sha256() {}

  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  public static String hexOf(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return hexOf(in);
    }
  }

  /** The SHA-256 of everything {@code in} holds; the caller closes it. */
  public static String hexOf(InputStream in) throws IOException {
    MessageDigest digest = newDigest();
    byte[] buffer = new byte[1 << 16];
    for (int n; (n = in.read(buffer)) > 0; ) {
      digest.update(buffer, 0, n);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  public static boolean isHex(String value) {
    return value != null && HEX.matcher(value).matches();
  }

  public static String hexToBase64(String hex) {
    return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
  }

  /** Converts S3's base64 checksum to hex; null for null or a composite ("...-N") checksum. */
  public static String base64ToHex(String base64) {
    if (base64 == null || base64.contains("-")) {
      return null;
    }
    byte[] bytes = Base64.getDecoder().decode(base64);
    return bytes.length == 32 ? HexFormat.of().formatHex(bytes) : null;
  }
}
