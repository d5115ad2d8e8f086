package org.artifactpromoter.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HandlerTest {
  private static final String REVISION = "0123456789abcdef0123456789abcdef01234567";

  @Test
  void handleRequest_greetsByNameAndReportsTheRevision() {
    Handler handler = new Handler(Map.of("GIT_REVISION", REVISION)::get);

    Map<String, Object> result = handler.handleRequest(Map.of("name", "stage"), null);

    assertEquals("hello, stage", result.get("message"));
    assertEquals(REVISION, result.get("gitRevision"));
  }

  @Test
  void handleRequest_withoutNameOrRevision_answersWithDefaults() {
    Handler handler = new Handler(key -> null);

    Map<String, Object> result = handler.handleRequest(Map.of(), null);

    assertEquals("hello, world", result.get("message"));
    assertEquals("unknown", result.get("gitRevision"));
  }
}
