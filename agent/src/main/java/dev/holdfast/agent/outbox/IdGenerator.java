package dev.holdfast.agent.outbox;

import java.time.Clock;

/** Time-ordered, strictly increasing record ids, even when the clock steps back. */
final class IdGenerator {
  private final Clock clock;
  private long lastMillis;
  private int sequence;

  IdGenerator(Clock clock, RecordId after) {
    this.clock = clock;
    this.lastMillis = after == null ? 0 : after.epochMillis();
    this.sequence = after == null ? -1 : (int) (after.value() & 0xffff);
  }

  /** Never hands out {@code id} or anything before it (records moved in from elsewhere). */
  synchronized void advancePast(RecordId id) {
    if (id != null && (id.epochMillis() > lastMillis
        || (id.epochMillis() == lastMillis && (int) (id.value() & 0xffff) > sequence))) {
      lastMillis = id.epochMillis();
      sequence = (int) (id.value() & 0xffff);
    }
  }

  synchronized RecordId next() {
    long now = clock.millis();
    if (now > lastMillis) {
      lastMillis = now;
      sequence = 0;
    } else if (++sequence > 0xffff) {
      lastMillis++;
      sequence = 0;
    }
    return RecordId.of(lastMillis, sequence);
  }
}
