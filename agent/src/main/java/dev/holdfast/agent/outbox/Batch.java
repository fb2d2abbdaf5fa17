package dev.holdfast.agent.outbox;

import dev.holdfast.vault.Vault;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Staged changes of one group commit, seen on top of the committed state. */
final class Batch {
  final Map<RecordId, Optional<OutboxRecord>> queuedChanges = new HashMap<>();
  final Map<RecordId, Optional<OutboxRecord>> deadChanges = new HashMap<>();
  final Map<Channel, ChannelStats> statsChanges = new EnumMap<>(Channel.class);
  private final State state;
  private final Map<String, RecordId> keysAdded = new HashMap<>();
  private long countDelta;
  private long bytesDelta;
  private boolean movesALaneHead;

  Batch(State state) {
    this.state = state;
  }

  Optional<OutboxRecord> queued(RecordId id) {
    return queuedChanges.containsKey(id) ? queuedChanges.get(id) : state.queued(id);
  }

  Optional<OutboxRecord> queuedWithKey(String key) {
    RecordId added = keysAdded.get(key);
    Optional<OutboxRecord> inBatch = added == null ? Optional.empty() : queued(added);
    return inBatch.isPresent() ? inBatch : state.queuedWithKey(key).flatMap(r -> queued(r.id()));
  }

  Optional<OutboxRecord> dead(RecordId id) {
    return deadChanges.containsKey(id) ? deadChanges.get(id) : state.dead(id);
  }

  long count() {
    return state.count() + countDelta;
  }

  long bytes() {
    return state.bytes() + bytesDelta;
  }

  void putQueued(OutboxRecord r) {
    Optional<OutboxRecord> before = queued(r.id());
    if (before.isPresent() || !state.hasLane(r.lane())) {
      movesALaneHead = true;
    }
    account(before, Optional.of(r));
    queuedChanges.put(r.id(), Optional.of(r));
    keysAdded.put(r.idempotencyKey(), r.id());
  }

  void removeQueued(RecordId id) {
    movesALaneHead = true;
    account(queued(id), Optional.empty());
    queuedChanges.put(id, Optional.empty());
  }

  void putDead(OutboxRecord r) {
    account(dead(r.id()), Optional.of(r));
    deadChanges.put(r.id(), Optional.of(r));
  }

  void removeDead(RecordId id) {
    account(dead(id), Optional.empty());
    deadChanges.put(id, Optional.empty());
  }

  void remove(OutboxRecord r) {
    if (r.dead()) {
      removeDead(r.id());
    } else {
      removeQueued(r.id());
    }
  }

  private void account(Optional<OutboxRecord> before, Optional<OutboxRecord> after) {
    countDelta += (after.isPresent() ? 1 : 0) - (before.isPresent() ? 1 : 0);
    bytesDelta += after.map(State::sizeOf).orElse(0L) - before.map(State::sizeOf).orElse(0L);
  }

  /** The oldest record still present: dead letters first, then the queue. */
  Optional<OutboxRecord> oldest() {
    for (OutboxRecord r : state.snapshotDead()) {
      if (dead(r.id()).isPresent()) {
        return dead(r.id());
      }
    }
    for (OutboxRecord r : state.snapshotQueued()) {
      if (queued(r.id()).isPresent()) {
        return queued(r.id());
      }
    }
    return queuedChanges.values().stream().flatMap(Optional::stream)
        .min((a, b) -> a.id().compareTo(b.id()));
  }

  void stats(Channel channel, UnaryOperator<ChannelStats> change) {
    ChannelStats current = statsChanges.getOrDefault(channel, state.stats(channel));
    statsChanges.put(channel, change.apply(current));
  }

  /**
   * Whether the dispatcher must look after this batch commits. Not when it only appends new
   * records to lanes that already hold committed ones: those wait behind their lane's head, and
   * whatever moves that head (an outcome, a retry, a drop) wakes the dispatcher when it commits.
   */
  boolean movesALaneHead() {
    return movesALaneHead || !deadChanges.isEmpty() || !statsChanges.isEmpty();
  }

  boolean isEmpty() {
    return queuedChanges.isEmpty() && deadChanges.isEmpty() && statsChanges.isEmpty();
  }

  void writeTo(Vault.Tx tx) {
    queuedChanges.forEach((id, r) -> {
      if (r.isPresent()) {
        tx.put(Outbox.QUEUE, id, r.get());
      } else {
        tx.remove(Outbox.QUEUE, id);
      }
    });
    deadChanges.forEach((id, r) -> {
      if (r.isPresent()) {
        tx.put(Outbox.DEAD, id, r.get());
      } else {
        tx.remove(Outbox.DEAD, id);
      }
    });
    statsChanges.forEach((c, s) -> tx.put(Outbox.STATS, c.wireName(), s));
  }
}
