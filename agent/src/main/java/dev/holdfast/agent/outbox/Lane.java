package dev.holdfast.agent.outbox;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One destination on one channel: its queued records in id order (FIFO). Records that leave from
 * the middle (dropped, dead-lettered) are marked and passed over, and taken out once they reach
 * the front, so no removal costs more than the front's.
 */
final class Lane {
  final Channel channel;
  final String destination;
  final String name;
  private final ArrayDeque<RecordMeta> records = new ArrayDeque<>();
  /** Records really in the lane (the deque may still hold some that left). */
  int size;

  Lane(Channel channel, String destination) {
    this.channel = channel;
    this.destination = destination;
    this.name = nameOf(channel, destination);
  }

  static String nameOf(Channel channel, String destination) {
    return channel.wireName() + ":" + destination;
  }

  void add(RecordMeta r) {
    RecordMeta last = records.peekLast();
    if (last != null && last.id >= r.id) {
      // a dead letter put back: its place is by id; rare, so the lane is rebuilt
      List<RecordMeta> all = new ArrayList<>(records.size() + 1);
      for (RecordMeta m : records) {
        if (m.inLane) {
          all.add(m);
        }
      }
      all.add(r);
      all.sort(Comparator.comparingLong(m -> m.id));
      records.clear();
      records.addAll(all);
    } else {
      records.addLast(r);
    }
    r.inLane = true;
    size++;
  }

  void remove(RecordMeta r) {
    if (r.inLane) {
      r.inLane = false;
      size--;
      dropLeftFront();
    }
  }

  private void dropLeftFront() {
    while (!records.isEmpty() && !records.peekFirst().inLane) {
      records.pollFirst();
    }
  }

  /** The first record in the lane that {@code passOver} does not name; null if none. */
  RecordMeta head(java.util.function.LongPredicate passOver) {
    for (RecordMeta m : records) {
      if (m.inLane && !passOver.test(m.id)) {
        return m;
      }
    }
    return null;
  }

  boolean isEmpty() {
    return size == 0;
  }
}
