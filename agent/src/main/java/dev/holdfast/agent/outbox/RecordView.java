package dev.holdfast.agent.outbox;

import dev.holdfast.agent.outbox.log.Location;
import java.time.Instant;
import java.util.Optional;

/**
 * A record as one moment saw it, without its body: what planning a change works on, and what
 * {@code list} shows. {@code fresh} is set for a record enqueued in the batch being planned (its
 * body is still in memory, and it has no {@code image} yet).
 */
record RecordView(long id, Lane lane, long keyHash, int payloadLength, int storedBytes, long created,
    long expires, long nextAttempt, int attempts, String lastError, boolean dead, int version, Location image,
    OutboxRecord fresh) {

  RecordId recordId() {
    return new RecordId(id);
  }

  Channel channel() {
    return lane.channel;
  }

  RecordView withState(boolean isDead, long newExpires, int newAttempts, long next, String error) {
    return new RecordView(id, lane, keyHash, payloadLength, storedBytes, created, newExpires, next, newAttempts,
        error, isDead, version + 1, image, fresh);
  }

  Entries.State stateEntry() {
    return new Entries.State(id, version, dead, expires, attempts, nextAttempt, lastError);
  }

  RecordSummary summary() {
    return new RecordSummary(recordId(), lane.channel, payloadLength, Instant.ofEpochMilli(created),
        Instant.ofEpochMilli(expires), attempts, Instant.ofEpochMilli(nextAttempt), Optional.ofNullable(lastError),
        dead);
  }

  /** The whole record: the body and fixed fields from {@code image}, the rest from this view. */
  OutboxRecord with(Entries.Image image) {
    return new OutboxRecord(recordId(), image.key(), lane.channel, lane.destination, image.payload(),
        image.contentType(), Instant.ofEpochMilli(created), Instant.ofEpochMilli(expires), attempts,
        Instant.ofEpochMilli(nextAttempt), Optional.ofNullable(lastError), dead);
  }
}
