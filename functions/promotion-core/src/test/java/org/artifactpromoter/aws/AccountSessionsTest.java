package org.artifactpromoter.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.artifactpromoter.promotion.PromotionIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** STS RoleSessionName and SourceIdentity accept only 2-64 characters of [\w+=,.@-]. */
class AccountSessionsTest {
  private static final String STS_NAME = "[A-Za-z0-9_+=,.@-]{2,64}";

  @Test
  void sessionName_carriesThePromotionId() {
    assertThat(AccountSessions.sessionName("20260304T120506Z-0a1b2c3d"))
        .isEqualTo("promote-20260304T120506Z-0a1b2c3d");
  }

  @Test
  void sessionName_ofACodePipelineJob_keepsTheWholeJobId() {
    String promotionId = PromotionIds.forJob("11111111-2222-4333-8444-555555555555");

    assertThat(AccountSessions.sessionName(promotionId)).isEqualTo("promote-" + promotionId);
  }

  @ParameterizedTest
  @CsvSource({
    "a b/c:d, promote-a_b_c_d",
    "'', promote-",
    "é, promote-_",
    "'x@y=z+1,2.3', 'promote-x@y=z+1,2.3'"
  })
  void sessionName_replacesCharactersStsRefuses(String promotionId, String expected) {
    assertThat(AccountSessions.sessionName(promotionId)).isEqualTo(expected);
  }

  @Test
  void sessionName_ofALongId_isCutTo64Characters() {
    String name = AccountSessions.sessionName("x".repeat(100));

    assertThat(name).hasSize(64).startsWith("promote-xxx").matches(STS_NAME);
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "   ", "\t"})
  void sourceIdentityOf_nobody_isTheToolItself(String who) {
    assertThat(AccountSessions.sourceIdentityOf(who)).isEqualTo("artifact-promoter");
  }

  @ParameterizedTest
  @CsvSource({
    "alice, alice",
    "' alice ', alice",
    "a, a_",
    "Jörg Müller, J_rg_M_ller",
    "arn:aws:sts::111111111111:assumed-role/Approver/alice,"
        + " arn_aws_sts__111111111111_assumed-role_Approver_alice"
  })
  void sourceIdentityOf_keepsWhoAskedInTheStsCharset(String who, String expected) {
    assertThat(AccountSessions.sourceIdentityOf(who)).isEqualTo(expected);
  }

  @Test
  void sourceIdentityOf_aSingleCharacterOutsideBmp_isStillTwoCharacters() {
    assertThat(AccountSessions.sourceIdentityOf("\uD83D\uDE80")).matches(STS_NAME);
  }

  @Test
  void sourceIdentityOf_aLongName_isCutTo64Characters() {
    assertThat(AccountSessions.sourceIdentityOf("approver-".repeat(20))).hasSize(64);
  }

  @Test
  void sessionNameAndSourceIdentity_ofAnyText_areAcceptedBySts() {
    Random random = new Random(20260304);
    for (int i = 0; i < 2000; i++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(120);
      for (int c = 0; c < length; c++) {
        int codePoint =
            random.nextInt(4) == 0 ? random.nextInt(0x1F700) : 0x20 + random.nextInt(95);
        text.appendCodePoint(codePoint);
      }
      String input = text.toString();

      assertThat(AccountSessions.sessionName(input))
          .as("session name of %s", input)
          .matches(STS_NAME);
      assertThat(AccountSessions.sourceIdentityOf(input))
          .as("source identity of %s", input)
          .matches(STS_NAME);
    }
  }
}
