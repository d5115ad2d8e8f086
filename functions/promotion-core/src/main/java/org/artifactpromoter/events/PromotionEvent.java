package org.artifactpromoter.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.artifactpromoter.json.Json;

/**
 * One promotion outcome as an Amazon EventBridge event: {@code source} {@value #SOURCE}, a {@code
 * detail-type} per {@link Outcome}, and a {@code detail} object. Built from plain values so that
 * any entry point (Lambda, CodePipeline job, CLI) can describe what happened without this package
 * knowing the promoter's types.
 *
 * <p>Fields that are not known are <b>omitted</b> from the detail, never sent as {@code null}: an
 * EventBridge pattern tests presence with {@code {"exists": false}}, and a rule written as {@code
 * "approvedBy": [{"exists": true}]} would otherwise match {@code null} too. A refused request may
 * carry only {@code status} and {@code error}; a break-glass promotion carries {@code promotedBy},
 * {@code breakGlass} and {@code reason}.
 */
public final class PromotionEvent {
  public static final String SOURCE = "artifact-promoter";

  /**
   * Long texts are cut so that one event stays far below PutEvents' 256 KB entry limit; a person
   * reads the message, a machine matches the code.
   */
  static final int MAX_TEXT_CHARS = 2048;

  /**
   * Error codes that mean "the promoter decided not to promote": the request or its evidence is not
   * acceptable, and nothing was written. A person fixes the request, approves, or signs. Every
   * other code (and any code this version does not know) means the promotion was allowed but could
   * not be carried out: bytes that differ from the recorded SHA-256 (INTEGRITY_MISMATCH, possible
   * tampering), a role or bucket policy that denies the promoter (ACCESS_DENIED, an infrastructure
   * fault an operator fixes), a concurrent write (CONFLICT), or a fault (INTERNAL). Unknown codes
   * count as failures so that an alert fires rather than stays silent.
   */
  static final Set<String> REFUSAL_CODES =
      Set.of(
          "INVALID_REQUEST",
          "PROMOTION_NOT_ALLOWED",
          "REVISION_NOT_FOUND",
          "APPROVAL_REQUIRED",
          "PROVENANCE_INVALID");

  /** The result statuses of a promotion that ended well (DESIGN.md "Promotion result"). */
  static final Set<String> SUCCESS_STATUSES = Set.of("PROMOTED", "ALREADY_PROMOTED", "DRY_RUN");

  /** The {@code status} of every error body. */
  static final String FAILED_STATUS = "FAILED";

  /** What the event announces; its {@code detail-type}. */
  public enum Outcome {
    SUCCEEDED("Promotion Succeeded"),
    REFUSED("Promotion Refused"),
    FAILED("Promotion Failed");

    private final String detailType;

    Outcome(String detailType) {
      this.detailType = detailType;
    }

    public String detailType() {
      return detailType;
    }
  }

  private final Outcome outcome;
  private final Instant time;
  private final ObjectNode detail;
  private final String promotionId;

  private PromotionEvent(Builder b) {
    this.outcome = outcomeOf(b.status, b.errorCode);
    this.time = b.time;
    this.promotionId = b.promotionId;
    ObjectNode d = Json.object();
    putIfKnown(d, "promotionId", b.promotionId);
    putIfKnown(d, "function", b.function);
    putIfKnown(d, "from", b.from);
    putIfKnown(d, "to", b.to);
    putIfKnown(d, "revision", b.revision);
    putIfKnown(d, "sha256", b.sha256);
    d.put("status", b.status);
    putIfKnown(d, "error", b.errorCode);
    putIfKnown(d, "message", truncated(b.errorMessage));
    putIfKnown(d, "approvedBy", b.approvedBy);
    putIfKnown(d, "promotedBy", b.promotedBy);
    if (b.breakGlass != null) {
      d.put("breakGlass", b.breakGlass);
    }
    putIfKnown(d, "reason", truncated(b.reason));
    this.detail = d;
  }

  /**
   * The outcome of a result {@code status} and error code: no code and a success status is {@link
   * Outcome#SUCCEEDED}; a code in {@link #REFUSAL_CODES} is {@link Outcome#REFUSED}; any other code
   * is {@link Outcome#FAILED}.
   *
   * @throws IllegalArgumentException for a status that is neither a success nor {@code FAILED}, or
   *     a {@code FAILED} status without a code: the caller described the outcome wrongly
   */
  public static Outcome outcomeOf(String status, String errorCode) {
    if (status == null || status.isBlank()) {
      throw new IllegalArgumentException("a promotion event needs the result's status");
    }
    if (errorCode != null && !errorCode.isBlank()) {
      if (!status.equals(FAILED_STATUS)) {
        throw new IllegalArgumentException(
            "status " + status + " with error " + errorCode + ": an error's status is FAILED");
      }
      return REFUSAL_CODES.contains(errorCode.toUpperCase(Locale.ROOT))
          ? Outcome.REFUSED
          : Outcome.FAILED;
    }
    if (SUCCESS_STATUSES.contains(status)) {
      return Outcome.SUCCEEDED;
    }
    throw new IllegalArgumentException(
        "status "
            + status
            + (status.equals(FAILED_STATUS) ? " needs an error code" : " is not a result status")
            + "; expected one of "
            + SUCCESS_STATUSES
            + " or FAILED with an error code");
  }

  public static Builder builder() {
    return new Builder();
  }

  public Outcome outcome() {
    return outcome;
  }

  public String detailType() {
    return outcome.detailType();
  }

  /**
   * When the outcome happened, if the caller said; PutEvents uses the time of the call otherwise.
   */
  public Optional<Instant> time() {
    return Optional.ofNullable(time);
  }

  /** For log lines about the event; never its detail, which holds free text. */
  public Optional<String> promotionId() {
    return Optional.ofNullable(promotionId);
  }

  /** The {@code detail} as EventBridge receives it: a JSON object of the known fields. */
  public String detailJson() {
    return Json.write(detail);
  }

  /** A copy of the {@code detail}. */
  public ObjectNode detail() {
    return detail.deepCopy();
  }

  @Override
  public String toString() {
    return "PromotionEvent[" + detailType() + ", " + detailJson() + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PromotionEvent other
        && outcome == other.outcome
        && Objects.equals(time, other.time)
        && detail.equals(other.detail);
  }

  @Override
  public int hashCode() {
    return Objects.hash(outcome, time, detail);
  }

  private static void putIfKnown(ObjectNode node, String field, String value) {
    if (value != null && !value.isBlank()) {
      node.put(field, value);
    }
  }

  private static String truncated(String text) {
    if (text == null || text.length() <= MAX_TEXT_CHARS) {
      return text;
    }
    int end = MAX_TEXT_CHARS - 1;
    // Do not cut a surrogate pair in half: the event must stay valid UTF-8.
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + "…";
  }

  /**
   * Every setter takes {@code null} (or blank) for "not known": the field is then left out. Only
   * {@link #status} is required.
   */
  public static final class Builder {
    private String promotionId;
    private String function;
    private String from;
    private String to;
    private String revision;
    private String sha256;
    private String status;
    private String errorCode;
    private String errorMessage;
    private String approvedBy;
    private String promotedBy;
    private Boolean breakGlass;
    private String reason;
    private Instant time;

    private Builder() {}

    public Builder promotionId(String promotionId) {
      this.promotionId = promotionId;
      return this;
    }

    public Builder function(String function) {
      this.function = function;
      return this;
    }

    public Builder from(String from) {
      this.from = from;
      return this;
    }

    public Builder to(String to) {
      this.to = to;
      return this;
    }

    public Builder revision(String revision) {
      this.revision = revision;
      return this;
    }

    public Builder sha256(String sha256) {
      this.sha256 = sha256;
      return this;
    }

    /** The result's status: PROMOTED, ALREADY_PROMOTED, DRY_RUN, or FAILED (with an error). */
    public Builder status(String status) {
      this.status = status;
      return this;
    }

    /** The stable error code and the message a person can act on, for a FAILED status. */
    public Builder error(String code, String message) {
      this.errorCode = code;
      this.errorMessage = message;
      return this;
    }

    /** The approver a CodePipeline Manual approval names (its {@code updatedBy}). */
    public Builder approvedBy(String approvedBy) {
      this.approvedBy = approvedBy;
      return this;
    }

    /** The caller's ARN for a promotion run by hand (CLI). */
    public Builder promotedBy(String promotedBy) {
      this.promotedBy = promotedBy;
      return this;
    }

    /** {@code null} when the entry point does not know (it is not said to be {@code false}). */
    public Builder breakGlass(Boolean breakGlass) {
      this.breakGlass = breakGlass;
      return this;
    }

    public Builder reason(String reason) {
      this.reason = reason;
      return this;
    }

    public Builder time(Instant time) {
      this.time = time;
      return this;
    }

    /**
     * @throws IllegalArgumentException when status and error code do not describe an outcome (see
     *     {@link PromotionEvent#outcomeOf})
     */
    public PromotionEvent build() {
      return new PromotionEvent(this);
    }
  }
}
