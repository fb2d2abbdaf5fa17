package dev.holdfast.agent.outbox;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.TreeMap;

/**
 * Records by id, in id order: two parallel arrays (ids, records) instead of a tree of boxed keys,
 * about 12 bytes a record where a {@code TreeMap<Long, RecordMeta>} costs 64. Records arrive
 * almost always in id order (ids grow with time), so adding one is an append. One that arrives out
 * of order (a dead letter put back; at start, records read from a compacted segment, which may be
 * half the queue) waits among the strays, a small tree that lookups also search; the strays are
 * merged into the arrays when there are many of them or when something walks the table in order.
 * A removed record leaves a hole that keeps its id, so binary search still works; holes at either
 * end are dropped at once (the queue drains from the front), the others when they outnumber the
 * records. Not thread-safe: {@link Index} holds its lock.
 */
final class IdTable implements Iterable<RecordMeta> {
  private static final int MIN_CAPACITY = 16;

  private long[] ids = new long[MIN_CAPACITY];
  private RecordMeta[] records = new RecordMeta[MIN_CAPACITY];
  /** Slots in use are [start, end); a hole is a null record. */
  private int start;
  private int end;
  private int size;
  /** Records that arrived out of id order, until the next merge. */
  private final TreeMap<Long, RecordMeta> strays = new TreeMap<>();

  int size() {
    return size + strays.size();
  }

  boolean isEmpty() {
    return size() == 0;
  }

  RecordMeta get(long id) {
    int i = find(id);
    return i >= 0 ? records[i] : strays.isEmpty() ? null : strays.get(id);
  }

  /** Adds a record whose id is not in the table. */
  void add(RecordMeta m) {
    if (end == ids.length) {
      resize(Math.max(MIN_CAPACITY, size < ids.length / 2 ? ids.length : ids.length + (ids.length >> 1)));
    }
    if (end > start && m.id <= ids[end - 1]) {
      strays.put(m.id, m);
      if (strays.size() > 1024 && strays.size() > size / 8) {
        merge();
      }
      return;
    }
    ids[end] = m.id;
    records[end++] = m;
    size++;
  }

  /** Removes the record with this id; returns it, or null if there was none. */
  RecordMeta remove(long id) {
    int i = find(id);
    if (i < 0) {
      return strays.isEmpty() ? null : strays.remove(id);
    }
    RecordMeta m = records[i];
    records[i] = null;
    size--;
    while (start < end && records[start] == null) {
      start++;
    }
    while (end > start && records[end - 1] == null) {
      end--;
    }
    if (size == 0) {
      start = 0;
      end = 0;
    }
    int holes = end - start - size;
    if (ids.length > MIN_CAPACITY && size < ids.length / 4) {
      resize(Math.max(MIN_CAPACITY, size * 2));
    } else if (holes > 32 && holes > size) {
      resize(ids.length);
    }
    return m;
  }

  /** The record with the highest id; the table must not be empty. */
  long lastId() {
    merge();
    return ids[end - 1];
  }

  /** The record with the lowest id, or null. */
  RecordMeta first() {
    merge();
    return size == 0 ? null : records[start];
  }

  /** The first record with an id above {@code id}, or null. */
  RecordMeta higher(long id) {
    merge();
    for (int i = above(id); i < end; i++) {
      if (records[i] != null) {
        return records[i];
      }
    }
    return null;
  }

  /** The records with ids above {@code id}, in id order; the table must not change while it is walked. */
  Iterable<RecordMeta> after(long id) {
    merge();
    int from = above(id);
    return () -> new Walk(from);
  }

  @Override
  public Iterator<RecordMeta> iterator() {
    merge();
    return new Walk(start);
  }

  private final class Walk implements Iterator<RecordMeta> {
    private int i;

    Walk(int from) {
      i = from;
      skipHoles();
    }

    private void skipHoles() {
      while (i < end && records[i] == null) {
        i++;
      }
    }

    @Override
    public boolean hasNext() {
      return i < end;
    }

    @Override
    public RecordMeta next() {
      if (i >= end) {
        throw new NoSuchElementException();
      }
      RecordMeta m = records[i++];
      skipHoles();
      return m;
    }
  }

  /** The slot of this id's record in the arrays, or -1. */
  private int find(long id) {
    int i = Arrays.binarySearch(ids, start, end, id);
    return i >= 0 && records[i] != null ? i : -1;
  }

  /** The first slot whose id is above {@code id}. */
  private int above(long id) {
    int lo = start;
    int hi = end;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ids[mid] <= id) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Merges the strays into the arrays, in id order, dropping the holes. */
  private void merge() {
    if (strays.isEmpty()) {
      return;
    }
    int total = size + strays.size();
    int capacity = Math.max(MIN_CAPACITY, total + (total >> 1));
    long[] newIds = new long[capacity];
    RecordMeta[] newRecords = new RecordMeta[capacity];
    Iterator<RecordMeta> more = strays.values().iterator();
    RecordMeta stray = more.next();
    int n = 0;
    for (int i = start; i < end || stray != null; ) {
      RecordMeta next;
      if (i < end && records[i] == null) {
        i++;
        continue;
      }
      if (stray == null || (i < end && ids[i] < stray.id)) {
        next = records[i++];
      } else {
        next = stray;
        stray = more.hasNext() ? more.next() : null;
      }
      newIds[n] = next.id;
      newRecords[n++] = next;
    }
    strays.clear();
    ids = newIds;
    records = newRecords;
    start = 0;
    end = n;
    size = n;
  }

  /** Moves the records, without holes, to the front of arrays of {@code capacity} slots. */
  private void resize(int capacity) {
    long[] newIds = capacity == ids.length ? ids : new long[capacity];
    RecordMeta[] newRecords = capacity == records.length ? records : new RecordMeta[capacity];
    int n = 0;
    for (int i = start; i < end; i++) {
      if (records[i] != null) {
        newIds[n] = ids[i];
        newRecords[n++] = records[i];
      }
    }
    if (newRecords == records) {
      Arrays.fill(records, n, end, null);
    }
    ids = newIds;
    records = newRecords;
    start = 0;
    end = n;
  }
}
