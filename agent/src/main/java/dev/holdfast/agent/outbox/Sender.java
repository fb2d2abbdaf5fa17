package dev.holdfast.agent.outbox;


/** Carries one record to its destination; one implementation per channel or provider. */
public interface Sender {
  /**
   * Makes one attempt, blocking until it has an answer or its timeout passes. Never throws for
   * anything the network or the receiver does: every such result is an outcome.
   */
  DeliveryOutcome send(OutboxRecord record);
}
