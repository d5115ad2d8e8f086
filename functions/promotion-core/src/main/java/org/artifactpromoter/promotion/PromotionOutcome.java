package org.artifactpromoter.promotion;

/** A promotion either finished (or was refused by exception) or stopped to be continued. */
public sealed interface PromotionOutcome {
  record Completed(PromotionResult result) implements PromotionOutcome {}

  record Suspended(Continuation continuation) implements PromotionOutcome {}
}
