package dev.holdfast.agent.outbox;

import dev.holdfast.agent.outbox.log.Location;
import dev.holdfast.agent.outbox.log.LogDamage;
import dev.holdfast.agent.outbox.log.SegmentLog;
import dev.holdfast.agent.outbox.log.Wire;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link Index} from the log's entries, read in log order at open. Copies made by
 * compaction may come after newer entries of the same record, so each record's entries are
 * resolved by version: the highest wins; a settled record stays settled. Holds exactly the
 * entries the running outbox would hold: each record's RECORD and latest STATE, each channel's
 * latest STATS.
 */
final class Loader implements SegmentLog.Replay {
  private final Index index;
  /** Records settled in the log so far, with the version of their SETTLE. */
  private final Map<Long, Integer> settled = new HashMap<>();
  /** STATE entries whose record's RECORD comes later in the log (it was copied forward). */
  private final Map<Long, Waiting> waiting = new HashMap<>();

  private record Waiting(Entries.State state, Location at) {}

  /** The highest record id any entry in the log names, settled ones included: ids are never reused. */
  private long highestId;

  Loader(Index index) {
    this.index = index;
  }

  @Override
  public void entry(SegmentLog log, byte[] plain, Location at) throws Wire.Malformed {
    if (at.type() != Entries.STATS) {
      long id = Entries.idOf(plain, at.entryOffset(), at.entryLength());
      if (Long.compareUnsigned(id, highestId) > 0) {
        highestId = id;
      }
    }
    switch (at.type()) {
      case Entries.RECORD -> image(log, Entries.image(plain, at.entryOffset(), at.entryLength(), false), at);
      case Entries.STATE -> state(log, Entries.state(plain, at.entryOffset(), at.entryLength()), at);
      case Entries.SETTLE -> settle(log, Entries.settle(plain, at.entryOffset(), at.entryLength()));
      case Entries.STATS -> stats(log, Entries.stats(plain, at.entryOffset(), at.entryLength()), at);
      default -> throw new Wire.Malformed("unknown entry type " + at.type());
    }
  }

  private boolean settledSince(long id, int version) {
    Integer v = settled.get(id);
    return v != null && v >= version;
  }

  private void image(SegmentLog log, Entries.Image img, Location at) {
    if (settledSince(img.id(), img.version())) {
      return;
    }
    RecordMeta m = index.meta(img.id());
    if (m != null) { // a copy of its RECORD
      log.release(m.image());
      m.image(at);
      log.hold(at);
      return;
    }
    m = new RecordMeta(img.id(), index.lane(img.channel(), img.destination()), Entries.keyHash(img.key()),
        img.payloadLength(), at.entryLength(), img.created());
    m.take(new Entries.State(img.id(), img.version(), img.dead(), img.expires(), img.attempts(), img.nextAttempt(),
        img.lastError()), index);
    Waiting w = waiting.remove(img.id());
    if (w != null && w.state().version() > m.version) {
      m.take(w.state(), index);
      m.state = w.at();
    } else if (w != null) {
      log.release(w.at());
    }
    m.image(at);
    log.hold(at);
    index.add(m);
  }

  private void state(SegmentLog log, Entries.State s, Location at) {
    if (settledSince(s.id(), s.version())) {
      return;
    }
    RecordMeta m = index.meta(s.id());
    if (m == null) {
      Waiting w = waiting.get(s.id());
      if (w == null || s.version() >= w.state().version()) {
        if (w != null) {
          log.release(w.at());
        }
        waiting.put(s.id(), new Waiting(s, at));
        log.hold(at);
      }
      return;
    }
    if (s.version() > m.version || (s.version() == m.version && m.state != null)) {
      index.update(m, s);
      if (m.state != null) {
        log.release(m.state);
      }
      m.state = at;
      log.hold(at);
    }
  }

  private void settle(SegmentLog log, Entries.Settle s) {
    settled.merge(s.id(), s.version(), Math::max);
    RecordMeta m = index.meta(s.id());
    if (m != null) {
      index.remove(m, log::release);
    }
    Waiting w = waiting.remove(s.id());
    if (w != null) {
      log.release(w.at());
    }
  }

  private void stats(SegmentLog log, Entries.Stats s, Location at) {
    long current = index.statsVersion(s.channel());
    if (s.version() > current || (s.version() == current && index.statsAt(s.channel()) != null)) {
      index.setStats(s.channel(), s.stats(), s.version(), at, log::release);
      log.hold(at);
    }
  }

  /**
   * The highest id in the log, settled records' included: a new record must come after it, or a
   * SETTLE still in the log would swallow it at the next open.
   */
  long highestId() {
    return highestId;
  }

  /**
   * For a repair: lets go of every change whose record's content is missing, and says how many
   * records were lost that way.
   */
  List<String> dropOrphans(SegmentLog log) {
    if (waiting.isEmpty()) {
      return List.of();
    }
    waiting.values().forEach(w -> log.release(w.at()));
    String finding = waiting.size() + " record(s) have changes in the log but their content is lost (e.g. record "
        + new RecordId(waiting.keySet().iterator().next()) + ")";
    waiting.clear();
    return List.of(finding);
  }

  /** After the last entry: every change must have found its record. */
  void finish() throws LogDamage {
    if (!waiting.isEmpty()) {
      throw new LogDamage("the outbox log holds changes of " + waiting.size() + " record(s) whose content is missing"
          + " (e.g. record " + new RecordId(waiting.keySet().iterator().next()) + "): they are lost. Nothing was"
          + " changed. Restore the data directory from a backup, or run 'holdfast-agent outbox repair"
          + " --accept-loss' to keep every intact record and drop the rest");
    }
  }
}
