package dev.holdfast.agent.outbox;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One outbound message, as read back from the outbox's log with its current state. Immutable.
 * {@link #toString()} shows neither the destination nor the payload.
 *
 * @param id time-ordered id (FIFO order)
 * @param idempotencyKey sent with every attempt as {@code Idempotency-Key}
 * @param destination E.164 number (sms), URL (webhook) or topic suffix (mqtt)
 * @param payload the message body (sms: UTF-8 text)
 * @param contentType for webhooks; "text/plain; charset=utf-8" for sms
 * @param expires after this the record is dead-lettered instead of sent
 * @param attempts delivery attempts made so far
 * @param nextAttempt not to be sent before this
 * @param lastError the reason of the last failed attempt, if any (never contains a secret)
 * @param dead true once dead-lettered; {@code lastError} says why
 */
public record OutboxRecord(
    RecordId id,
    String idempotencyKey,
    Channel channel,
    String destination,
    byte[] payload,
    String contentType,
    Instant created,
    Instant expires,
    int attempts,
    Instant nextAttempt,
    Optional<String> lastError,
    boolean dead) {

  public OutboxRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(expires, "expires");
    Objects.requireNonNull(nextAttempt, "nextAttempt");
    Objects.requireNonNull(lastError, "lastError");
  }

  /** The FIFO lane: records to the same destination on the same channel go in id order. */
  public String lane() {
    return channel.wireName() + ":" + destination;
  }

  public OutboxRecord withAttempt(Instant next, String error) {
    return new OutboxRecord(id, idempotencyKey, channel, destination, payload, contentType, created,
        expires, attempts + 1, next, Optional.of(error), false);
  }

  public OutboxRecord asDead(String reason) {
    return new OutboxRecord(id, idempotencyKey, channel, destination, payload, contentType, created,
        expires, attempts, nextAttempt, Optional.of(reason), true);
  }

  public OutboxRecord revived(Instant now) {
    return new OutboxRecord(id, idempotencyKey, channel, destination, payload, contentType, created,
        expires, attempts, now, lastError, false);
  }

  /** This record without its destination and body. */
  public RecordSummary summary() {
    return new RecordSummary(id, channel, payload.length, created, expires, attempts, nextAttempt, lastError, dead);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OutboxRecord r && r.id.equals(id) && r.attempts == attempts && r.dead == dead
        && java.util.Arrays.equals(r.payload, payload) && r.nextAttempt.equals(nextAttempt)
        && r.destination.equals(destination) && r.idempotencyKey.equals(idempotencyKey);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "OutboxRecord[" + id + ", " + channel.wireName() + ", attempts=" + attempts
        + (dead ? ", dead" : "") + "]";
  }
}
