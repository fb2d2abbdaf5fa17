package dev.holdfast.agent.outbox;

import dev.holdfast.agent.config.OutboxSettings;
import dev.holdfast.agent.outbox.log.Location;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

/**
 * The committed contents of the outbox, in memory, without record bodies: queued records by id
 * and in their lanes (FIFO per channel and destination), dead letters, queued records by key hash,
 * per-channel stats, and where each lives in the log. Changed only by the committing thread, after
 * the change is durable; read by any thread.
 */
final class Index {
  private final IdTable queued = new IdTable();
  private final IdTable dead = new IdTable();
  private final Map<String, Lane> lanes = new HashMap<>();
  private final KeyTable queuedByKey = new KeyTable();
  private final EnumMap<Channel, ChannelStats> stats = new EnumMap<>(Channel.class);
  private final EnumMap<Channel, Long> statsVersions = new EnumMap<>(Channel.class);
  private final EnumMap<Channel, Location> statsAt = new EnumMap<>(Channel.class);
  /** Reasons are few and repeat: one String each, not one per record. */
  private final Map<String, String> reasons = new HashMap<>();
  private long bytes;

  // ---- reading -----------------------------------------------------------------------------

  synchronized Optional<RecordView> queued(long id) {
    RecordMeta m = queued.get(id);
    return m == null ? Optional.empty() : Optional.of(m.view());
  }

  synchronized Optional<RecordView> dead(long id) {
    RecordMeta m = dead.get(id);
    return m == null ? Optional.empty() : Optional.of(m.view());
  }

  synchronized Optional<RecordView> find(long id) {
    RecordMeta m = queued.get(id);
    if (m == null) {
      m = dead.get(id);
    }
    return m == null ? Optional.empty() : Optional.of(m.view());
  }

  /** Queued records whose key has this hash (almost always none or one). */
  synchronized List<RecordView> queuedWithKeyHash(long hash) {
    List<RecordView> out = new ArrayList<>(1);
    for (RecordMeta m : queuedByKey.get(hash)) {
      out.add(m.view());
    }
    return out;
  }

  synchronized long count() {
    return queued.size() + (long) dead.size();
  }

  synchronized long bytes() {
    return bytes;
  }

  synchronized boolean hasLane(String lane) {
    Lane l = lanes.get(lane);
    return l != null && !l.isEmpty();
  }

  synchronized boolean hasQueued() {
    return !queued.isEmpty();
  }

  synchronized ChannelStats stats(Channel c) {
    return stats.getOrDefault(c, ChannelStats.EMPTY);
  }

  synchronized long statsVersion(Channel c) {
    return statsVersions.getOrDefault(c, 0L);
  }

  synchronized long lastId() {
    long a = queued.isEmpty() ? 0 : queued.lastId();
    long b = dead.isEmpty() ? 0 : dead.lastId();
    return Long.compareUnsigned(a, b) > 0 ? a : b;
  }

  /** Up to {@code limit} ids of queued (or dead) records after {@code after}, oldest first. */
  synchronized List<Long> ids(boolean ofDead, long after, int limit) {
    List<Long> out = new ArrayList<>(Math.min(limit, 1024));
    for (RecordMeta m : (ofDead ? dead : queued).after(after)) {
      if (out.size() == limit) {
        break;
      }
      out.add(m.id);
    }
    return out;
  }

  synchronized List<RecordSummary> list(boolean ofDead, long after, int limit) {
    List<RecordSummary> out = new ArrayList<>(Math.min(limit, 1024));
    for (RecordMeta m : (ofDead ? dead : queued).after(after)) {
      if (out.size() == limit) {
        break;
      }
      out.add(m.view().summary());
    }
    return out;
  }

  synchronized Optional<RecordView> firstDeadAfter(long after) {
    RecordMeta m = dead.higher(after);
    return m == null ? Optional.empty() : Optional.of(m.view());
  }

  synchronized Optional<RecordView> firstQueuedAfter(long after) {
    RecordMeta m = queued.higher(after);
    return m == null ? Optional.empty() : Optional.of(m.view());
  }

  /** The head of every lane that may be attempted now, oldest first, at most {@code limit}. */
  synchronized List<RecordView> dueHeads(Instant now, Set<String> busyLanes, LongPredicate settling, int limit) {
    List<RecordView> out = new ArrayList<>();
    for (Lane lane : lanes.values()) {
      if (!busyLanes.contains(lane.name)) {
        RecordMeta head = due(lane, now, settling);
        if (head != null) {
          out.add(head.view());
        }
      }
    }
    out.sort((a, b) -> Long.compareUnsigned(a.id(), b.id()));
    return out.size() > limit ? out.subList(0, limit) : out;
  }

  synchronized Optional<RecordView> dueInLane(String lane, Instant now, LongPredicate settling) {
    Lane l = lanes.get(lane);
    RecordMeta head = l == null ? null : due(l, now, settling);
    return head == null ? Optional.empty() : Optional.of(head.view());
  }

  private RecordMeta due(Lane lane, Instant now, LongPredicate settling) {
    RecordMeta head = lane.head(settling);
    if (head == null || head.nextAttempt > now.toEpochMilli() || stats(head.lane.channel).heldAt(now)) {
      return null;
    }
    return head;
  }

  synchronized Optional<Instant> nextDue(Set<String> busyLanes, LongPredicate settling) {
    long earliest = Long.MAX_VALUE;
    for (Lane lane : lanes.values()) {
      if (busyLanes.contains(lane.name)) {
        continue;
      }
      RecordMeta head = lane.head(settling);
      if (head == null) {
        continue;
      }
      long at = head.nextAttempt;
      Optional<Instant> held = stats(lane.channel).heldUntil();
      if (held.isPresent() && held.get().toEpochMilli() > at) {
        at = held.get().toEpochMilli();
      }
      earliest = Math.min(earliest, at);
    }
    return earliest == Long.MAX_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(earliest));
  }

  /** Queued records whose TTL ran out by {@code now}, oldest first, at most {@code limit}. */
  synchronized List<RecordView> expired(long now, int limit) {
    List<RecordView> out = new ArrayList<>();
    for (RecordMeta m : queued) {
      if (out.size() == limit) {
        break;
      }
      if (m.expires <= now) {
        out.add(m.view());
      }
    }
    return out;
  }

  synchronized OutboxStatus status(Instant now, OutboxSettings settings) {
    Optional<Duration> oldest = queued.isEmpty() ? Optional.empty()
        : Optional.of(Duration.between(Instant.ofEpochMilli(queued.first().created), now));
    Map<Channel, ChannelStats> channels = new EnumMap<>(Channel.class);
    for (Channel c : Channel.values()) {
      channels.put(c, stats(c));
    }
    return new OutboxStatus(queued.size(), dead.size(), bytes, settings.maxRecords(), settings.maxBytes(),
        settings.whenFull().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), oldest, channels);
  }

  // ---- changing (the committing thread only) -----------------------------------------------

  /** A record that was not in the index. */
  synchronized void add(RecordMeta m) {
    if (m.dead) {
      dead.add(m);
      dropLaneIfEmpty(m.lane);
    } else {
      queued.add(m);
      m.lane.add(m);
      byKey(m, true);
    }
    bytes += m.storedBytes;
  }

  /** The lane in use for a destination; or a new one, not registered, to plan with. */
  synchronized Lane laneToPlan(Channel channel, String destination) {
    Lane l = lanes.get(Lane.nameOf(channel, destination));
    return l != null ? l : new Lane(channel, destination);
  }

  /** The lane object for a destination (the one already in use, or a new one, registered). */
  synchronized Lane lane(Channel channel, String destination) {
    return lanes.computeIfAbsent(Lane.nameOf(channel, destination), k -> new Lane(channel, destination));
  }

  synchronized RecordMeta meta(long id) {
    RecordMeta m = queued.get(id);
    return m != null ? m : dead.get(id);
  }

  /** Sets a record's changeable part, moving it between the queue and the dead letters as needed. */
  synchronized void update(RecordMeta m, Entries.State s) {
    if (m.dead != s.dead()) {
      if (s.dead()) {
        queued.remove(m.id);
        m.lane.remove(m);
        byKey(m, false);
        dropLaneIfEmpty(m.lane);
        dead.add(m);
      } else {
        dead.remove(m.id);
        queued.add(m);
        Lane lane = lane(m.lane.channel, m.lane.destination);
        m.lane = lane;
        lane.add(m);
        byKey(m, true);
      }
    }
    m.take(s, this);
  }

  synchronized void remove(RecordMeta m, Consumer<Location> release) {
    if (queued.remove(m.id) != null) {
      m.lane.remove(m);
      byKey(m, false);
      dropLaneIfEmpty(m.lane);
    } else {
      dead.remove(m.id);
    }
    bytes -= m.storedBytes;
    release.accept(m.image());
    if (m.state != null) {
      release.accept(m.state);
    }
  }

  private void dropLaneIfEmpty(Lane lane) {
    if (lane.isEmpty()) {
      lanes.remove(lane.name, lane);
    }
  }

  synchronized void setStats(Channel c, ChannelStats s, long version, Location at, Consumer<Location> release) {
    Location old = statsAt.put(c, at);
    if (old != null) {
      release.accept(old);
    }
    stats.put(c, s);
    statsVersions.put(c, version);
  }

  synchronized Location statsAt(Channel c) {
    return statsAt.get(c);
  }

  String intern(String reason) {
    if (reason == null) {
      return null;
    }
    String known = reasons.get(reason);
    if (known != null) {
      return known;
    }
    if (reasons.size() < 1024) {
      reasons.put(reason, reason);
    }
    return reason;
  }

  private void byKey(RecordMeta m, boolean add) {
    if (add) {
      queuedByKey.add(m);
    } else {
      queuedByKey.remove(m);
    }
  }

  // ---- compaction --------------------------------------------------------------------------

  /** Every entry of the outbox's held in {@code segment}. */
  synchronized List<Location> heldIn(long segment) {
    List<Location> out = new ArrayList<>();
    for (IdTable table : List.of(queued, dead)) {
      for (RecordMeta m : table) {
        if (m.imageIn(segment)) {
          out.add(m.image());
        }
        if (m.state != null && m.state.segment() == segment) {
          out.add(m.state);
        }
      }
    }
    for (Location at : statsAt.values()) {
      if (at.segment() == segment) {
        out.add(at);
      }
    }
    return out;
  }

  /** An entry was copied from {@code from} to {@code to}: whoever pointed at {@code from} now points at {@code to}. */
  synchronized void moved(long id, Channel statsChannel, Location from, Location to) {
    if (statsChannel != null) {
      if (from.equals(statsAt.get(statsChannel))) {
        statsAt.put(statsChannel, to);
      }
      return;
    }
    RecordMeta m = meta(id);
    if (m == null) {
      return;
    }
    if (from.equals(m.image())) {
      m.image(to);
    } else if (from.equals(m.state)) {
      m.state = to;
    }
  }
}
