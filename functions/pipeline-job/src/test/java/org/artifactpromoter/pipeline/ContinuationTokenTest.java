package org.artifactpromoter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PartRanges;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.promotion.Continuation;
import org.artifactpromoter.promotion.Continuation.Phase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContinuationTokenTest {
  private static final String PROMOTION = "job-2d5e7f3a-91b4-4c8e-a6f0-3b2c1d0e9f87";
  private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
  private static final String UPLOAD =
      "VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA.Zm9vYmFy-_x";

  private static Continuation continuation(Phase phase, String parts) {
    return new Continuation(
        PROMOTION,
        COMMIT,
        phase,
        UPLOAD,
        PartRanges.parse(parts),
        3,
        "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY");
  }

  @Test
  void encodeThenDecode_restoresContinuation() {
    ContinuationToken token = new ContinuationToken(continuation(Phase.DROP_KEY, "1-2"), 1);

    String encoded = token.encode();
    ContinuationToken decoded = ContinuationToken.decode(encoded, PROMOTION);

    assertThat(decoded).isEqualTo(token);
    assertThat(encoded).doesNotContain(PROMOTION).hasSizeLessThan(300);
  }

  @Test
  void encode_carriesNoApprover_andDecodeIgnoresOneAForgedTokenClaims() {
    String encoded = new ContinuationToken(continuation(Phase.RELEASE, "1"), 0).encode();
    String forged =
        encoded.substring(0, encoded.length() - 1)
            + ",\"by\":\"arn:aws:iam::444444444444:user/ciso\",\"note\":\"x\"}";

    assertThat(encoded).doesNotContain("\"by\"");
    // Nothing the decoded token offers can carry an approver on.
    assertThat(ContinuationToken.decode(forged, PROMOTION))
        .isEqualTo(ContinuationToken.decode(encoded, PROMOTION))
        .hasToString(ContinuationToken.decode(encoded, PROMOTION).toString());
  }

  @Test
  void encode_staysWithinCodePipelinesLimit_droppingInformativeFieldsFirst() {
    StringBuilder fragmented = new StringBuilder();
    for (int part = 1; part < 2000; part += 2) {
      fragmented.append(fragmented.length() == 0 ? "" : ",").append(part);
    }
    ContinuationToken token =
        new ContinuationToken(continuation(Phase.RELEASE, fragmented.toString()), 0);

    String encoded = token.encode();
    ContinuationToken decoded = ContinuationToken.decode(encoded, PROMOTION);

    assertThat(encoded.length()).isLessThanOrEqualTo(ContinuationToken.MAX_CHARS);
    assertThat(decoded.continuation().uploadId()).isEqualTo(UPLOAD);
    assertThat(decoded.continuation().revision()).isEqualTo(COMMIT);
    assertThat(decoded.continuation().completedParts().toString()).isEmpty();
  }

  @Test
  void encode_whenTheUploadIdAloneIsTooLong_refuses() {
    Continuation huge =
        new Continuation(
            PROMOTION, COMMIT, Phase.RELEASE, "u".repeat(2100), PartRanges.none(), 3, "v1");

    assertThatThrownBy(() -> new ContinuationToken(huge, 0).encode())
        .isInstanceOfSatisfying(
            PromotionException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "A continuation token if continuing job",
        "{}",
        "{\"v\":2,\"ph\":\"R\",\"rev\":\"" + COMMIT + "\",\"up\":\"u\",\"n\":3}",
        "{\"v\":1,\"ph\":\"X\",\"rev\":\"" + COMMIT + "\",\"up\":\"u\",\"n\":3}",
        "{\"v\":1,\"ph\":\"R\",\"rev\":\"abc\",\"up\":\"u\",\"n\":3}",
        "{\"v\":1,\"ph\":\"R\",\"rev\":\"" + COMMIT + "\",\"n\":3}",
        "{\"v\":1,\"ph\":\"R\",\"rev\":\"" + COMMIT + "\",\"up\":\"u\",\"n\":0}",
        "{\"v\":1,\"ph\":\"R\",\"rev\":\"" + COMMIT + "\",\"up\":\"u\",\"n\":3,\"done\":\"1;2\"}"
      })
  void decode_refusesTokensItDidNotWrite(String token) {
    assertThatThrownBy(() -> ContinuationToken.decode(token, PROMOTION))
        .isInstanceOfSatisfying(
            PromotionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
              assertThat(e.getMessage()).contains("Retry the action");
            });
  }

  @Test
  void sameProgress_isTrueOnlyWhenNothingMoved() {
    ContinuationToken token = new ContinuationToken(continuation(Phase.RELEASE, "1"), 0);

    assertThat(token.sameProgress(continuation(Phase.RELEASE, "1"))).isTrue();
    assertThat(token.sameProgress(continuation(Phase.RELEASE, "1-2"))).isFalse();
    assertThat(token.sameProgress(continuation(Phase.DROP_KEY, "1"))).isFalse();
  }
}
