package dev.holdfast.agent.outbox;

import dev.holdfast.agent.outbox.log.Location;

/**
 * What the outbox keeps in memory of one record: everything but its body, destination aside
 * (its {@link Lane} has that), its key as a hash, and where its entries lie in the log (its RECORD
 * entry's place in fields of its own, not in a {@link Location} object). 112 bytes, whatever the
 * size of the body. Changed only under {@link Index}'s lock.
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
  /** Where its RECORD entry lies: see {@link #image()}. */
  private long imageSegment;
  private int imageBatchOffset;
  private int imageBatchLength;
  private int imageEntryOffset;
  private int imageEntryLength;
  /** Its latest STATE entry (null if none). */
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

  /** Where its RECORD entry lies. */
  Location image() {
    return new Location(imageSegment, imageBatchOffset, imageBatchLength, imageEntryOffset, imageEntryLength,
        Entries.RECORD);
  }

  void image(Location at) {
    imageSegment = at.segment();
    imageBatchOffset = at.batchOffset();
    imageBatchLength = at.batchLength();
    imageEntryOffset = at.entryOffset();
    imageEntryLength = at.entryLength();
  }

  boolean imageIn(long segment) {
    return imageSegment == segment;
  }

  RecordView view() {
    return new RecordView(id, lane, keyHash, payloadLength, storedBytes, created, expires, nextAttempt, attempts,
        lastError, dead, version, image(), null);
  }
}
