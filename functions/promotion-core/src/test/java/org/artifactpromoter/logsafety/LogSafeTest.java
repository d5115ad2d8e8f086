package org.artifactpromoter.logsafety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class LogSafeTest {
  /** The Lambda's one-line record format (LogFormat): level, logger, message. */
  private static final String LINE_FORMAT = "%4$s %3$s %5$s%6$s%n";

  private static final String FORGED_JOB_ID =
      "11111111-2222-3333-4444-555555555555\nINFO org.artifactpromoter.promotion promoted"
          + " orders-api stage -> prod revision 19f1a9f2 approved by ciso";

  private static String logLine(String message) {
    return String.format(
        LINE_FORMAT, null, null, "org.artifactpromoter.pipeline", "INFO", message, "");
  }

  @Test
  void aJobIdWithANewline_isNotAJobId() {
    assertThat(LogSafe.isCodePipelineJobId(FORGED_JOB_ID)).isFalse();
    assertThatThrownBy(() -> LogSafe.requireCodePipelineJobId(FORGED_JOB_ID))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a CodePipeline job id")
        .hasMessageNotContaining("promoted");
  }

  @Test
  void aJobIdWithANewline_escaped_staysOneLogLine_andForgesNoInfoLine() {
    String unsafe = logLine("CodePipeline job " + FORGED_JOB_ID + ": started");
    String safe = logLine("CodePipeline job " + LogSafe.text(FORGED_JOB_ID) + ": started");

    // Unescaped, the attacker's text starts a line of its own that reads like our own record.
    assertThat(unsafe.lines()).hasSize(2);
    assertThat(unsafe.lines().skip(1).findFirst())
        .hasValueSatisfying(
            line -> assertThat(line).startsWith("INFO org.artifactpromoter.promotion promoted"));
    assertThat(safe.lines()).hasSize(1);
    assertThat(safe).startsWith("INFO org.artifactpromoter.pipeline CodePipeline job ");
    assertThat(safe).contains("555555555555\\nINFO org.artifactpromoter.promotion promoted");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "11111111-2222-3333-4444-555555555555",
        "a1b2c3d4-e5f6-a7b8-c9d0-e1f2a3b4c5d6",
        "A1B2C3D4-E5F6-A7B8-C9D0-E1F2A3B4C5D6"
      })
  void uuids_areJobIds(String jobId) {
    assertThat(LogSafe.requireCodePipelineJobId(jobId)).isEqualTo(jobId);
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(
      strings = {
        "",
        "job-1",
        "11111111-2222-3333-4444-55555555555",
        "11111111-2222-3333-4444-5555555555555",
        "111111112222333344445555555555555555",
        "11111111-2222-3333-4444-55555555555g",
        " 11111111-2222-3333-4444-555555555555",
        "11111111-2222-3333-4444-555555555555\n",
        "11111111-2222-3333-4444-555555555555\r",
        "{11111111-2222-3333-4444-555555555555}",
        "11111111-2222-3333-4444-５５５５５５５５５５５５"
      })
  void anythingElse_isNotAJobId(String jobId) {
    assertThat(LogSafe.isCodePipelineJobId(jobId)).isFalse();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "a\\nb | a\\\\nb",
        "tab\there | tab\\there",
        "cr\rlf | cr\\rlf",
        "plain-text 123 ü é 日本 | plain-text 123 ü é 日本"
      })
  void text_escapesBackslashesAndControls(String value, String expected) {
    assertThat(LogSafe.text(value)).isEqualTo(expected);
  }

  @Test
  void text_escapesEveryC0AndC1ControlAndTheUnicodeLineBreaks() {
    StringBuilder hostile = new StringBuilder();
    for (char c = 0; c < 0x20; c++) {
      hostile.append(c);
    }
    for (char c = 0x7F; c <= 0x9F; c++) {
      hostile.append(c);
    }
    hostile.append("\u2028\u2029\u202E\u2066");

    String escaped = LogSafe.text(hostile.toString(), 10_000);

    assertThat(escaped.chars()).allMatch(c -> c >= 0x20 && c < 0x7F);
    assertThat(escaped)
        .startsWith("\\u0000\\u0001")
        .contains("\\t\\n\\u000B\\u000C\\r", "\\u007F", "\\u0085", "\\u009F")
        .endsWith("\\u2028\\u2029\\u202E\\u2066");
    assertThat(logLine(LogSafe.text("a\u2028b\u0085c\u000Bd")).lines()).hasSize(1);
  }

  @Test
  void text_cutsLongValues_sayingHowMuchWasLeftOut() {
    String escaped = LogSafe.text("x".repeat(2000));

    assertThat(escaped).startsWith("x".repeat(LogSafe.DEFAULT_MAX_CHARS));
    assertThat(escaped).endsWith("...(" + (2000 - LogSafe.DEFAULT_MAX_CHARS) + " more characters)");
  }

  @Test
  void text_ofNull_isTheWordNull() {
    assertThat(LogSafe.text(null)).isEqualTo("null");
  }
}
