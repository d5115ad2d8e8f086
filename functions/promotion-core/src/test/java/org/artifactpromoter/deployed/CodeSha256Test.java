package org.artifactpromoter.deployed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CodeSha256Test {
  @Test
  void lambdasBase64_isTheReleasesHex() throws Exception {
    byte[] digest =
        MessageDigest.getInstance("SHA-256").digest("package".getBytes(StandardCharsets.UTF_8));
    String base64 = Base64.getEncoder().encodeToString(digest);
    String hex = HexFormat.of().formatHex(digest);

    assertThat(CodeSha256.toHex(base64)).isEqualTo(hex);
    assertThat(CodeSha256.toBase64(hex)).isEqualTo(base64);
    assertThat(CodeSha256.toBase64(hex.toUpperCase())).isEqualTo(base64);
  }

  @Test
  void knownValue_ofTheEmptyPackage() {
    assertThat(CodeSha256.toHex("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void notASha256_isRefused() {
    assertThatThrownBy(() -> CodeSha256.toHex("not base64!")).hasMessageContaining("not base64");
    assertThatThrownBy(() -> CodeSha256.toHex("AAAA")).hasMessageContaining("3 bytes");
    assertThatThrownBy(() -> CodeSha256.toHex(null)).hasMessageContaining("0 bytes");
    assertThatThrownBy(() -> CodeSha256.toBase64("abc")).hasMessageContaining("64 characters");
  }
}
