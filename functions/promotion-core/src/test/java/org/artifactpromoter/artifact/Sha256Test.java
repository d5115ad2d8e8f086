package org.artifactpromoter.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class Sha256Test {
  /** SHA-256 of the empty input, in both spellings (FIPS 180-2 test vector). */
  private static final String EMPTY_HEX =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  private static final String EMPTY_BASE64 = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";

  @TempDir Path dir;

  @Test
  void hexToBase64_isWhatS3SendsInItsChecksumHeader() {
    assertThat(Sha256.hexToBase64(EMPTY_HEX)).isEqualTo(EMPTY_BASE64);
  }

  @Test
  void base64ToHex_isWhatOurMetadataRecords() {
    assertThat(Sha256.base64ToHex(EMPTY_BASE64)).isEqualTo(EMPTY_HEX);
  }

  @Test
  void hexAndBase64_roundTripForAnyDigest() {
    Random random = new Random(7);
    for (int i = 0; i < 200; i++) {
      byte[] digest = new byte[32];
      random.nextBytes(digest);
      String hex = HexFormat.of().formatHex(digest);

      assertThat(Sha256.base64ToHex(Sha256.hexToBase64(hex))).isEqualTo(hex);
    }
  }

  @Test
  void base64ToHex_ofACompositeMultipartChecksum_isNull() {
    assertThat(Sha256.base64ToHex(EMPTY_BASE64.replace("=", "") + "-3")).isNull();
    assertThat(Sha256.base64ToHex("8Pv8dG5p/B8lKXf2HSPHhZB0aWz7FQ0c3O2Hb3K9lyg=-3")).isNull();
  }

  @Test
  void base64ToHex_ofNothing_isNull() {
    assertThat(Sha256.base64ToHex(null)).isNull();
  }

  @Test
  void base64ToHex_ofAnotherDigestLength_isNull() {
    // A CRC32 or SHA-1 checksum is not a SHA-256 and must never be compared as one.
    assertThat(Sha256.base64ToHex("AAAAAA==")).isNull();
    assertThat(Sha256.base64ToHex("2jmj7l5rSw0yVb/vlWAYkK/YBwk=")).isNull();
  }

  @Test
  void hexOf_matchesTheKnownDigests() throws Exception {
    Path empty = Files.write(dir.resolve("empty.zip"), new byte[0]);
    Path abc = Files.writeString(dir.resolve("abc.zip"), "abc", StandardCharsets.US_ASCII);

    assertThat(Sha256.hexOf(empty)).isEqualTo(EMPTY_HEX);
    assertThat(Sha256.hexOf(abc))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void hexOf_aFileLargerThanItsBuffer_digestsEveryByte() throws Exception {
    byte[] content = new byte[(1 << 16) * 3 + 17];
    new Random(11).nextBytes(content);
    Path file = Files.write(dir.resolve("package.zip"), content);

    assertThat(Sha256.hexOf(file))
        .isEqualTo(HexFormat.of().formatHex(Sha256.newDigest().digest(content)))
        .satisfies(hex -> assertThat(Sha256.isHex(hex)).isTrue());
  }

  @Test
  void isHex_acceptsOnlyLowerCase64HexDigits() {
    assertThat(Sha256.isHex(EMPTY_HEX)).isTrue();
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(
      strings = {
        "",
        "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8555",
        "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
      })
  void isHex_refusesAnythingElse(String value) {
    assertThat(Sha256.isHex(value)).isFalse();
  }
}
