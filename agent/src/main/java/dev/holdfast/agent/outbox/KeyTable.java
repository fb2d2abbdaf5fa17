package dev.holdfast.agent.outbox;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Queued records by the hash of their idempotency key: an open-addressing table (linear probing)
 * of the records themselves, each slot a {@link RecordMeta} or, when hashes collide, an array of
 * them. The hash lives in the record, so the table is one reference a slot — 6 to 8 bytes a record
 * where a {@code HashMap<Long, ...>} costs about 60. Not thread-safe: {@link Index} holds its lock.
 */
final class KeyTable {
  private static final int MIN_BITS = 4;

  private Object[] slots = new Object[1 << MIN_BITS];
  private int bits = MIN_BITS;
  private int used;

  /** The queued records whose key has this hash (almost always none or one). */
  List<RecordMeta> get(long hash) {
    Object o = slots[slot(hash)];
    if (o == null) {
      return List.of();
    }
    if (o instanceof RecordMeta m) {
      return List.of(m);
    }
    return new ArrayList<>(Arrays.asList((RecordMeta[]) o));
  }

  void add(RecordMeta m) {
    int i = slot(m.keyHash);
    Object o = slots[i];
    if (o == null) {
      slots[i] = m;
      if (++used > (slots.length >> 1) + (slots.length >> 2)) {
        rehash(bits + 1);
      }
    } else if (o instanceof RecordMeta other) {
      slots[i] = new RecordMeta[] {other, m};
    } else {
      RecordMeta[] all = (RecordMeta[]) o;
      RecordMeta[] more = Arrays.copyOf(all, all.length + 1);
      more[all.length] = m;
      slots[i] = more;
    }
  }

  void remove(RecordMeta m) {
    int i = slot(m.keyHash);
    Object o = slots[i];
    if (o == m) {
      delete(i);
    } else if (o instanceof RecordMeta[] all) {
      RecordMeta[] rest = Arrays.stream(all).filter(x -> x != m).toArray(RecordMeta[]::new);
      slots[i] = rest.length == 1 ? rest[0] : rest;
    }
  }

  /** The slot that holds this hash, or the empty one where it would go. */
  private int slot(long hash) {
    int mask = slots.length - 1;
    int i = home(hash);
    while (slots[i] != null && hashOf(slots[i]) != hash) {
      i = (i + 1) & mask;
    }
    return i;
  }

  private int home(long hash) {
    return (int) ((hash * 0x9E3779B97F4A7C15L) >>> (64 - bits));
  }

  private static long hashOf(Object o) {
    return o instanceof RecordMeta m ? m.keyHash : ((RecordMeta[]) o)[0].keyHash;
  }

  /** Empties slot {@code i} and moves back the entries after it that probing would no longer reach. */
  private void delete(int i) {
    int mask = slots.length - 1;
    slots[i] = null;
    used--;
    for (int j = (i + 1) & mask; slots[j] != null; j = (j + 1) & mask) {
      int h = home(hashOf(slots[j]));
      // the entry at j may move to the hole at i if its home is not in (i, j], cyclically
      boolean reachable = i <= j ? (h > i && h <= j) : (h > i || h <= j);
      if (!reachable) {
        slots[i] = slots[j];
        slots[j] = null;
        i = j;
      }
    }
    if (bits > MIN_BITS && used < slots.length >> 3) {
      rehash(bits - 1);
    }
  }

  private void rehash(int newBits) {
    Object[] old = slots;
    slots = new Object[1 << newBits];
    bits = newBits;
    int mask = slots.length - 1;
    for (Object o : old) {
      if (o != null) {
        int i = home(hashOf(o));
        while (slots[i] != null) {
          i = (i + 1) & mask;
        }
        slots[i] = o;
      }
    }
  }
}
