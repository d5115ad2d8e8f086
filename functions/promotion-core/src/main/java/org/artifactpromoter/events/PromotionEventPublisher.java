package org.artifactpromoter.events;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Sends {@link PromotionEvent}s to an EventBridge bus. Publishing never changes a promotion's
 * outcome: {@link #publish} returns normally whatever happens, retries a failed call (an exception
 * or a PutEvents answer with {@code FailedEntryCount > 0}) until the caller's time is up, and logs
 * what it could not send.
 */
public final class PromotionEventPublisher implements PromotionEventSink {
  private static final System.Logger LOG =
      System.getLogger(PromotionEventPublisher.class.getName());

  /** A bus name as EventBridge allows it, or a bus ARN (for a bus in another account). */
  private static final Pattern BUS_NAME = Pattern.compile("[/.\\-_A-Za-z0-9]{1,256}");

  private static final Pattern BUS_ARN =
      Pattern.compile(
          "arn:aws[a-z-]*:events:[a-z0-9-]+:\\d{12}:event-bus/[/.\\-_A-Za-z0-9]{1,256}");

  /**
   * Answers that the same request will get again, however often it is sent: the bus is missing, the
   * caller may not put to it, or the entry is malformed. Everything else (throttling, internal
   * errors, broken connections, codes this version does not know) is worth another attempt.
   */
  private static final Set<String> PERMANENT_ERRORS =
      Set.of(
          "AccessDeniedException",
          "NotAuthorizedForSourceException",
          "NotAuthorizedForDetailTypeException",
          "ResourceNotFoundException",
          "ValidationException",
          "InvalidArgument",
          "MalformedDetail");

  /** How the SDK's credential chain says that it found no credentials anywhere. */
  static final String NO_CREDENTIALS = "Unable to load credentials";

  static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

  /**
   * The least time an attempt is started with: an attempt cut short by the deadline only adds a
   * timeout to the log.
   */
  static final Duration MIN_ATTEMPT_TIME = Duration.ofMillis(200);

  private final EventBridgeClient eventBridge;
  private final String eventBusName;

  /**
   * @param eventBridge a client of the account and region the promoter runs in
   * @param eventBusName a bus name or ARN; {@code null} or blank for the account's default bus
   * @throws IllegalArgumentException when the bus name is neither a bus name nor a bus ARN
   */
  public PromotionEventPublisher(EventBridgeClient eventBridge, String eventBusName) {
    this.eventBridge = eventBridge;
    this.eventBusName = validBusName(eventBusName);
  }

  /**
   * The bus name, or {@code null} for the default bus.
   *
   * @throws IllegalArgumentException naming the allowed forms
   */
  public static String validBusName(String eventBusName) {
    if (eventBusName == null || eventBusName.isBlank()) {
      return null;
    }
    String name = eventBusName.strip();
    if (BUS_NAME.matcher(name).matches() || BUS_ARN.matcher(name).matches()) {
      return name;
    }
    throw new IllegalArgumentException(
        "event bus \""
            + eventBusName
            + "\" is neither an EventBridge bus name (1 to 256 of A-Z a-z 0-9 . - _ /) nor a bus"
            + " ARN (arn:aws:events:<region>:<account>:event-bus/<name>); leave it out for the"
            + " account's default bus");
  }

  /** What became of one event: for the caller's log or a test, never for the promotion result. */
  public record Publication(boolean published, int attempts, String lastFailure) {}

  /**
   * Sends {@code event}, retrying until {@code timeLeft} (the caller's remaining time, minus what
   * it needs to report its result) is used up. Never throws.
   */
  @Override
  public Publication publish(PromotionEvent event, Duration timeLeft) {
    Instant deadline = Instant.now().plus(timeLeft.isNegative() ? Duration.ZERO : timeLeft);
    String promotion = event.promotionId().orElse("-");
    Duration backoff = FIRST_BACKOFF;
    String lastFailure = "no time left to publish";
    int attempts = 0;
    try {
      PutEventsRequestEntry entry = entry(event);
      while (true) {
        Duration remaining = Duration.between(Instant.now(), deadline);
        if (remaining.compareTo(MIN_ATTEMPT_TIME) < 0) {
          break;
        }
        attempts++;
        Failure failure = attempt(entry, remaining);
        if (failure == null) {
          if (attempts > 1) {
            LOG.log(
                Level.INFO,
                "event \"{0}\" of promotion {1} published on attempt {2}",
                event.detailType(),
                promotion,
                attempts);
          }
          return new Publication(true, attempts, null);
        }
        lastFailure = failure.description();
        if (failure.permanent()) {
          break;
        }
        Duration sleep = backoff;
        if (Duration.between(Instant.now().plus(sleep), deadline).compareTo(MIN_ATTEMPT_TIME) < 0) {
          break;
        }
        LOG.log(
            Level.DEBUG,
            "event \"{0}\" of promotion {1}: attempt {2} failed ({3}); retrying in {4} ms",
            event.detailType(),
            promotion,
            attempts,
            lastFailure,
            sleep.toMillis());
        Thread.sleep(sleep.toMillis());
        backoff =
            backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                ? MAX_BACKOFF
                : backoff.multipliedBy(2);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      lastFailure = "interrupted";
    } catch (RuntimeException e) {
      // A fault of ours (or of the SDK outside a call) must not fail the promotion either.
      lastFailure = e.getClass().getSimpleName();
    }
    LOG.log(
        Level.WARNING,
        "event \"{0}\" of promotion {1} was NOT published to {2} after {3} attempt(s): {4}; the"
            + " promotion''s outcome stands",
        event.detailType(),
        promotion,
        eventBusName == null ? "the default event bus" : "event bus " + eventBusName,
        attempts,
        lastFailure);
    return new Publication(false, attempts, lastFailure);
  }

  private PutEventsRequestEntry entry(PromotionEvent event) {
    PutEventsRequestEntry.Builder entry =
        PutEventsRequestEntry.builder()
            .source(PromotionEvent.SOURCE)
            .detailType(event.detailType())
            .detail(event.detailJson());
    event.time().ifPresent(entry::time);
    if (eventBusName != null) {
      entry.eventBusName(eventBusName);
    }
    return entry.build();
  }

  /** One PutEvents call bounded by {@code remaining}; null when the event was accepted. */
  private Failure attempt(PutEventsRequestEntry entry, Duration remaining) {
    PutEventsResponse response;
    try {
      response =
          eventBridge.putEvents(
              PutEventsRequest.builder()
                  .entries(entry)
                  .overrideConfiguration(o -> o.apiCallTimeout(remaining))
                  .build());
    } catch (AwsServiceException e) {
      String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
      boolean permanent =
          code != null
              ? PERMANENT_ERRORS.contains(code)
              : e.statusCode() / 100 == 4 && e.statusCode() != 429;
      return new Failure("HTTP " + e.statusCode() + (code == null ? "" : " " + code), permanent);
    } catch (SdkException e) {
      // Connection refused or reset, timeouts: the client's message names the cause and carries no
      // request headers (where the session token is). No credentials at all (a CLI run without a
      // profile whose request was refused before any other call) will not appear on a retry; the
      // SDK marks it by message only.
      String message = String.valueOf(e.getMessage());
      return new Failure(
          e.getClass().getSimpleName() + ": " + message, message.startsWith(NO_CREDENTIALS));
    }
    Integer failed = response.failedEntryCount();
    if (failed == null || failed == 0) {
      return null;
    }
    PutEventsResultEntry result = response.entries().isEmpty() ? null : response.entries().get(0);
    String code = result == null ? null : result.errorCode();
    return new Failure(
        "entry refused: " + (code == null ? "no error code" : code),
        code != null && PERMANENT_ERRORS.contains(code));
  }

  private record Failure(String description, boolean permanent) {}
}
