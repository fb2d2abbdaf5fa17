package dev.holdfast.agent.outbox;

import dev.holdfast.agent.config.OutboxSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The committed contents of the outbox, in memory: the queue, its lanes (one FIFO per channel and
 * destination), the dead letters and per-channel stats. Changed only by the group committer.
 */
final class State {
  private final TreeMap<RecordId, OutboxRecord> queued = new TreeMap<>();
  private final TreeMap<RecordId, OutboxRecord> dead = new TreeMap<>();
  private final Map<String, TreeMap<RecordId, OutboxRecord>> lanes = new HashMap<>();
  private final Map<String, RecordId> queuedByKey = new HashMap<>();
  final EnumMap<Channel, ChannelStats> stats = new EnumMap<>(Channel.class);
  private long bytes;

  static long sizeOf(int payloadBytes, String destination) {
    return payloadBytes + destination.length() + 64L;
  }

  static long sizeOf(OutboxRecord r) {
    return sizeOf(r.payload().length, r.destination());
  }

  synchronized void putQueued(OutboxRecord r) {
    removeQueued(r.id());
    queued.put(r.id(), r);
    lanes.computeIfAbsent(r.lane(), k -> new TreeMap<>()).put(r.id(), r);
    queuedByKey.put(r.idempotencyKey(), r.id());
    bytes += sizeOf(r);
  }

  synchronized void removeQueued(RecordId id) {
    OutboxRecord r = queued.remove(id);
    if (r != null) {
      TreeMap<RecordId, OutboxRecord> lane = lanes.get(r.lane());
      lane.remove(id);
      if (lane.isEmpty()) {
        lanes.remove(r.lane());
      }
      queuedByKey.remove(r.idempotencyKey(), id);
      bytes -= sizeOf(r);
    }
  }

  synchronized void putDead(OutboxRecord r) {
    removeDead(r.id());
    dead.put(r.id(), r);
    bytes += sizeOf(r);
  }

  synchronized void removeDead(RecordId id) {
    OutboxRecord r = dead.remove(id);
    if (r != null) {
      bytes -= sizeOf(r);
    }
  }

  synchronized void apply(Batch batch) {
    batch.queuedChanges.forEach((id, r) -> {
      if (r.isPresent()) {
        putQueued(r.get());
      } else {
        removeQueued(id);
      }
    });
    batch.deadChanges.forEach((id, r) -> {
      if (r.isPresent()) {
        putDead(r.get());
      } else {
        removeDead(id);
      }
    });
    stats.putAll(batch.statsChanges);
  }

  synchronized Optional<OutboxRecord> queued(RecordId id) {
    return Optional.ofNullable(queued.get(id));
  }

  /** The queued record that carries this idempotency key, if any. */
  synchronized Optional<OutboxRecord> queuedWithKey(String idempotencyKey) {
    RecordId id = queuedByKey.get(idempotencyKey);
    return id == null ? Optional.empty() : Optional.ofNullable(queued.get(id));
  }

  synchronized Optional<OutboxRecord> dead(RecordId id) {
    return Optional.ofNullable(dead.get(id));
  }

  synchronized Optional<OutboxRecord> find(RecordId id) {
    return Optional.ofNullable(queued.getOrDefault(id, dead.get(id)));
  }

  synchronized long count() {
    return queued.size() + dead.size();
  }

  /** Whether a lane (channel and destination) holds committed queued records. */
  synchronized boolean hasLane(String lane) {
    return lanes.containsKey(lane);
  }

  synchronized boolean hasQueued() {
    return !queued.isEmpty();
  }

  synchronized long bytes() {
    return bytes;
  }

  synchronized ChannelStats stats(Channel c) {
    return stats.getOrDefault(c, ChannelStats.EMPTY);
  }

  synchronized RecordId lastId() {
    RecordId a = queued.isEmpty() ? null : queued.lastKey();
    RecordId b = dead.isEmpty() ? null : dead.lastKey();
    if (a == null) {
      return b;
    }
    return b == null || a.compareTo(b) > 0 ? a : b;
  }

  synchronized List<OutboxRecord> snapshotQueued() {
    return new ArrayList<>(queued.values());
  }

  synchronized List<OutboxRecord> snapshotDead() {
    return new ArrayList<>(dead.values());
  }

  /** A lane's first record that is not settling, if any. */
  private static Optional<OutboxRecord> head(TreeMap<RecordId, OutboxRecord> lane, Set<RecordId> settling) {
    for (OutboxRecord r : lane.values()) {
      if (!settling.contains(r.id())) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  synchronized List<OutboxRecord> dueHeads(Instant now, Set<String> busyLanes, Set<RecordId> settling, int limit) {
    List<OutboxRecord> out = new ArrayList<>();
    for (String lane : lanes.keySet()) {
      if (!busyLanes.contains(lane)) {
        dueInLane(lane, now, settling).ifPresent(out::add);
      }
    }
    out.sort((a, b) -> a.id().compareTo(b.id()));
    return out.size() > limit ? out.subList(0, limit) : out;
  }

  /** The next record of one lane that may be attempted now, passing over settling ones. */
  synchronized Optional<OutboxRecord> dueInLane(String lane, Instant now, Set<RecordId> settling) {
    TreeMap<RecordId, OutboxRecord> records = lanes.get(lane);
    return records == null ? Optional.empty() : head(records, settling)
        .filter(h -> !h.nextAttempt().isAfter(now) && !stats(h.channel()).heldAt(now));
  }

  synchronized Optional<Instant> nextDue(Set<String> busyLanes, Set<RecordId> settling) {
    Instant earliest = null;
    for (Map.Entry<String, TreeMap<RecordId, OutboxRecord>> lane : lanes.entrySet()) {
      Optional<OutboxRecord> head = busyLanes.contains(lane.getKey()) ? Optional.empty()
          : head(lane.getValue(), settling);
      if (head.isEmpty()) {
        continue;
      }
      Instant at = head.get().nextAttempt();
      Optional<Instant> held = stats(head.get().channel()).heldUntil();
      if (held.isPresent() && held.get().isAfter(at)) {
        at = held.get();
      }
      if (earliest == null || at.isBefore(earliest)) {
        earliest = at;
      }
    }
    return Optional.ofNullable(earliest);
  }

  synchronized OutboxStatus status(Instant now, OutboxSettings settings) {
    Optional<Duration> oldest = queued.isEmpty() ? Optional.empty()
        : Optional.of(Duration.between(queued.firstEntry().getValue().created(), now));
    Map<Channel, ChannelStats> channels = new EnumMap<>(Channel.class);
    for (Channel c : Channel.values()) {
      channels.put(c, stats(c));
    }
    return new OutboxStatus(queued.size(), dead.size(), bytes, settings.maxRecords(), settings.maxBytes(),
        settings.whenFull().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), oldest, channels);
  }
}
