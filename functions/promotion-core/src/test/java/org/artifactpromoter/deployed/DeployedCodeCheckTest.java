package org.artifactpromoter.deployed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Function;
import org.artifactpromoter.json.Json;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationRequest;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.PackageType;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/** The decisions on Lambda's answers, on an in-memory Lambda; DeployedCodeIT runs them on moto. */
class DeployedCodeCheckTest {
  private static final String HEX =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static final String BASE64 = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
  private static final String OTHER_HEX =
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  private final DeployedCodeCheck check = new DeployedCodeCheck(DeployedFunctionPattern.of(null));

  @Test
  void sameHash_isRunning() {
    DeployedCode code =
        check.check(answering(zip(BASE64)), "orders-api", "prod", HEX.toUpperCase());
    assertThat(code).isEqualTo(new DeployedCode("orders-api-prod", HEX, true, null));
    assertThat(code.state()).isEqualTo("RUNNING");
  }

  @Test
  void otherHash_isDrift() {
    DeployedCode code = check.check(answering(zip(BASE64)), "orders-api", "prod", OTHER_HEX);
    assertThat(code.match()).isFalse();
    assertThat(code.codeSha256()).isEqualTo(HEX);
    assertThat(code.state()).isEqualTo("DRIFT");
  }

  @Test
  void json_hasFunctionCodeSha256AndMatch_andAReasonOnlyWhenUnknown() {
    JsonNode known = Json.MAPPER.valueToTree(new DeployedCode("f-prod", HEX, false, null));
    assertThat(known.properties())
        .extracting(e -> e.getKey())
        .containsExactly("function", "codeSha256", "match");
    JsonNode unknown = Json.MAPPER.valueToTree(DeployedCode.unknown("f-prod", null, "why"));
    assertThat(unknown.get("match").isNull()).isTrue();
    assertThat(unknown.get("codeSha256").isNull()).isTrue();
    assertThat(unknown.get("reason").asText()).isEqualTo("why");
  }

  @Test
  void missingFunction_isUnknown_sayingSo() {
    DeployedCode code =
        check.check(
            answering(
                r -> {
                  throw ResourceNotFoundException.builder().statusCode(404).message("nope").build();
                }),
            "orders-api",
            "stage",
            HEX);
    assertThat(code.match()).isNull();
    assertThat(code.state()).isEqualTo("UNKNOWN");
    assertThat(code.reason()).isEqualTo("function orders-api-stage not found in stage");
  }

  @Test
  void accessDenied_isUnknown_namingThePermission() {
    DeployedCode code =
        check.check(
            answering(
                r -> {
                  throw LambdaException.builder()
                      .statusCode(403)
                      .awsErrorDetails(
                          AwsErrorDetails.builder().errorCode("AccessDeniedException").build())
                      .build();
                }),
            "orders-api",
            "prod",
            HEX);
    assertThat(code.match()).isNull();
    assertThat(code.reason()).contains("access denied").contains("lambda:GetFunctionConfiguration");
  }

  @Test
  void unreachableLambda_isUnknown() {
    DeployedCode code =
        check.check(
            answering(
                r -> {
                  throw SdkClientException.create("Connection refused");
                }),
            "orders-api",
            "prod",
            HEX);
    assertThat(code.match()).isNull();
    assertThat(code.reason()).contains("not reachable");
  }

  @Test
  void noReleaseToCompareWith_isUnknown_butShowsWhatRuns() {
    DeployedCode code = check.check(answering(zip(BASE64)), "orders-api", "prod", null);
    assertThat(code.match()).isNull();
    assertThat(code.codeSha256()).isEqualTo(HEX);
    assertThat(code.reason()).contains("no release");
  }

  @Test
  void imageFunction_isUnknown() {
    DeployedCode code =
        check.check(
            answering(
                r ->
                    GetFunctionConfigurationResponse.builder()
                        .packageType(PackageType.IMAGE)
                        .codeSha256(BASE64)
                        .build()),
            "orders-api",
            "prod",
            HEX);
    assertThat(code.match()).isNull();
    assertThat(code.reason()).contains("container image");
  }

  @Test
  void malformedCodeSha256_isUnknown() {
    DeployedCode code = check.check(answering(zip("AAAA")), "orders-api", "prod", HEX);
    assertThat(code.match()).isNull();
    assertThat(code.reason()).contains("32 of a SHA-256");
  }

  @Test
  void theCheckAsksForTheResolvedName() {
    String[] asked = new String[1];
    new DeployedCodeCheck(DeployedFunctionPattern.of("{function}-live"))
        .check(
            answering(
                r -> {
                  asked[0] = r.functionName();
                  return zip(BASE64).apply(r);
                }),
            "orders-api",
            "prod",
            HEX);
    assertThat(asked[0]).isEqualTo("orders-api-live");
  }

  private static Function<GetFunctionConfigurationRequest, GetFunctionConfigurationResponse> zip(
      String base64) {
    return r ->
        GetFunctionConfigurationResponse.builder()
            .functionName(r.functionName())
            .packageType(PackageType.ZIP)
            .codeSha256(base64)
            .build();
  }

  private static LambdaClient answering(
      Function<GetFunctionConfigurationRequest, GetFunctionConfigurationResponse> answer) {
    return new LambdaClient() {
      @Override
      public GetFunctionConfigurationResponse getFunctionConfiguration(
          GetFunctionConfigurationRequest request) {
        return answer.apply(request);
      }

      @Override
      public String serviceName() {
        return "lambda";
      }

      @Override
      public void close() {}
    };
  }
}
