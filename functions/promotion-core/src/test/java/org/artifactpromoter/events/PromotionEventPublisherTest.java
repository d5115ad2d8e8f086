package org.artifactpromoter.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;
import org.artifactpromoter.events.PromotionEventPublisher.Publication;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * The retry decisions, on an in-memory EventBridge that answers from a script. The same behaviour
 * over HTTP with injected faults is PromotionEventsIT's.
 */
class PromotionEventPublisherTest {
  private static final PromotionEvent EVENT =
      PromotionEvent.builder().promotionId("p-1").status("PROMOTED").build();

  @Test
  void publish_whenAnEntryIsThrottledOnce_retriesAndPublishes() {
    ScriptedEventBridge bus =
        new ScriptedEventBridge(() -> failedEntry("ThrottlingException"), ScriptedEventBridge::ok);
    Publication publication =
        new PromotionEventPublisher(bus, null).publish(EVENT, Duration.ofSeconds(10));
    assertThat(publication.published()).isTrue();
    assertThat(publication.attempts()).isEqualTo(2);
    assertThat(bus.requests).hasSize(2);
    assertThat(bus.requests.get(1).entries().get(0).eventBusName()).isNull();
  }

  @Test
  void publish_whenTheEntryIsMalformed_doesNotRetryAndReturnsNormally() {
    ScriptedEventBridge bus = new ScriptedEventBridge(() -> failedEntry("MalformedDetail"));
    Publication publication =
        new PromotionEventPublisher(bus, "promotions").publish(EVENT, Duration.ofSeconds(10));
    assertThat(publication.published()).isFalse();
    assertThat(publication.attempts()).isEqualTo(1);
    assertThat(publication.lastFailure()).contains("MalformedDetail");
    assertThat(bus.requests.get(0).entries().get(0).eventBusName()).isEqualTo("promotions");
  }

  @Test
  void publish_whenTheBusIsMissing_doesNotRetry() {
    ScriptedEventBridge bus =
        new ScriptedEventBridge(
            () -> {
              throw serviceError(400, "ResourceNotFoundException");
            });
    Publication publication =
        new PromotionEventPublisher(bus, "gone").publish(EVENT, Duration.ofSeconds(10));
    assertThat(publication)
        .isEqualTo(new Publication(false, 1, "HTTP 400 ResourceNotFoundException"));
  }

  @Test
  void publish_whenFailuresPersist_stopsAtTheDeadlineAndReturnsNormally() {
    ScriptedEventBridge bus =
        new ScriptedEventBridge(
            () -> {
              throw serviceError(500, "InternalException");
            });
    long start = System.nanoTime();
    Publication publication =
        new PromotionEventPublisher(bus, null).publish(EVENT, Duration.ofMillis(1500));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(publication.published()).isFalse();
    assertThat(publication.attempts()).isBetween(3, 6);
    assertThat(took).isLessThan(Duration.ofMillis(1500));
  }

  @Test
  void publish_withNoTimeLeft_makesNoCall() {
    ScriptedEventBridge bus = new ScriptedEventBridge(ScriptedEventBridge::ok);
    Publication publication = new PromotionEventPublisher(bus, null).publish(EVENT, Duration.ZERO);
    assertThat(publication.published()).isFalse();
    assertThat(bus.requests).isEmpty();
  }

  @Test
  void publish_whenTheClientThrowsSomethingUnexpected_neverThrowsIntoTheCaller() {
    ScriptedEventBridge bus =
        new ScriptedEventBridge(
            () -> {
              throw new IllegalStateException("client closed");
            });
    Publication publication =
        new PromotionEventPublisher(bus, null).publish(EVENT, Duration.ofSeconds(5));
    assertThat(publication.published()).isFalse();
    assertThat(publication.lastFailure()).isEqualTo("IllegalStateException");
  }

  @Test
  void busName_mustBeANameOrAnArn() {
    assertThat(PromotionEventPublisher.validBusName(null)).isNull();
    assertThat(PromotionEventPublisher.validBusName(" ")).isNull();
    assertThat(PromotionEventPublisher.validBusName("acme-promotions"))
        .isEqualTo("acme-promotions");
    assertThat(
            PromotionEventPublisher.validBusName(
                "arn:aws:events:us-east-1:111111111111:event-bus/acme-promotions"))
        .startsWith("arn:aws:events:");
    assertThatThrownBy(() -> PromotionEventPublisher.validBusName("bus name with spaces"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("default bus");
    assertThatThrownBy(
            () -> PromotionEventPublisher.validBusName("arn:aws:sns:us-east-1:111111111111:topic"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static PutEventsResponse failedEntry(String code) {
    return PutEventsResponse.builder()
        .failedEntryCount(1)
        .entries(PutEventsResultEntry.builder().errorCode(code).errorMessage("injected").build())
        .build();
  }

  private static AwsServiceException serviceError(int status, String code) {
    return AwsServiceException.builder()
        .statusCode(status)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("injected").build())
        .build();
  }

  /** Answers each PutEvents with the next scripted answer; the last one repeats. */
  @Test
  void publish_withoutAnyCredentials_doesNotRetry() {
    ScriptedEventBridge bus =
        new ScriptedEventBridge(
            () -> {
              throw software.amazon.awssdk.core.exception.SdkClientException.create(
                  "Unable to load credentials from any of the providers in the chain");
            });

    Publication publication =
        new PromotionEventPublisher(bus, null).publish(EVENT, Duration.ofSeconds(5));

    assertThat(publication.published()).isFalse();
    assertThat(publication.attempts()).isEqualTo(1);
    assertThat(publication.lastFailure()).contains("Unable to load credentials");
  }

  private static final class ScriptedEventBridge implements EventBridgeClient {
    final List<PutEventsRequest> requests = new ArrayList<>();
    private final Deque<Supplier<PutEventsResponse>> answers;

    @SafeVarargs
    ScriptedEventBridge(Supplier<PutEventsResponse>... answers) {
      this.answers = new ArrayDeque<>(List.of(answers));
    }

    static PutEventsResponse ok() {
      return PutEventsResponse.builder()
          .failedEntryCount(0)
          .entries(PutEventsResultEntry.builder().eventId("e-1").build())
          .build();
    }

    @Override
    public PutEventsResponse putEvents(PutEventsRequest request) {
      requests.add(request);
      Supplier<PutEventsResponse> answer = answers.size() > 1 ? answers.poll() : answers.peek();
      return answer.get();
    }

    @Override
    public String serviceName() {
      return "events";
    }

    @Override
    public void close() {}
  }
}
