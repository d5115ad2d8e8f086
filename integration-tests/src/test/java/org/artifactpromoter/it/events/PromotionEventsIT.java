package org.artifactpromoter.it.events;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.artifactpromoter.events.PromotionEvent;
import org.artifactpromoter.events.PromotionEventPublisher;
import org.artifactpromoter.events.PromotionEventPublisher.Publication;
import org.artifactpromoter.it.support.AwsProxy;
import org.artifactpromoter.it.support.LogCapture;
import org.artifactpromoter.it.support.WithMoto;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Promotion events on moto's EventBridge: a rule matching {@code source: artifact-promoter} with an
 * SQS target receives every outcome with its fields, and PutEvents failures injected by the proxy
 * are retried, or, when they persist, logged while publish returns normally.
 */
class PromotionEventsIT extends WithMoto {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REVISION = "3f786850e387550fdab836ed7e6dc881de23001b";
  private static final String SHA256 =
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  private AwsProxy proxy;
  private EventBridgeClient eventsDirect;
  private EventBridgeClient eventsThroughProxy;
  private SqsClient sqs;
  private String queueUrl;

  @BeforeEach
  void busWithARuleToAQueue() {
    proxy = AwsProxy.start(moto);
    eventsDirect = events(moto.endpoint());
    eventsThroughProxy = events(proxy.endpoint());
    sqs =
        SqsClient.builder()
            .endpointOverride(moto.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(credentials())
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    queueUrl = sqs.createQueue(b -> b.queueName("promotion-events")).queueUrl();
    String queueArn =
        sqs.getQueueAttributes(
                b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);
    eventsDirect.createEventBus(b -> b.name("acme-promotions"));
    for (String bus : List.of("default", "acme-promotions")) {
      eventsDirect.putRule(
          b ->
              b.name("promotions-to-queue")
                  .eventBusName(bus)
                  .eventPattern("{\"source\": [\"artifact-promoter\"]}"));
      eventsDirect.putTargets(
          b ->
              b.rule("promotions-to-queue")
                  .eventBusName(bus)
                  .targets(t -> t.id("queue").arn(queueArn)));
    }
  }

  @AfterEach
  void close() {
    proxy.close();
    eventsDirect.close();
    eventsThroughProxy.close();
    sqs.close();
  }

  @Test
  void everyOutcome_reachesTheRulesQueue_withItsFields() throws Exception {
    PromotionEventPublisher publisher = new PromotionEventPublisher(eventsThroughProxy, null);
    PromotionEvent promoted =
        PromotionEvent.builder()
            .promotionId("p-promoted")
            .function("orders-api")
            .from("stage")
            .to("prod")
            .revision(REVISION)
            .sha256(SHA256)
            .status("PROMOTED")
            .approvedBy("alice")
            .promotedBy("arn:aws:iam::111111111111:role/oncall")
            .breakGlass(true)
            .reason("INC-42")
            .time(Instant.parse("2025-01-02T03:04:05Z"))
            .build();
    PromotionEvent refused =
        PromotionEvent.builder()
            .promotionId("p-refused")
            .function("orders-api")
            .from("dev")
            .to("prod")
            .status("FAILED")
            .error("PROMOTION_NOT_ALLOWED", "dev may not promote to prod; allowed: [stage]")
            .build();
    PromotionEvent failed =
        PromotionEvent.builder()
            .promotionId("p-failed")
            .function("orders-api")
            .from("dev")
            .to("stage")
            .revision(REVISION)
            .status("FAILED")
            .error("INTEGRITY_MISMATCH", "the package's SHA-256 differs from the recorded one")
            .build();

    for (PromotionEvent event : List.of(promoted, refused, failed)) {
      assertThat(publisher.publish(event, Duration.ofSeconds(10)).published()).isTrue();
    }

    List<JsonNode> received = receive(3);
    assertThat(received)
        .extracting(e -> e.get("detail-type").asText())
        .containsExactlyInAnyOrder("Promotion Succeeded", "Promotion Refused", "Promotion Failed");
    assertThat(received)
        .allSatisfy(e -> assertThat(e.get("source").asText()).isEqualTo("artifact-promoter"));
    assertThat(received)
        // moto leaves "account" out of what it delivers; the region is there.
        .allSatisfy(e -> assertThat(e.get("region").asText()).isEqualTo("us-east-1"));

    JsonNode success = byDetailType(received, "Promotion Succeeded");
    assertThat(success.get("detail")).isEqualTo(promoted.detail());
    assertThat(success.get("detail").get("breakGlass").booleanValue()).isTrue();
    assertThat(success.get("detail").get("reason").asText()).isEqualTo("INC-42");
    assertThat(success.get("time").asText()).startsWith("2025-01-02T03:04:05");

    JsonNode refusal = byDetailType(received, "Promotion Refused").get("detail");
    assertThat(refusal.get("error").asText()).isEqualTo("PROMOTION_NOT_ALLOWED");
    assertThat(refusal.get("message").asText()).contains("may not promote");
    assertThat(refusal.has("revision")).isFalse();

    JsonNode failure = byDetailType(received, "Promotion Failed").get("detail");
    assertThat(failure.get("error").asText()).isEqualTo("INTEGRITY_MISMATCH");
    assertThat(failure.get("status").asText()).isEqualTo("FAILED");
  }

  @Test
  void aNamedBus_receivesTheEvent_andTheDefaultBusDoesNot() throws Exception {
    Publication publication =
        new PromotionEventPublisher(eventsThroughProxy, "acme-promotions")
            .publish(
                PromotionEvent.builder().promotionId("p-named").status("DRY_RUN").build(),
                Duration.ofSeconds(10));
    assertThat(publication.published()).isTrue();
    List<JsonNode> received = receive(1);
    assertThat(received).hasSize(1);
    assertThat(received.get(0).get("detail").get("promotionId").asText()).isEqualTo("p-named");
    assertThat(proxy.calls("AWSEvents.PutEvents").get(0).body()).contains("acme-promotions");
  }

  @Test
  void failedEntries_areRetried_untilTheEventIsDelivered() throws Exception {
    proxy.failTimes(putEvents(), 2, failedEntry("InternalFailure"));
    Publication publication =
        new PromotionEventPublisher(eventsThroughProxy, null)
            .publish(
                PromotionEvent.builder().promotionId("p-retried").status("PROMOTED").build(),
                Duration.ofSeconds(10));

    assertThat(publication.published()).isTrue();
    assertThat(publication.attempts()).isEqualTo(3);
    assertThat(proxy.calls("AWSEvents.PutEvents")).hasSize(3);
    List<JsonNode> received = receive(1);
    assertThat(received).hasSize(1);
    assertThat(received.get(0).get("detail").get("promotionId").asText()).isEqualTo("p-retried");
  }

  @Test
  void serverErrors_areRetried_untilTheEventIsDelivered() throws Exception {
    // More 500s than the SDK's own attempts (4 per call): publish's loop carries the retry on.
    proxy.failTimes(putEvents(), 5, serverError());
    Publication publication =
        new PromotionEventPublisher(eventsThroughProxy, null)
            .publish(
                PromotionEvent.builder().promotionId("p-5xx").status("PROMOTED").build(),
                Duration.ofSeconds(20));

    assertThat(publication.published()).isTrue();
    assertThat(publication.attempts()).isGreaterThanOrEqualTo(2);
    assertThat(receive(1)).hasSize(1);
  }

  @Test
  void persistentFailure_returnsNormally_withinTheDeadline_andIsLogged() throws Exception {
    proxy.failAlways(putEvents(), failedEntry("InternalFailure"));
    Publication publication;
    long start = System.nanoTime();
    try (LogCapture logs = LogCapture.start()) {
      publication =
          new PromotionEventPublisher(eventsThroughProxy, null)
              .publish(
                  PromotionEvent.builder()
                      .promotionId("p-lost")
                      .status("FAILED")
                      .error("CONFLICT", "another promotion wrote the drop key first")
                      .reason("secret-looking reason text")
                      .build(),
                  Duration.ofSeconds(3));
      assertThat(logs.text())
          .contains("\"Promotion Failed\" of promotion p-lost was NOT published")
          .contains("InternalFailure")
          .contains("the promotion's outcome stands")
          // The detail (free text a caller wrote) is not repeated in the log.
          .doesNotContain("secret-looking reason text");
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(publication.published()).isFalse();
    assertThat(publication.attempts()).isGreaterThan(1);
    assertThat(proxy.calls("AWSEvents.PutEvents")).hasSize(publication.attempts());
    assertThat(took).isLessThan(Duration.ofSeconds(4));
    assertThat(receive(0)).isEmpty();
  }

  @Test
  void unreachableEndpoint_returnsNormally() {
    proxy.close();
    Publication publication =
        new PromotionEventPublisher(eventsThroughProxy, null)
            .publish(
                PromotionEvent.builder().promotionId("p-offline").status("PROMOTED").build(),
                Duration.ofSeconds(2));
    assertThat(publication.published()).isFalse();
    proxy = AwsProxy.start(moto);
  }

  private static MappingBuilder putEvents() {
    return post(anyUrl()).withHeader("X-Amz-Target", equalTo("AWSEvents.PutEvents"));
  }

  /** PutEvents answers 200 with the entry refused: the SDK sees success, publish must not. */
  private static ResponseDefinitionBuilder failedEntry(String code) {
    return aResponse()
        .withStatus(200)
        .withHeader("Content-Type", "application/x-amz-json-1.1")
        .withBody(
            "{\"FailedEntryCount\":1,\"Entries\":[{\"ErrorCode\":\""
                + code
                + "\",\"ErrorMessage\":\"injected\"}]}");
  }

  private static ResponseDefinitionBuilder serverError() {
    return aResponse()
        .withStatus(500)
        .withHeader("Content-Type", "application/x-amz-json-1.1")
        .withBody("{\"__type\":\"InternalException\",\"message\":\"injected\"}");
  }

  /** Up to {@code expected} events from the queue (waits a little longer to catch extras). */
  private List<JsonNode> receive(int expected) throws Exception {
    List<JsonNode> events = new ArrayList<>();
    Instant until = Instant.now().plusSeconds(expected == 0 ? 2 : 10);
    while (Instant.now().isBefore(until) && events.size() <= expected) {
      List<Message> messages =
          sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
              .messages();
      for (Message message : messages) {
        events.add(JSON.readTree(message.body()));
        sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
      }
      if (events.size() == expected && messages.isEmpty()) {
        break;
      }
    }
    return events;
  }

  private static JsonNode byDetailType(List<JsonNode> events, String detailType) {
    return events.stream()
        .filter(e -> e.get("detail-type").asText().equals(detailType))
        .findFirst()
        .orElseThrow();
  }

  private static EventBridgeClient events(URI endpoint) {
    return EventBridgeClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(credentials())
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(ClientOverrideConfiguration.builder().build())
        .build();
  }

  private static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
  }
}
