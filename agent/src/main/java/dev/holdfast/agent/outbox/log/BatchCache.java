package dev.holdfast.agent.outbox.log;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The plaintexts of recently read or written batches, up to a number of bytes: the bounded window
 * of record bodies the outbox keeps in memory. Records of one destination are read in order and
 * usually share batches, so one decryption serves several of them.
 */
final class BatchCache {
  private record Key(long segment, int offset) {
    // by hand, for the reason RecordId gives
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.segment == segment && k.offset == offset;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(segment) * 31 + offset;
    }
  }

  private final long maxBytes;
  private long bytes;
  private final LinkedHashMap<Key, byte[]> entries = new LinkedHashMap<>(64, 0.75f, true);

  BatchCache(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  synchronized byte[] get(long segment, int offset) {
    return entries.get(new Key(segment, offset));
  }

  synchronized void put(long segment, int offset, byte[] plaintext) {
    if (plaintext.length > maxBytes / 4) {
      return; // a batch that large would push out everything else
    }
    byte[] old = entries.put(new Key(segment, offset), plaintext);
    bytes += plaintext.length - (old == null ? 0 : old.length);
    var it = entries.entrySet().iterator();
    while (bytes > maxBytes && it.hasNext()) {
      Map.Entry<Key, byte[]> eldest = it.next();
      bytes -= eldest.getValue().length;
      it.remove();
    }
  }

  synchronized void forget(long segment) {
    var it = entries.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Key, byte[]> e = it.next();
      if (e.getKey().segment() == segment) {
        bytes -= e.getValue().length;
        it.remove();
      }
    }
  }

  synchronized long bytes() {
    return bytes;
  }
}
