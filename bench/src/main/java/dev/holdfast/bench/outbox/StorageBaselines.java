package dev.holdfast.bench.outbox;

import dev.holdfast.bench.support.ScratchDisk;
import dev.holdfast.bench.support.Writes;
import dev.holdfast.vault.internal.StoreFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.Serializer;

/**
 * The storage baselines, in this JVM on the same disk as the agent, each durable per record:
 * records of the size the outbox stores, one per flush; each loop runs {@code seconds} and
 * returns records per second and the bytes written for them.
 */
final class StorageBaselines {
  private static final long PREALLOCATED = 64L << 20;

  private final ScratchDisk disk;
  private final int recordSize;
  private final Random random = new Random(42);
  private final long self = ProcessHandle.current().pid();

  StorageBaselines(ScratchDisk disk, int recordSize) {
    this.disk = disk;
    this.recordSize = recordSize;
  }

  /** What one baseline loop did. */
  record Run(double perSecond, long records, Writes writes) {
    double bytesPerRecord() {
      return writes.per(records);
    }
  }

  /**
   * MapDB as the vault opens it ({@link StoreFiles}: in-memory WAL, the page journal as its volume),
   * a {@code BTreeMap<byte[],byte[]>} as the old outbox used, one {@code put} + {@code commit} per
   * record: what the outbox did before the segment log.
   */
  Run bareMapDb(Path dir, double seconds) throws Exception {
    Path file = Files.createTempFile(dir, "bare-", ".db");
    try (StoreFiles store = StoreFiles.open(file, true)) {
      DB db = store.db();
      BTreeMap<byte[], byte[]> map =
          db.treeMap("o.outbox", Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY).createOrOpen();
      db.commit();
      Writes before = Writes.now(disk, self);
      long n = 0;
      long started = System.nanoTime();
      long deadline = started + (long) (seconds * 1e9);
      while (System.nanoTime() < deadline) {
        map.put(key(n), value());
        db.commit();
        n++;
      }
      double rate = n / ((System.nanoTime() - started) / 1e9);
      return new Run(rate, n, Writes.now(disk, self).since(before));
    }
  }

  /** Append one record + {@code FileChannel.force(false)} (fdatasync): the file grows with every flush. */
  Run rawAppend(Path dir, double seconds) throws Exception {
    try (FileChannel log = FileChannel.open(Files.createTempFile(dir, "raw-", ".log"),
        StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      Writes before = Writes.now(disk, self);
      long n = 0;
      long started = System.nanoTime();
      long deadline = started + (long) (seconds * 1e9);
      while (System.nanoTime() < deadline) {
        write(log, ByteBuffer.wrap(value()), -1);
        log.force(false);
        n++;
      }
      double rate = n / ((System.nanoTime() - started) / 1e9);
      return new Run(rate, n, Writes.now(disk, self).since(before));
    }
  }

  /**
   * Overwrite the next record's bytes in a file written with zeros beforehand (not counted), then
   * {@code force(false)}: the flush carries data only, no metadata — the floor of the outbox's
   * design, which writes into preallocated segments the same way.
   */
  Run rawOverwrite(Path dir, double seconds) throws Exception {
    Path file = Files.createTempFile(dir, "prealloc-", ".log");
    try (FileChannel log = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
      for (long at = 0; at < PREALLOCATED; at += zeros.capacity()) {
        zeros.clear();
        write(log, zeros, at);
      }
      log.force(true);
      Writes before = Writes.now(disk, self);
      long n = 0;
      long started = System.nanoTime();
      long deadline = started + (long) (seconds * 1e9);
      while (System.nanoTime() < deadline && (n + 1) * recordSize < PREALLOCATED) {
        write(log, ByteBuffer.wrap(value()), n * recordSize);
        log.force(false);
        n++;
      }
      double rate = n / ((System.nanoTime() - started) / 1e9);
      return new Run(rate, n, Writes.now(disk, self).since(before));
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static void write(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    long pos = position;
    while (buffer.hasRemaining()) {
      pos += position < 0 ? channel.write(buffer) : channel.write(buffer, pos);
    }
  }

  private static byte[] key(long n) {
    return ByteBuffer.allocate(8).putLong(n).array();
  }

  private byte[] value() {
    byte[] v = new byte[recordSize];
    random.nextBytes(v);
    return v;
  }
}
