package org.artifactpromoter.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PromotionRequestTest {
  private static final PromotionConfig CONFIG = ConfigDocuments.full();
  private static final String REVISION = "0123456789abcdef0123456789abcdef01234567";

  @Test
  void parse_completeRequest_keepsEveryField() {
    PromotionRequest request =
        PromotionRequest.parse(
            """
            {"function": "orders-api", "from": "dev", "to": "stage",
             "revision": "%s", "dryRun": true, "reason": "ticket-123"}
            """
                .formatted(REVISION),
            CONFIG);

    assertThat(request)
        .isEqualTo(
            new PromotionRequest("orders-api", "dev", "stage", REVISION, true, "ticket-123"));
  }

  @Test
  void parse_minimalRequest_promotesTheDropKeyRevisionForReal() {
    PromotionRequest request =
        PromotionRequest.parse(
            "{\"function\": \"orders-api\", \"from\": \"stage\", \"to\": \"prod\"}", CONFIG);

    assertThat(request.revision()).isNull();
    assertThat(request.dryRun()).isFalse();
    assertThat(request.reason()).isNull();
  }

  @Test
  void parse_nullOptionalFields_areTreatedAsAbsent() {
    PromotionRequest request =
        PromotionRequest.parse(
            "{\"function\": \"orders-api\", \"from\": \"dev\", \"to\": \"stage\","
                + " \"revision\": null, \"dryRun\": null, \"reason\": null}",
            CONFIG);

    assertThat(request)
        .isEqualTo(new PromotionRequest("orders-api", "dev", "stage", null, false, null));
  }

  @Test
  void parse_upperCaseRevision_isNormalisedToLowerCase() {
    PromotionRequest request = parse("orders-api", "dev", "stage", REVISION.toUpperCase());

    assertThat(request.revision()).isEqualTo(REVISION);
  }

  @Test
  void of_upperCaseRevision_isNormalisedToLowerCase() {
    PromotionRequest request =
        PromotionRequest.of(
            "orders-api", "dev", "stage", REVISION.toUpperCase(), false, null, CONFIG);

    assertThat(request.revision()).isEqualTo(REVISION);
  }

  // --- environments and the graph --------------------------------------------------------------

  @ParameterizedTest
  @CsvSource({"qa, stage, from, qa", "dev, qa, to, qa", "DEV, stage, from, DEV", "dev, '', to, ''"})
  void parse_unknownEnvironment_isInvalidRequestListingKnownEnvironments(
      String from, String to, String field, String unknown) {
    PromotionException refusal = refusal(() -> parse("orders-api", from, to, null));

    assertThat(refusal.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(refusal.getMessage())
        .contains("\"" + field + "\" names unknown environment \"" + unknown + "\"")
        .contains("known environments: [dev, stage, prod]");
  }

  @ParameterizedTest
  @CsvSource({"dev, prod", "prod, dev", "stage, stage", "stage, dev", "prod, stage"})
  void parse_promotionNotInGraph_isNotAllowedAndShowsTheAllowedOnes(String from, String to) {
    PromotionException refusal = refusal(() -> parse("orders-api", from, to, REVISION));

    assertThat(refusal.code()).isEqualTo(ErrorCode.PROMOTION_NOT_ALLOWED);
    assertThat(refusal.getMessage())
        .contains("Promoting " + from + " -> " + to + " is not allowed")
        .contains("{dev=[stage], stage=[prod]}")
        .contains("Promote through each environment in order");
  }

  @ParameterizedTest
  @CsvSource({"dev, prod, to", "stage, stage, to", "stage, dev, to", "prod, dev, from"})
  void parse_promotionNotInGraph_namesTheFieldToChange(String from, String to, String field) {
    PromotionException refusal = refusal(() -> parse("orders-api", from, to, REVISION));

    assertThat(refusal.getMessage()).contains("\"" + field + "\" must be");
  }

  @Test
  void of_missingEnvironment_isInvalidRequest() {
    PromotionException missingFrom =
        refusal(() -> PromotionRequest.of("orders-api", null, "stage", null, false, null, CONFIG));
    PromotionException missingTo =
        refusal(() -> PromotionRequest.of("orders-api", "dev", null, null, false, null, CONFIG));

    assertThat(missingFrom.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(missingFrom.getMessage()).contains("\"from\"", "known environments");
    assertThat(missingTo.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(missingTo.getMessage()).contains("\"to\"", "known environments");
  }

  // --- function names --------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a",
        "7",
        "orders-api",
        "orders_api_v2",
        "0rders--api__",
        "abcdefghijklmnopqrstuvwxyz0123456789-_abcdefghijklmnopqrstuvwxyz"
      })
  void parse_functionNamesInTheCharset_areAccepted(String function) {
    assertThat(parse(function, "dev", "stage", null).function()).isEqualTo(function);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "Orders-api",
        "-orders",
        "_orders",
        "orders.api",
        "orders api",
        "orders/api",
        "../orders",
        "ordérs",
        "orders-api\n",
        "abcdefghijklmnopqrstuvwxyz0123456789-_abcdefghijklmnopqrstuvwxyz0"
      })
  void parse_functionNameOutsideTheCharset_isRefusedShowingThePattern(String function) {
    PromotionException refusal = refusal(() -> parse(function, "dev", "stage", null));

    assertThat(refusal.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(refusal.getMessage())
        .contains("\"function\" must match [a-z0-9][a-z0-9-_]{0,63}")
        .contains("lower-case letters, digits, '-' and '_'");
  }

  @Test
  void of_nullFunction_isRefused() {
    PromotionException refusal =
        refusal(() -> PromotionRequest.of(null, "dev", "stage", null, false, null, CONFIG));

    assertThat(refusal.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(refusal.getMessage()).contains("\"function\" must match");
  }

  @Test
  void refusals_neverEchoControlCharactersOrUnboundedInput() {
    String hostile = "x\u001b[2J" + "y".repeat(5000);

    PromotionException refusal =
        refusal(() -> PromotionRequest.of(hostile, "dev", "stage", null, false, null, CONFIG));

    assertThat(refusal.getMessage()).doesNotContain("\u001b").hasSizeLessThan(300);
  }

  // --- revisions -------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "main",
        "HEAD",
        "0123456",
        "0123456789abcdef0123456789abcdef0123456",
        "0123456789abcdef0123456789abcdef012345678",
        "0123456789abcdef0123456789abcdef0123456g",
        " 0123456789abcdef0123456789abcdef01234567",
        "0123456789abcdef0123456789abcdef01234567\n"
      })
  void parse_revisionThatIsNot40Hex_isRefusedSayingHowToGetOne(String revision) {
    PromotionException refusal = refusal(() -> parse("orders-api", "dev", "stage", revision));

    assertThat(refusal.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(refusal.getMessage())
        .contains("40-character hex git commit id")
        .contains("git rev-parse")
        .contains("omit it");
  }

  // --- reasons ---------------------------------------------------------------------------------

  @Test
  void parse_reasonOf256Characters_isAccepted() {
    String reason = "r".repeat(256);

    assertThat(
            PromotionRequest.of("orders-api", "dev", "stage", null, false, reason, CONFIG).reason())
        .isEqualTo(reason);
  }

  @ParameterizedTest
  @ValueSource(strings = {"line one\nline two", "tab\there", "bell\u0007"})
  void parse_reasonWithControlCharacters_isRefused(String reason) {
    assertReasonRefused(reason);
  }

  @Test
  void parse_reasonOver256Characters_isRefused() {
    assertReasonRefused("r".repeat(257));
  }

  private static void assertReasonRefused(String reason) {
    PromotionException refusal =
        refusal(
            () -> PromotionRequest.of("orders-api", "dev", "stage", null, false, reason, CONFIG));

    assertThat(refusal.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(refusal.getMessage())
        .contains("\"reason\" must be at most 256 printable characters");
  }

  // --- the JSON itself -------------------------------------------------------------------------

  @Test
  void parse_unknownField_isRefusedNamingItAndTheAllowedFields() {
    PromotionException refusal =
        refusal(
            () ->
                PromotionRequest.parse(
                    "{\"function\": \"orders-api\", \"from\": \"dev\", \"to\": \"stage\","
                        + " \"role\": \"arn:aws:iam::444444444444:role/admin\"}",
                    CONFIG));

    assertThat(refusal.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(refusal.getMessage())
        .contains("unknown field(s) [role]")
        .contains("[dryRun, from, function, reason, revision, to]");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "\"function\": 42, \"from\": \"dev\", \"to\": \"stage\"            | \"function\" must be a string",
        "\"function\": \"orders-api\", \"from\": true, \"to\": \"stage\"   | \"from\" must be a string",
        "\"function\": \"orders-api\", \"from\": \"dev\", \"to\": [\"stage\"] | \"to\" must be a string",
        "\"function\": \"orders-api\", \"from\": \"dev\", \"to\": \"stage\", \"revision\": 123 | \"revision\" must be a string",
        "\"function\": \"orders-api\", \"from\": \"dev\", \"to\": \"stage\", \"reason\": {} | \"reason\" must be a string",
        "\"function\": \"orders-api\", \"from\": \"dev\", \"to\": \"stage\", \"dryRun\": \"false\" | \"dryRun\" must be true or false",
        "\"function\": \"orders-api\", \"from\": \"dev\", \"to\": \"stage\", \"dryRun\": 1 | \"dryRun\" must be true or false",
      })
  void parse_fieldOfTheWrongType_isRefusedNamingIt(String fields, String message) {
    PromotionException refusal = refusal(() -> PromotionRequest.parse("{" + fields + "}", CONFIG));

    assertThat(refusal.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(refusal.getMessage()).contains(message);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "\"from\": \"dev\", \"to\": \"stage\"                | function",
        "\"function\": \"orders-api\", \"to\": \"stage\"     | from",
        "\"function\": \"orders-api\", \"from\": \"dev\"     | to",
        "\"function\": null, \"from\": \"dev\", \"to\": \"stage\" | function"
      })
  void parse_missingRequiredField_isRefusedNamingIt(String fields, String missing) {
    PromotionException refusal = refusal(() -> PromotionRequest.parse("{" + fields + "}", CONFIG));

    assertThat(refusal.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(refusal.getMessage()).contains("is missing \"" + missing + "\"");
  }

  @Test
  void parse_duplicateKey_isRefused() {
    PromotionException refusal =
        refusal(
            () ->
                PromotionRequest.parse(
                    "{\"function\": \"orders-api\", \"from\": \"dev\", \"to\": \"stage\","
                        + " \"to\": \"prod\"}",
                    CONFIG));

    assertThat(refusal.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(refusal.getMessage()).contains("Duplicate field 'to'").contains("JSON object");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "null",
        "[]",
        "[{\"function\": \"orders-api\", \"from\": \"dev\", \"to\": \"stage\"}]",
        "\"orders-api\"",
        "42",
        "function=orders-api&from=dev&to=stage",
        "{\"function\": \"orders-api\", \"from\": \"dev\", \"to\": \"stage\""
      })
  void parse_anythingButOneJsonObject_isRefused(String json) {
    PromotionException refusal = refusal(() -> PromotionRequest.parse(json, CONFIG));

    assertThat(refusal.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(refusal.getMessage()).contains("JSON object");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"function\": \"orders-api\", \"from\": \"dev\", \"to\": \"stage\"} {\"to\": \"prod\"}",
        "{\"function\": \"orders-api\", \"from\": \"dev\", \"to\": \"stage\"}]",
        "{\"function\": \"orders-api\", \"from\": \"dev\", \"to\": \"stage\"} 42"
      })
  void parse_objectFollowedByMoreJson_isRefused(String json) {
    PromotionException refusal = refusal(() -> PromotionRequest.parse(json, CONFIG));

    assertThat(refusal.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(refusal.getMessage()).contains("not valid JSON").contains("Send a JSON object");
  }

  @Test
  void parse_nullPayload_isRefused() {
    PromotionException refusal = refusal(() -> PromotionRequest.parse(null, CONFIG));

    assertThat(refusal.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(refusal.getMessage()).contains("send a JSON object");
  }

  @Test
  void parse_payloadOfExactly4096Bytes_isAccepted() {
    String json = paddedTo(4096);

    assertThat(json.getBytes(StandardCharsets.UTF_8)).hasSize(4096);
    assertThat(PromotionRequest.parse(json, CONFIG).function()).isEqualTo("orders-api");
  }

  @Test
  void parse_payloadOver4096Bytes_isRefusedBeforeParsing() {
    String json = paddedTo(4097);

    PromotionException refusal = refusal(() -> PromotionRequest.parse(json, CONFIG));

    assertThat(refusal.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(refusal.getMessage())
        .contains("4097 bytes; the limit is 4096")
        .contains("Send only function, from, to, revision, dryRun and reason");
  }

  @Test
  void parse_payloadOver4096Bytes_namesTheLargestField() {
    String json =
        "{\"function\": \"orders-api\", \"from\": \"dev\", \"to\": \"stage\", \"reason\": \""
            + "x".repeat(5000)
            + "\"}";

    PromotionException refusal = refusal(() -> PromotionRequest.parse(json, CONFIG));

    assertThat(refusal.getMessage()).contains("field \"reason\" alone is 5008 bytes");
  }

  @Test
  void parse_malformedJson_doesNotQuoteTheInput() {
    String json = "{\"function\": \"orders-api\", \"reason\": wJalrXUtnFEMI}";

    PromotionException refusal = refusal(() -> PromotionRequest.parse(json, CONFIG));

    assertThat(refusal.getMessage())
        .contains("not valid JSON")
        .contains("line 1, column")
        .doesNotContain("wJalrXUtnFEMI");
  }

  @Test
  void parse_payloadIsMeasuredInUtf8Bytes() {
    // 2 100 characters, 4 200 bytes: under the limit in characters, over it in bytes.
    String json =
        "{\"function\": \"orders-api\", \"from\": \"dev\", \"to\": \"stage\", \"reason\": \""
            + "é".repeat(2100)
            + "\"}";

    PromotionException refusal = refusal(() -> PromotionRequest.parse(json, CONFIG));

    assertThat(json.length()).isLessThan(4096);
    assertThat(refusal.getMessage()).contains("the limit is 4096");
  }

  /** A valid request padded with insignificant whitespace to exactly {@code bytes}. */
  private static String paddedTo(int bytes) {
    String head = "{\"function\": \"orders-api\", \"from\": \"dev\", \"to\": \"stage\"";
    return head + " ".repeat(bytes - head.length() - 1) + "}";
  }

  private static PromotionRequest parse(String function, String from, String to, String revision) {
    return PromotionRequest.parse(
        "{\"function\": "
            + quoted(function)
            + ", \"from\": "
            + quoted(from)
            + ", \"to\": "
            + quoted(to)
            + (revision == null ? "" : ", \"revision\": " + quoted(revision))
            + "}",
        CONFIG);
  }

  private static String quoted(String value) {
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }

  private static PromotionException refusal(ThrowingSupplier<?> call) {
    Throwable thrown = catchThrowable(call::get);
    assertThat(thrown).isInstanceOf(PromotionException.class);
    return (PromotionException) thrown;
  }
}
