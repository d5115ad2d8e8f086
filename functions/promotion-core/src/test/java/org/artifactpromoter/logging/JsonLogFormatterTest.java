package org.artifactpromoter.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Records logged through java.util.logging (and System.Logger) with the JSON formatter. */
class JsonLogFormatterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LOGGER = "org.artifactpromoter.logging.test";

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final Logger logger = Logger.getLogger(LOGGER);
  private Handler handler;

  @BeforeEach
  void jsonHandler() {
    handler = new StreamHandler(out, new JsonLogFormatter());
    handler.setLevel(Level.ALL);
    logger.setUseParentHandlers(false);
    logger.setLevel(Level.ALL);
    logger.addHandler(handler);
  }

  @AfterEach
  void removeHandler() {
    logger.removeHandler(handler);
    logger.setUseParentHandlers(true);
    logger.setLevel(null);
  }

  @Test
  void everyLine_isOneJsonObject_withLevelMessageLoggerAndUtcTimestamp() throws IOException {
    System.Logger systemLogger = System.getLogger(LOGGER);
    Instant before = Instant.now();
    systemLogger.log(System.Logger.Level.INFO, "copied {0} bytes to {1}", 123, "stage");
    systemLogger.log(System.Logger.Level.WARNING, "slow");
    systemLogger.log(System.Logger.Level.ERROR, "broken");
    systemLogger.log(System.Logger.Level.DEBUG, "detail");
    systemLogger.log(System.Logger.Level.TRACE, "finest");

    List<JsonNode> records = records();
    assertThat(records).hasSize(5);
    JsonNode first = records.get(0);
    assertThat(first.get("message").asText()).isEqualTo("copied 123 bytes to stage");
    assertThat(first.get("level").asText()).isEqualTo("INFO");
    assertThat(first.get("logger").asText()).isEqualTo(LOGGER);
    assertThat(first.get("timestamp").asText())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(Instant.parse(first.get("timestamp").asText()))
        .isAfterOrEqualTo(before.minusMillis(1))
        .isBeforeOrEqualTo(Instant.now());
    assertThat(records)
        .extracting(r -> r.get("level").asText())
        .containsExactly("INFO", "WARN", "ERROR", "DEBUG", "TRACE");
  }

  @Test
  void recordsInsideAScope_carryTheContextFields_andNoneLeakAfterItCloses() throws IOException {
    try (LogContext.Scope scope =
        LogContext.builder()
            .promotionId("p-123")
            .function("orders-api")
            .from("dev")
            .to("stage")
            .jobId("job-9")
            .requestId(null)
            .open()) {
      logger.info("inside");
    }
    logger.info("after");

    List<JsonNode> records = records();
    JsonNode inside = records.get(0);
    assertThat(inside.get("promotionId").asText()).isEqualTo("p-123");
    assertThat(inside.get("function").asText()).isEqualTo("orders-api");
    assertThat(inside.get("from").asText()).isEqualTo("dev");
    assertThat(inside.get("to").asText()).isEqualTo("stage");
    assertThat(inside.get("jobId").asText()).isEqualTo("job-9");
    assertThat(inside.has("requestId")).isFalse();
    JsonNode after = records.get(1);
    assertThat(after.has("promotionId")).isFalse();
    assertThat(after.has("function")).isFalse();
    assertThat(LogContext.current()).isEmpty();
  }

  @Test
  void aNestedScope_addsFields_andClosingTheOuterOne_clearsEvenAnUnclosedInnerOne() {
    LogContext.Scope outer = LogContext.builder().requestId("req-1").jobId("job-1").open();
    LogContext.Scope inner = LogContext.builder().promotionId("p-1").jobId("job-2").open();
    assertThat(LogContext.current())
        .containsExactly(
            Map.entry("requestId", "req-1"),
            Map.entry("jobId", "job-2"),
            Map.entry("promotionId", "p-1"));
    // inner is never closed: a thrown exception skipped it, say.
    outer.close();
    assertThat(LogContext.current()).isEmpty();
    inner.close();
    assertThat(LogContext.current()).isEmpty();
  }

  @Test
  void consecutiveInvocationsOnOneThread_seeOnlyTheirOwnFields() {
    try (LogContext.Scope first = LogContext.builder().promotionId("p-first").to("prod").open()) {
      assertThat(LogContext.current()).containsEntry("to", "prod");
    }
    try (LogContext.Scope second = LogContext.builder().promotionId("p-second").open()) {
      assertThat(LogContext.current()).containsExactly(Map.entry("promotionId", "p-second"));
    }
  }

  @Test
  void propagatedTasks_carryTheCallersFields_andLeaveThePoolThreadClean() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Map<String, String> seen;
      try (LogContext.Scope scope = LogContext.builder().promotionId("p-parts").open()) {
        seen = pool.submit(LogContext.propagate(LogContext::current)).get();
      }
      assertThat(seen).containsExactly(Map.entry("promotionId", "p-parts"));
      assertThat(pool.submit(LogContext::current).get()).isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aMessageWithNewlinesAndControlCharacters_staysOneLine() throws IOException {
    logger.info("first line\nsecond line\r\n\t\u0000\u001b[31m \"quoted\"");
    String text = out();
    assertThat(text).endsWith("\n");
    assertThat(text.indexOf('\n')).isEqualTo(text.length() - 1);
    assertThat(text).doesNotContain("\r").doesNotContain("\u0000");
    assertThat(records().get(0).get("message").asText())
        .isEqualTo("first line\nsecond line\r\n\t\u0000\u001b[31m \"quoted\"");
  }

  @Test
  void anException_isOneField_withItsNameMessageAndStack_onTheSameLine() throws IOException {
    logger.log(Level.SEVERE, "copy failed", new IllegalStateException("part 3\nfailed"));
    String text = out();
    assertThat(text.strip()).doesNotContain("\n");
    JsonNode error = records().get(0).get("error");
    assertThat(error.get("name").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(error.get("message").asText()).isEqualTo("part 3\nfailed");
    assertThat(error.get("stack").asText()).contains("JsonLogFormatterTest");
  }

  @Test
  void configure_onlyWhenLambdaSaysJson() {
    Logger root = Logger.getAnonymousLogger();
    root.setUseParentHandlers(false);
    StreamHandler console =
        new StreamHandler(new ByteArrayOutputStream(), new java.util.logging.SimpleFormatter());
    root.addHandler(console);

    assertThat(StructuredLogging.configure(Map.of(), root)).isFalse();
    assertThat(StructuredLogging.configure(Map.of("AWS_LAMBDA_LOG_FORMAT", "Text"), root))
        .isFalse();
    assertThat(console.getFormatter()).isNotInstanceOf(JsonLogFormatter.class);
    assertThat(StructuredLogging.configure(Map.of("AWS_LAMBDA_LOG_FORMAT", "JSON"), root)).isTrue();
    assertThat(console.getFormatter()).isInstanceOf(JsonLogFormatter.class);
    assertThat(StructuredLogging.jsonRequested(Map.of("AWS_LAMBDA_LOG_FORMAT", " json "))).isTrue();
  }

  private String out() {
    handler.flush();
    return out.toString(StandardCharsets.UTF_8);
  }

  private List<JsonNode> records() throws IOException {
    List<JsonNode> records = new ArrayList<>();
    for (String line : out().split("\n")) {
      JsonNode node = JSON.readTree(line);
      assertThat(node.isObject()).as(line).isTrue();
      records.add(node);
    }
    return records;
  }
}
