package org.artifactpromoter.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.artifactpromoter.events.PromotionEvent.Outcome;
import org.artifactpromoter.json.Json;
import org.artifactpromoter.model.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class PromotionEventTest {
  private static final String REVISION = "3f786850e387550fdab836ed7e6dc881de23001b";
  private static final String SHA256 =
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  @ParameterizedTest
  @CsvSource({
    "PROMOTED,,Promotion Succeeded",
    "ALREADY_PROMOTED,,Promotion Succeeded",
    "DRY_RUN,,Promotion Succeeded",
    "FAILED,INVALID_REQUEST,Promotion Refused",
    "FAILED,PROMOTION_NOT_ALLOWED,Promotion Refused",
    "FAILED,REVISION_NOT_FOUND,Promotion Refused",
    "FAILED,APPROVAL_REQUIRED,Promotion Refused",
    "FAILED,PROVENANCE_INVALID,Promotion Refused",
    "FAILED,INTEGRITY_MISMATCH,Promotion Failed",
    "FAILED,ACCESS_DENIED,Promotion Failed",
    "FAILED,CONFLICT,Promotion Failed",
    "FAILED,INTERNAL,Promotion Failed",
    "FAILED,SOME_FUTURE_CODE,Promotion Failed",
  })
  void outcomeOf_mapsStatusAndCodeToDetailType(String status, String code, String detailType) {
    assertThat(PromotionEvent.outcomeOf(status, code).detailType()).isEqualTo(detailType);
  }

  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  void everyErrorCodeOfThisVersion_isRefusedOrFailed(ErrorCode code) {
    Outcome outcome = PromotionEvent.outcomeOf("FAILED", code.name());
    assertThat(outcome).isIn(Outcome.REFUSED, Outcome.FAILED);
  }

  @Test
  void outcomeOf_whenStatusDoesNotDescribeAnOutcome_refusesToBuild() {
    assertThatThrownBy(() -> PromotionEvent.outcomeOf("FAILED", null))
        .hasMessageContaining("needs an error code");
    assertThatThrownBy(() -> PromotionEvent.outcomeOf("PROMOTED", "INTERNAL"))
        .hasMessageContaining("an error's status is FAILED");
    assertThatThrownBy(() -> PromotionEvent.outcomeOf("DONE", null))
        .hasMessageContaining("not a result status");
    assertThatThrownBy(() -> PromotionEvent.builder().build())
        .hasMessageContaining("needs the result's status");
  }

  @Test
  void detail_ofABreakGlassPromotion_carriesEveryField() {
    PromotionEvent event =
        PromotionEvent.builder()
            .promotionId("p-123")
            .function("orders-api")
            .from("stage")
            .to("prod")
            .revision(REVISION)
            .sha256(SHA256)
            .status("PROMOTED")
            .promotedBy("arn:aws:iam::111111111111:role/oncall")
            .breakGlass(true)
            .reason("INC-42 hotfix")
            .time(Instant.parse("2025-01-02T03:04:05Z"))
            .build();

    JsonNode detail = Json.parseObject(event.detailJson(), "detail");
    assertThat(event.detailType()).isEqualTo("Promotion Succeeded");
    assertThat(detail.get("promotionId").asText()).isEqualTo("p-123");
    assertThat(detail.get("function").asText()).isEqualTo("orders-api");
    assertThat(detail.get("from").asText()).isEqualTo("stage");
    assertThat(detail.get("to").asText()).isEqualTo("prod");
    assertThat(detail.get("revision").asText()).isEqualTo(REVISION);
    assertThat(detail.get("sha256").asText()).isEqualTo(SHA256);
    assertThat(detail.get("status").asText()).isEqualTo("PROMOTED");
    assertThat(detail.get("promotedBy").asText())
        .isEqualTo("arn:aws:iam::111111111111:role/oncall");
    assertThat(detail.get("breakGlass").isBoolean()).isTrue();
    assertThat(detail.get("breakGlass").booleanValue()).isTrue();
    assertThat(detail.get("reason").asText()).isEqualTo("INC-42 hotfix");
    assertThat(detail.has("error")).isFalse();
    assertThat(detail.has("message")).isFalse();
    assertThat(detail.has("approvedBy")).isFalse();
    assertThat(event.time()).contains(Instant.parse("2025-01-02T03:04:05Z"));
  }

  @Test
  void detail_ofARefusalBeforeAnythingIsKnown_omitsUnknownFieldsInsteadOfNulls() {
    PromotionEvent event =
        PromotionEvent.builder()
            .status("FAILED")
            .error("INVALID_REQUEST", "request is not valid JSON")
            .function(null)
            .approvedBy("")
            .breakGlass(null)
            .build();

    JsonNode detail = Json.parseObject(event.detailJson(), "detail");
    assertThat(event.detailType()).isEqualTo("Promotion Refused");
    assertThat(detail.properties())
        .extracting(e -> e.getKey())
        .containsExactly("status", "error", "message");
    assertThat(detail.get("error").asText()).isEqualTo("INVALID_REQUEST");
    assertThat(detail.get("message").asText()).isEqualTo("request is not valid JSON");
    assertThat(event.detailJson()).doesNotContain("null");
  }

  @Test
  void detail_withAnApprover_andBreakGlassFalse_keepsBoth() {
    JsonNode detail =
        PromotionEvent.builder()
            .status("ALREADY_PROMOTED")
            .approvedBy("alice@example.com")
            .breakGlass(false)
            .build()
            .detail();
    assertThat(detail.get("approvedBy").asText()).isEqualTo("alice@example.com");
    assertThat(detail.get("breakGlass").booleanValue()).isFalse();
  }

  @Test
  void longTexts_areCutSoThatTheEventStaysSmall_withoutSplittingACharacter() {
    String emoji = "\uD83D\uDE80";
    String message = "x".repeat(PromotionEvent.MAX_TEXT_CHARS - 2) + emoji + "tail";
    JsonNode detail =
        PromotionEvent.builder()
            .status("FAILED")
            .error("INTERNAL", message)
            .reason("r".repeat(10_000))
            .build()
            .detail();
    String cut = detail.get("message").asText();
    assertThat(cut).hasSizeLessThanOrEqualTo(PromotionEvent.MAX_TEXT_CHARS).endsWith("…");
    assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - 2))).isFalse();
    assertThat(detail.get("reason").asText()).hasSize(PromotionEvent.MAX_TEXT_CHARS);
  }

  @Test
  void detail_escapesControlCharactersAndQuotes() {
    PromotionEvent event =
        PromotionEvent.builder().status("DRY_RUN").reason("line1\n\"quoted\"\u0000").build();
    assertThat(event.detailJson()).doesNotContain("\n");
    assertThat(Json.parseObject(event.detailJson(), "detail").get("reason").asText())
        .isEqualTo("line1\n\"quoted\"\u0000");
  }
}
