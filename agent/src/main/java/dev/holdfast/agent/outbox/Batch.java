package dev.holdfast.agent.outbox;

import dev.holdfast.agent.outbox.log.Location;
import dev.holdfast.agent.outbox.log.LogEntry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The changes of one group commit, staged on top of the committed {@link Index}: each becomes one
 * log entry, and once the batch is durable, one change of the index. A step that refuses is rolled
 * back to where it started ({@link #mark}), so the rest of the batch goes on without it.
 */
final class Batch {
  /** One staged change. */
  private sealed interface Op {}

  private record Add(RecordView view, LogEntry entry) implements Op {}

  private record Change(RecordView view) implements Op {}

  private record Settle(RecordView view, Entries.Settled reason) implements Op {}

  private record Stats(Channel channel, ChannelStats stats, long version) implements Op {}

  /** Where a step started. */
  record Mark(int ops, int undo) {}

  private final Index index;
  private final Map<Long, Optional<RecordView>> overlay = new HashMap<>();
  private final Map<Long, List<Long>> addedByKey = new HashMap<>();
  private final EnumMap<Channel, ChannelStats> stats = new EnumMap<>(Channel.class);
  private final List<Op> ops = new ArrayList<>();
  private final Deque<Runnable> undo = new ArrayDeque<>();
  private long countDelta;
  private long bytesDelta;
  private int headMoves;

  Batch(Index index) {
    this.index = index;
  }

  Mark mark() {
    return new Mark(ops.size(), undo.size());
  }

  void rollback(Mark mark) {
    while (undo.size() > mark.undo()) {
      undo.pop().run();
    }
    while (ops.size() > mark.ops()) {
      ops.remove(ops.size() - 1);
    }
  }

  // ---- what planning sees --------------------------------------------------------------------

  Optional<RecordView> current(long id) {
    Optional<RecordView> staged = overlay.get(id);
    return staged != null ? staged : index.find(id);
  }

  Optional<RecordView> queued(long id) {
    return current(id).filter(v -> !v.dead());
  }

  Optional<RecordView> dead(long id) {
    return current(id).filter(RecordView::dead);
  }

  /** Queued records, committed or added here, whose key has this hash. */
  List<RecordView> queuedWithKeyHash(long hash) {
    List<RecordView> out = new ArrayList<>();
    for (RecordView v : index.queuedWithKeyHash(hash)) {
      queued(v.id()).ifPresent(out::add);
    }
    for (long id : addedByKey.getOrDefault(hash, List.of())) {
      queued(id).filter(v -> v.fresh() != null).ifPresent(out::add);
    }
    return out;
  }

  long count() {
    return index.count() + countDelta;
  }

  long bytes() {
    return index.bytes() + bytesDelta;
  }

  ChannelStats stats(Channel c) {
    return stats.getOrDefault(c, index.stats(c));
  }

  /** The oldest record still present: dead letters first, then the queue, then records added here. */
  Optional<RecordView> oldest() {
    for (Optional<RecordView> v = index.firstDeadAfter(0); v.isPresent(); v = index.firstDeadAfter(v.get().id())) {
      Optional<RecordView> now = current(v.get().id());
      if (now.isPresent()) {
        return now;
      }
    }
    for (Optional<RecordView> v = index.firstQueuedAfter(0); v.isPresent();
        v = index.firstQueuedAfter(v.get().id())) {
      Optional<RecordView> now = current(v.get().id());
      if (now.isPresent()) {
        return now;
      }
    }
    return overlay.values().stream().flatMap(Optional::stream).filter(v -> v.fresh() != null)
        .min((a, b) -> Long.compareUnsigned(a.id(), b.id()));
  }

  // ---- staging -----------------------------------------------------------------------------

  /** Stages a new record, {@code entry} its RECORD entry (whose size it counts towards the limits). */
  RecordView add(OutboxRecord r, Lane lane, LogEntry entry) {
    int storedBytes = entry.body().length;
    long hash = Entries.keyHash(r.idempotencyKey());
    RecordView v = new RecordView(r.id().value(), lane, hash, r.payload().length, storedBytes,
        r.created().toEpochMilli(), r.expires().toEpochMilli(), r.nextAttempt().toEpochMilli(), r.attempts(),
        r.lastError().orElse(null), r.dead(), 0, null, r);
    if (!index.hasLane(lane.name) && !laneAddedHere(lane.name)) {
      headMoves++;
      undo.push(() -> headMoves--);
    }
    put(v.id(), Optional.of(v));
    addedByKey.computeIfAbsent(hash, k -> new ArrayList<>()).add(v.id());
    undo.push(() -> {
      List<Long> ids = addedByKey.get(hash);
      ids.remove(ids.size() - 1);
    });
    account(1, storedBytes);
    ops.add(new Add(v, entry));
    return v;
  }

  private boolean laneAddedHere(String lane) {
    for (Op op : ops) {
      if (op instanceof Add a && a.view().lane().name.equals(lane)) {
        return true;
      }
    }
    return false;
  }

  /** Stages a change of a record's state; {@code changed} must come from {@link RecordView#withState}. */
  void change(RecordView changed) {
    moveHead();
    put(changed.id(), Optional.of(changed));
    ops.add(new Change(changed));
  }

  void settle(RecordView v, Entries.Settled reason) {
    moveHead();
    put(v.id(), Optional.empty());
    account(-1, -v.storedBytes());
    ops.add(new Settle(v, reason));
  }

  void stats(Channel channel, UnaryOperator<ChannelStats> change) {
    ChannelStats before = stats.get(channel);
    stats.put(channel, change.apply(stats(channel)));
    undo.push(() -> {
      if (before == null) {
        stats.remove(channel);
      } else {
        stats.put(channel, before);
      }
    });
    moveHead();
  }

  private void moveHead() {
    headMoves++;
    undo.push(() -> headMoves--);
  }

  private void put(long id, Optional<RecordView> v) {
    Optional<RecordView> before = overlay.get(id);
    overlay.put(id, v);
    undo.push(() -> {
      if (before == null) {
        overlay.remove(id);
      } else {
        overlay.put(id, before);
      }
    });
  }

  private void account(long count, long bytes) {
    countDelta += count;
    bytesDelta += bytes;
    undo.push(() -> {
      countDelta -= count;
      bytesDelta -= bytes;
    });
  }

  /**
   * Whether the dispatcher must look after this batch commits. Not when it only appends records
   * to lanes that already hold committed ones: those wait behind their lane's head, and whatever
   * moves that head (an outcome, a retry, a drop) wakes the dispatcher when it commits.
   */
  boolean movesALaneHead() {
    return headMoves > 0;
  }

  boolean isEmpty() {
    return ops.isEmpty() && stats.isEmpty();
  }

  // ---- writing and applying ----------------------------------------------------------------

  /** The log entries of this batch, in order: one per staged change, then one per changed channel's stats. */
  List<LogEntry> entries() {
    finishStats();
    List<LogEntry> out = new ArrayList<>(ops.size());
    for (Op op : ops) {
      if (op instanceof Add a) {
        out.add(a.entry());
      } else if (op instanceof Change c) {
        out.add(Entries.state(c.view().stateEntry()));
      } else if (op instanceof Settle st) {
        out.add(Entries.settle(st.view().id(), st.view().version() + 1, st.reason()));
      } else {
        Stats st = (Stats) op;
        out.add(Entries.stats(st.channel(), st.version(), st.stats()));
      }
    }
    return out;
  }

  private void finishStats() {
    if (ops.stream().noneMatch(op -> op instanceof Stats)) {
      stats.forEach((c, s) -> ops.add(new Stats(c, s, index.statsVersion(c) + 1)));
    }
  }

  /** Makes the committed index show this batch, now durable at {@code locations}. */
  void applyTo(Index target, List<Location> locations, Consumer<Location> release) {
    for (int i = 0; i < ops.size(); i++) {
      Location at = locations.get(i);
      Op op = ops.get(i);
      if (op instanceof Add a) {
        RecordView v = a.view();
        RecordMeta m = new RecordMeta(v.id(), target.lane(v.lane().channel, v.lane().destination), v.keyHash(),
            v.payloadLength(), v.storedBytes(), v.created());
        m.take(v.stateEntry(), target);
        m.image(at);
        target.add(m);
      } else if (op instanceof Change c) {
        RecordMeta m = target.meta(c.view().id());
        target.update(m, c.view().stateEntry());
        if (m.state != null) {
          release.accept(m.state);
        }
        m.state = at;
      } else if (op instanceof Settle st) {
        target.remove(target.meta(st.view().id()), release);
      } else {
        Stats st = (Stats) op;
        target.setStats(st.channel(), st.stats(), st.version(), at, release);
      }
    }
  }
}
