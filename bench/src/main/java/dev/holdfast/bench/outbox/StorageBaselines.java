package dev.holdfast.bench.outbox;

import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.vault.Codec;
import dev.holdfast.vault.MasterKeySource;
import dev.holdfast.vault.Vault;
import dev.holdfast.vault.VaultCollection;
import dev.holdfast.vault.VaultException;
import dev.holdfast.vault.internal.JournaledVolume;
import dev.holdfast.vault.internal.StoreFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Random;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;

/**
 * The storage baselines: one record per commit, no sealing, no socket, records of the size the
 * outbox stores. Each loop runs for {@code seconds} (bounded) and returns commits per second.
 */
final class StorageBaselines {
  private static final int PAGE = 4096;
  private static final int JOURNAL_HEADER = 4 + 8 + 8 + 4 + PAGE;

  private final int valueSize;
  private final Random random = new Random(42);

  StorageBaselines(int valueSize) {
    this.valueSize = valueSize;
  }

  /** What one bare-MapDB run measured: commits/s and the pages its last commit journaled. */
  record MapDbRun(double perSecond, double pagesPerCommit) {}

  /**
   * MapDB exactly as the vault opens it ({@link StoreFiles}: in-memory WAL, the page journal as the
   * volume), a BTreeMap of byte[] as the vault's ordered collections; put + commit per record.
   */
  MapDbRun bareMapDb(Path dir, double seconds) throws IOException {
    return bareMapDb(dir, 1, seconds);
  }

  /** The same with {@code perCommit} puts per commit; the rate is records (puts) per second. */
  MapDbRun bareMapDb(Path dir, int perCommit, double seconds) throws IOException {
    Path file = Files.createTempFile(dir, "bare-" + perCommit + "-", ".db");
    long commits = 0;
    int pages;
    long started;
    long elapsed;
    try (StoreFiles store = StoreFiles.open(file, true)) {
      DB db = store.db();
      BTreeMap<byte[], byte[]> map =
          db.treeMap("o.outbox", Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY).createOrOpen();
      db.commit();
      started = System.nanoTime();
      long deadline = started + (long) (seconds * 1e9);
      while (System.nanoTime() < deadline) {
        for (int i = 0; i < perCommit; i++) {
          map.put(key(commits * perCommit + i), value());
        }
        db.commit();
        commits++;
      }
      elapsed = System.nanoTime() - started;
      pages = newestJournalPages(file);
    }
    return new MapDbRun(commits * perCommit / (elapsed / 1e9), pages);
  }

  /**
   * The real {@link Vault} (sealing, its lock, its error handling) with {@code perCommit} records
   * per {@link Vault#write}, no socket, no outbox: records per second.
   */
  double vaultWrite(Path dir, int perCommit, double seconds) throws IOException, VaultException {
    byte[] key = new byte[32];
    random.nextBytes(key);
    VaultCollection<byte[], byte[]> queue = VaultCollection.ordered("outbox", Codec.BYTES, Codec.BYTES);
    int plainSize = valueSize - 28;
    try (Vault vault = Vault.create(dir.resolve("vault-" + perCommit + ".db"),
        MasterKeySource.ofKey(Secret.wrap(key), "benchmark"), new SecureRandom())) {
      long commits = 0;
      long started = System.nanoTime();
      long deadline = started + (long) (seconds * 1e9);
      while (System.nanoTime() < deadline) {
        long first = commits * perCommit;
        vault.write(tx -> {
          for (int i = 0; i < perCommit; i++) {
            tx.put(queue, key(first + i), java.util.Arrays.copyOf(value(), plainSize));
          }
          return null;
        });
        commits++;
      }
      return commits * perCommit / ((System.nanoTime() - started) / 1e9);
    }
  }

  /**
   * The page count in the header of the newest journal (magic, sequence, length, count): the
   * slots are overwritten in place, so their size is the largest journal ever written, not the last.
   */
  private static int newestJournalPages(Path file) throws IOException {
    long newest = -1;
    int pages = 0;
    for (Path j : JournaledVolume.journalsOf(file)) {
      if (Files.exists(j)) {
        try (FileChannel ch = FileChannel.open(j, StandardOpenOption.READ)) {
          ByteBuffer header = ByteBuffer.allocate(24);
          ch.read(header, 0);
          if (header.getLong(4) > newest) {
            newest = header.getLong(4);
            pages = header.getInt(20);
          }
        }
      }
    }
    return pages;
  }

  /** MapDB 3.1.0's own transactional file store ({@code transactionEnable()}), for reference. */
  double stockMapDb(Path dir, double seconds) {
    DB db = DBMaker.fileDB(dir.resolve("stock.db").toFile()).transactionEnable().make();
    try {
      BTreeMap<byte[], byte[]> map =
          db.treeMap("o.outbox", Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY).createOrOpen();
      db.commit();
      long commits = 0;
      long started = System.nanoTime();
      long deadline = started + (long) (seconds * 1e9);
      while (System.nanoTime() < deadline) {
        map.put(key(commits), value());
        db.commit();
        commits++;
      }
      return commits / ((System.nanoTime() - started) / 1e9);
    } finally {
      db.close();
    }
  }

  /** Raw append of one record + {@code FileChannel.force(false)} (fdatasync): one fsync per record. */
  double rawAppendForce(Path dir, double seconds) throws IOException {
    try (FileChannel log = FileChannel.open(Files.createTempFile(dir, "raw-", ".log"),
        StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      long n = 0;
      long started = System.nanoTime();
      long deadline = started + (long) (seconds * 1e9);
      while (System.nanoTime() < deadline) {
        write(log, ByteBuffer.wrap(value()), -1);
        log.force(false);
        n++;
      }
      return n / ((System.nanoTime() - started) / 1e9);
    }
  }

  /**
   * The I/O the vault's commit does, without MapDB: overwrite a journal slot in place with {@code
   * pages} pages + fdatasync, write them in place + fdatasync. The floor of the journal design. With
   * {@code previous}, the design before it: truncate the slot, write, fsync; write in place, fsync.
   */
  double rawJournalDesign(Path dir, int pages, boolean previous, double seconds) throws IOException {
    try (FileChannel store = open(dir.resolve("model.db"));
        FileChannel j0 = open(dir.resolve("model.journal-0"));
        FileChannel j1 = open(dir.resolve("model.journal-1"))) {
      byte[] page = new byte[PAGE];
      long n = 0;
      long started = System.nanoTime();
      long deadline = started + (long) (seconds * 1e9);
      while (System.nanoTime() < deadline) {
        FileChannel journal = n % 2 == 0 ? j0 : j1;
        if (previous) {
          journal.truncate(0);
        }
        write(journal, ByteBuffer.wrap(new byte[JOURNAL_HEADER + pages * (8 + PAGE) + 4]), 0);
        journal.force(previous);
        for (int p = 0; p < pages; p++) {
          random.nextBytes(page);
          write(store, ByteBuffer.wrap(page), ((n + p) % 64) * PAGE);
        }
        store.force(previous);
        n++;
      }
      return n / ((System.nanoTime() - started) / 1e9);
    }
  }

  /**
   * A design that keeps MapDB and the page images but needs one fsync per commit: append the
   * commit's pages to a journal log + fdatasync, write them in place without fsync, and make the
   * store durable (fsync) and start the log over only at a checkpoint every {@code checkpointEvery}
   * commits.
   */
  double rawAppendLogDesign(Path dir, int pages, int checkpointEvery, double seconds) throws IOException {
    try (FileChannel store = open(dir.resolve("log-model.db"));
        FileChannel log = open(dir.resolve("log-model.journal"))) {
      byte[] page = new byte[PAGE];
      long n = 0;
      long position = 0;
      long started = System.nanoTime();
      long deadline = started + (long) (seconds * 1e9);
      while (System.nanoTime() < deadline) {
        int size = 8 + pages * (8 + PAGE) + 4;
        write(log, ByteBuffer.wrap(new byte[size]), position);
        position += size;
        log.force(false);
        for (int p = 0; p < pages; p++) {
          random.nextBytes(page);
          write(store, ByteBuffer.wrap(page), ((n + p) % 64) * PAGE);
        }
        n++;
        if (n % checkpointEvery == 0) {
          store.force(true);
          position = 0;
        }
      }
      return n / ((System.nanoTime() - started) / 1e9);
    }
  }

  private static FileChannel open(Path file) throws IOException {
    return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
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
    byte[] v = new byte[valueSize];
    random.nextBytes(v);
    return v;
  }
}
