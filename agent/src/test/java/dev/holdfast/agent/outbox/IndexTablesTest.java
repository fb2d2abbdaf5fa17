package dev.holdfast.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The outbox index's compact tables against the JDK's collections doing the same work: thousands
 * of random operations from a fixed seed, with the patterns the outbox makes (appends in id order,
 * removals from the front, dead letters put back, half the queue read out of order at start).
 */
class IndexTablesTest {
  private static RecordMeta record(long id, long keyHash) {
    return new RecordMeta(id, null, keyHash, 0, 0, 0);
  }

  @Test
  void theIdTableAnswersAsATreeMapWouldThroughAppendsRemovalsAndRecordsOutOfOrder() {
    SplittableRandom random = new SplittableRandom(42);
    IdTable table = new IdTable();
    TreeMap<Long, RecordMeta> expected = new TreeMap<>();
    long nextId = 1_000;
    for (int step = 0; step < 60_000; step++) {
      int op = random.nextInt(100);
      if (op < 45) { // enqueue: the next id
        RecordMeta m = record(nextId += 1 + random.nextInt(3), 0);
        table.add(m);
        expected.put(m.id, m);
      } else if (op < 52) { // a record put back, or read from a compacted segment: an older id
        long id = 1 + random.nextLong(nextId);
        if (!expected.containsKey(id)) {
          RecordMeta m = record(id, 0);
          table.add(m);
          expected.put(id, m);
        }
      } else if (op < 80 && !expected.isEmpty()) { // delivered: mostly the oldest
        long id = random.nextInt(4) > 0 ? expected.firstKey() : pick(expected, random);
        assertThat(table.remove(id)).isSameAs(expected.remove(id));
      } else if (op < 85) {
        long id = 1 + random.nextLong(nextId);
        assertThat(table.remove(id)).isSameAs(expected.remove(id));
      } else if (op < 93) {
        long id = random.nextInt(2) == 0 && !expected.isEmpty() ? pick(expected, random) : random.nextLong(nextId);
        assertThat(table.get(id)).isSameAs(expected.get(id));
      } else if (op < 96) {
        long after = random.nextLong(nextId + 1);
        Map.Entry<Long, RecordMeta> higher = expected.higherEntry(after);
        assertThat(table.higher(after)).isSameAs(higher == null ? null : higher.getValue());
        List<RecordMeta> walked = new ArrayList<>();
        table.after(after).forEach(walked::add);
        assertThat(walked).containsExactlyElementsOf(expected.tailMap(after, false).values());
      } else {
        assertThat(table.size()).isEqualTo(expected.size());
        if (!expected.isEmpty()) {
          assertThat(table.first()).isSameAs(expected.firstEntry().getValue());
          assertThat(table.lastId()).isEqualTo(expected.lastKey());
        }
      }
    }
    List<RecordMeta> all = new ArrayList<>();
    table.forEach(all::add);
    assertThat(all).containsExactlyElementsOf(expected.values());
  }

  @Test
  void anIdTableReadWhollyOutOfOrderFindsEveryRecordAndWalksThemInOrder() {
    IdTable table = new IdTable();
    TreeMap<Long, RecordMeta> expected = new TreeMap<>();
    // a compacted log: the newer half first, then the older half copied after it
    for (long id : new long[] {50_000, 0}) {
      for (long i = 1; i <= 5_000; i++) {
        RecordMeta m = record(id + i, 0);
        table.add(m);
        expected.put(m.id, m);
        assertThat(table.get(m.id)).isSameAs(m);
      }
    }
    for (long id : expected.keySet()) {
      assertThat(table.get(id)).isSameAs(expected.get(id));
    }
    List<RecordMeta> all = new ArrayList<>();
    table.forEach(all::add);
    assertThat(all).containsExactlyElementsOf(expected.values());
  }

  @Test
  void theKeyTableFindsEveryQueuedRecordByItsKeyHashThroughCollisionsAndRemovals() {
    SplittableRandom random = new SplittableRandom(7);
    KeyTable table = new KeyTable();
    Map<Long, List<RecordMeta>> expected = new HashMap<>();
    List<RecordMeta> live = new ArrayList<>();
    // few distinct hashes, so equal hashes and neighbouring slots are common
    long[] hashes = random.longs(3_000).toArray();
    long id = 0;
    for (int step = 0; step < 80_000; step++) {
      int op = random.nextInt(100);
      if (op < 40 || live.isEmpty()) {
        RecordMeta m = record(++id, hashes[random.nextInt(random.nextInt(10) == 0 ? 5 : hashes.length)]);
        table.add(m);
        expected.computeIfAbsent(m.keyHash, h -> new ArrayList<>()).add(m);
        live.add(m);
      } else if (op < 75) {
        RecordMeta m = live.remove(random.nextInt(live.size()));
        table.remove(m);
        expected.get(m.keyHash).remove(m);
      } else {
        long hash = hashes[random.nextInt(hashes.length)];
        assertThat(table.get(hash)).containsExactlyInAnyOrderElementsOf(expected.getOrDefault(hash, List.of()));
      }
    }
    for (long hash : hashes) {
      assertThat(table.get(hash)).containsExactlyInAnyOrderElementsOf(expected.getOrDefault(hash, List.of()));
    }
  }

  private static long pick(TreeMap<Long, RecordMeta> map, SplittableRandom random) {
    Long key = map.ceilingKey(map.firstKey() + random.nextLong(map.lastKey() - map.firstKey() + 1));
    return key;
  }
}
