package dev.holdfast.agent.outbox;

import dev.holdfast.agent.outbox.log.Location;

/**
 * What the outbox keeps in memory of one record: everything but its body, destination aside
 * (its {@link Lane} has that), its key as a hash, and where its entries lie in the log. About a
 * hundred bytes, whatever the size of the body. Changed only under {@link Index}'s lock.
 */
final class RecordMeta {
  final long id;
  Lane lane;
  final long keyHash;
  final int payloadLength;
  /** What the record counts towards {@code outbox.max-bytes}. */
  final int storedBytes;
  final long created;
  long expires;
  long nextAttempt;
  int attempts;
  String lastError;
  boolean dead;
  int version;
  /** Its RECORD entry, and its latest STATE entry (null if none). */
  Location image;
  Location state;
  boolean inLane;

  RecordMeta(long id, Lane lane, long keyHash, int payloadLength, int storedBytes, long created) {
    this.id = id;
    this.lane = lane;
    this.keyHash = keyHash;
    this.payloadLength = payloadLength;
    this.storedBytes = storedBytes;
    this.created = created;
  }

  /** Takes a state (the changeable part); {@code index} shares the error text with other records. */
  void take(Entries.State s, Index index) {
    dead = s.dead();
    expires = s.expires();
    attempts = s.attempts();
    nextAttempt = s.nextAttempt();
    lastError = index.intern(s.lastError());
    version = s.version();
  }

  RecordView view() {
    return new RecordView(id, lane, keyHash, payloadLength, storedBytes, created, expires, nextAttempt, attempts,
        lastError, dead, version, image, null);
  }
}
