package org.artifactpromoter.deployed;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What runs in an environment, compared with the release at its drop key: the {@code deployed}
 * entry of {@code status --json}.
 *
 * @param function the deployed Lambda function's name
 * @param codeSha256 its code's SHA-256 in lowercase hex; {@code null} when it could not be read
 * @param match {@code true} when it equals the release's SHA-256, {@code false} when it differs
 *     (drift), {@code null} when unknown
 * @param reason why {@code match} is {@code null}; absent otherwise
 */
public record DeployedCode(
    String function,
    @JsonInclude(JsonInclude.Include.ALWAYS) String codeSha256,
    @JsonInclude(JsonInclude.Include.ALWAYS) Boolean match,
    @JsonInclude(JsonInclude.Include.NON_NULL) String reason) {

  /** How {@code status} shows it: {@code RUNNING}, {@code DRIFT} or {@code UNKNOWN}. */
  public String state() {
    return match == null ? "UNKNOWN" : match ? "RUNNING" : "DRIFT";
  }

  public static DeployedCode unknown(String function, String codeSha256, String reason) {
    return new DeployedCode(function, codeSha256, null, reason);
  }
}
