package dev.holdfast.provisioning.relay;

import dev.holdfast.protocol.crypto.Aead;
import dev.holdfast.protocol.crypto.AuthenticationFailedException;
import dev.holdfast.provisioning.registry.IdempotencyRecord;
import dev.holdfast.provisioning.registry.IdempotencyRecords;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.vault.Disk;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.tinylog.Logger;

/**
 * The relay's idempotency records in an append-only log of their own, with every live record in
 * memory: a change is one small sealed batch appended and flushed, and a look-up is a hash-map
 * get. (In the registry each change was a vault commit: a journal of about 20 pages and two B-tree
 * look-ups, which held the relay to a fifth of its no-key rate; docs/decisions.md.)
 *
 * <p>Files: {@code idempotency-<generation>.log} in its directory, one at a time. A batch is a
 * 20-byte clear header (magic "HFIR", sequence, sealed length, CRC32C of those) and its entries
 * sealed together with AES-256-GCM under a data key kept sealed in the registry; the associated
 * data is generation, offset and sequence, so a batch moved, replayed or taken out no longer opens.
 * Entries: {@code PUT} (the whole record) and {@code REMOVE} (a released key); the last one for a
 * key wins. Records past the window are dropped from memory and skipped when the log is read.
 *
 * <p>Crashes. Every file starts with an empty batch, flushed before anything else is written to
 * it. Batches are appended one at a time by one writer, each flushed before the next, so a crash
 * can only cut the last one: opening stops at the first batch that does not open, cuts the file
 * there and goes on. What no crash leaves is refused as damaged, naming the file and changing
 * nothing: a whole batch header behind the cut one, or a first batch that does not open with more
 * behind it (another registry's data key, a renamed file). When the file holds more than twice the
 * live records plus {@link #COMPACT_FLOOR} (1 MiB), the live records are written to the next
 * generation's file (temp, flush, rename, directory flush) and the old file deleted: an opening that
 * finds two generations keeps the newer and deletes the older.
 *
 * <p>An I/O error while appending leaves the log refusing every later change (the flushed state of
 * the file is no longer known, so nothing more is acknowledged on it); the relay answers 503 until
 * it is restarted, and the restart reads what the disk holds. All methods are synchronized; the
 * relay's {@link GroupCommit} thread is the only writer.
 */
final class IdempotencyLog implements IdempotencyTarget, AutoCloseable {
  static final String PREFIX = "idempotency-";
  static final String SUFFIX = ".log";
  /** Garbage below this is never compacted away. */
  static final long COMPACT_FLOOR = 1 << 20;
  static final int HEADER = 20;
  /** The first batch of every file, empty: written and flushed before the file is used. */
  static final int HEAD = HEADER + Aead.OVERHEAD;
  private static final byte[] HEAD_PLAINTEXT = new byte[0];
  private static final int MAGIC = 0x48464952; // "HFIR"
  private static final byte[] DOMAIN = "holdfast/relay-idempotency/v1".getBytes(StandardCharsets.US_ASCII);
  private static final int PUT = 1;
  private static final int REMOVE = 2;
  /** Plaintext per batch when compacting. */
  private static final int COMPACT_BATCH = 64 * 1024;

  private record Held(IdempotencyRecord record, int bytes) {}

  private final Disk disk;
  private final Path dir;
  private final Aead aead;
  private final Duration window;
  private final long compactFloor;
  private final Map<IdempotencyRecord.Key, Held> records = new HashMap<>();
  private long liveBytes;
  private long generation;
  private FileChannel channel;
  private long end;
  private long sequence;
  /** Read without the lock: a caller counting appends must not wait for a write under way. */
  private volatile long appends;
  private long compactions;
  private String broken;

  private IdempotencyLog(Disk disk, Path dir, Aead aead, Duration window, long compactFloor) {
    this.disk = disk;
    this.dir = dir;
    this.aead = aead;
    this.window = window;
    this.compactFloor = compactFloor;
  }

  /**
   * Opens the log in {@code dir} (made, 0700, if missing), reading every record still inside the
   * window at {@code now}.
   *
   * @throws RegistryException CORRUPT when the file holds what no crash leaves (a whole batch header
   *     behind the cut one, or a first batch that does not open with more behind it; the message
   *     names the file and what to do; nothing was changed), IO when the files cannot be read or
   *     written
   */
  static IdempotencyLog open(Disk disk, Path dir, Aead aead, Duration window, Instant now) throws RegistryException {
    return open(disk, dir, aead, window, now, COMPACT_FLOOR);
  }

  /** As {@link #open(Disk, Path, Aead, Duration, Instant)}, compacting above {@code compactFloor} bytes of garbage. */
  static IdempotencyLog open(Disk disk, Path dir, Aead aead, Duration window, Instant now, long compactFloor)
      throws RegistryException {
    IdempotencyLog log = new IdempotencyLog(disk, dir, aead, window, compactFloor);
    try {
      disk.createDirectories(dir);
      List<Long> generations = new ArrayList<>();
      boolean deleted = false;
      for (Path f : disk.list(dir)) {
        String name = f.getFileName().toString();
        if (name.startsWith(PREFIX) && name.endsWith(SUFFIX + ".tmp")) {
          disk.delete(f); // a compaction that did not finish: its old file is whole
          deleted = true;
        } else if (name.startsWith(PREFIX) && name.endsWith(SUFFIX)) {
          generations.add(generationOf(f));
        }
      }
      generations.sort(null);
      if (generations.isEmpty()) {
        log.start(1);
      } else {
        log.load(generations.get(generations.size() - 1), now);
        for (long older : generations.subList(0, generations.size() - 1)) {
          disk.delete(log.file(older)); // a compaction renamed the newer one in before it could delete this
          deleted = true;
        }
      }
      if (deleted) {
        disk.syncDirectory(dir);
      }
      return log;
    } catch (IOException e) {
      log.closeChannel();
      throw new RegistryException(RegistryException.Reason.IO,
          "cannot open the relay's idempotency log in " + dir + ": " + e.getMessage(), e);
    } catch (RegistryException | RuntimeException e) {
      log.closeChannel();
      throw e;
    }
  }

  private static long generationOf(Path f) throws IOException {
    String name = f.getFileName().toString();
    try {
      return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
    } catch (NumberFormatException e) {
      throw new IOException(f + " is not a file of the idempotency log; move it out of " + f.getParent(), e);
    }
  }

  private Path file(long gen) {
    return dir.resolve(PREFIX + gen + SUFFIX);
  }

  private void start(long gen) throws IOException {
    channel = disk.open(file(gen), Disk.Mode.CREATE_NEW);
    generation = gen;
    end = 0;
    sequence = 0;
    append(HEAD_PLAINTEXT);
    disk.syncDirectory(dir);
  }

  private void load(long gen, Instant now) throws IOException, RegistryException {
    Path f = file(gen);
    byte[] bytes = disk.readAll(f);
    generation = gen;
    int at = 0;
    long seq = 0;
    while (true) {
      byte[] plaintext = batchAt(bytes, at, seq);
      if (plaintext == null) {
        break;
      }
      apply(plaintext);
      at += HEADER + ByteBuffer.wrap(bytes, at + 12, 4).getInt();
      seq++;
    }
    if (seq == 0 && bytes.length > HEAD) {
      throw damaged(f, "its first batch does not open under the relay's data key (a log of another registry,"
          + " a file renamed, or damage)");
    }
    for (int later = at + 1; later + HEADER <= bytes.length; later++) {
      if (headerAt(bytes, later)) {
        throw damaged(f, "it is damaged at byte " + at + " and a batch further on is whole, which no crash leaves");
      }
    }
    liveBytes = records.values().stream().mapToLong(Held::bytes).sum();
    forgetExpired(now);
    channel = disk.open(f, Disk.Mode.READ_WRITE);
    if (at < bytes.length) {
      Logger.warn("the relay's idempotency log {} ended in a batch cut short by a crash ({} bytes); dropped it",
          f, bytes.length - at);
      channel.truncate(at);
      channel.force(true);
    }
    end = at;
    sequence = seq;
    if (seq == 0) { // cut short while it was made: make its first batch again
      append(HEAD_PLAINTEXT);
    }
  }

  private RegistryException damaged(Path f, String what) {
    return new RegistryException(RegistryException.Reason.CORRUPT, "the relay's idempotency log " + f
        + " cannot be read: " + what + "; nothing was changed. Restore it from a backup together with the"
        + " registry, or move it out of " + dir + " to start with no idempotency records: retries of requests"
        + " answered in the last " + window + " are then sent again", null);
  }

  /** Whether a whole, checked batch header is at {@code at}: a crash cuts only the last batch, never one behind it. */
  private static boolean headerAt(byte[] bytes, int at) {
    return at + HEADER <= bytes.length && ByteBuffer.wrap(bytes, at, 4).getInt() == MAGIC
        && ByteBuffer.wrap(bytes, at + 16, 4).getInt() == crc(bytes, at);
  }

  /** The plaintext of the batch at {@code at} if it is whole, of this place and sequence, and opens. */
  private byte[] batchAt(byte[] bytes, int at, long seq) {
    if (at + HEADER > bytes.length) {
      return null;
    }
    ByteBuffer h = ByteBuffer.wrap(bytes, at, HEADER);
    int magic = h.getInt();
    long s = h.getLong();
    int sealed = h.getInt();
    int crc = h.getInt();
    if (magic != MAGIC || s != seq || crc != crc(bytes, at) || sealed < Aead.OVERHEAD
        || sealed > bytes.length - at - HEADER) {
      return null;
    }
    try {
      return aead.open(java.util.Arrays.copyOfRange(bytes, at + HEADER, at + HEADER + sealed), aad(generation, at, seq));
    } catch (AuthenticationFailedException e) {
      return null;
    }
  }

  private static int crc(byte[] bytes, int at) {
    CRC32C c = new CRC32C();
    c.update(bytes, at, 16);
    return (int) c.getValue();
  }

  private static byte[] aad(long gen, long offset, long seq) {
    return ByteBuffer.allocate(DOMAIN.length + 24).put(DOMAIN).putLong(gen).putLong(offset).putLong(seq).array();
  }

  private void apply(byte[] plaintext) throws RegistryException {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(plaintext));
      while (in.available() > 0) {
        int type = in.readUnsignedByte();
        if (type == PUT) {
          int before = in.available();
          IdempotencyRecord r = readRecord(in);
          records.put(r.key(), new Held(r, 1 + before - in.available()));
        } else if (type == REMOVE) {
          records.remove(new IdempotencyRecord.Key(in.readUTF(), in.readUTF()));
        } else {
          throw new IOException("unknown entry type " + type);
        }
      }
    } catch (IOException | RuntimeException e) {
      // it opened, so it was written so: a version of the relay newer than this one, or a bug
      throw new RegistryException(RegistryException.Reason.CORRUPT, "the relay's idempotency log "
          + file(generation) + " holds a batch this version cannot read (" + e.getMessage() + ")", e);
    }
  }

  private static IdempotencyRecord readRecord(DataInputStream in) throws IOException {
    String keyId = in.readUTF();
    String key = in.readUTF();
    byte[] fingerprint = new byte[in.readUnsignedByte()];
    in.readFully(fingerprint);
    IdempotencyRecord.Phase phase = switch (in.readUnsignedByte()) {
      case 1 -> IdempotencyRecord.Phase.SENDING;
      case 2 -> IdempotencyRecord.Phase.SENT;
      default -> throw new IOException("unknown phase");
    };
    String owner = in.readUTF();
    Instant createdAt = Instant.ofEpochSecond(in.readLong(), in.readInt());
    int status = in.readInt();
    byte[] body = new byte[in.readInt()];
    in.readFully(body);
    return new IdempotencyRecord(keyId, key, fingerprint, phase, owner, createdAt, status,
        new String(body, StandardCharsets.UTF_8));
  }

  private static void writePut(DataOutputStream out, IdempotencyRecord r) throws IOException {
    out.writeByte(PUT);
    out.writeUTF(r.keyId());
    out.writeUTF(r.idempotencyKey());
    byte[] fingerprint = r.fingerprint();
    out.writeByte(fingerprint.length);
    out.write(fingerprint);
    out.writeByte(r.phase() == IdempotencyRecord.Phase.SENDING ? 1 : 2);
    out.writeUTF(r.owner());
    out.writeLong(r.createdAt().getEpochSecond());
    out.writeInt(r.createdAt().getNano());
    out.writeInt(r.status());
    byte[] body = r.responseBody().getBytes(StandardCharsets.UTF_8);
    out.writeInt(body.length);
    out.write(body);
  }

  @Override
  public synchronized <T> T write(Change<T> change) throws RegistryException {
    if (broken != null) {
      throw new RegistryException(RegistryException.Reason.IO, broken, null);
    }
    Staged staged = new Staged();
    T result;
    try {
      result = change.run(staged);
    } catch (RegistryException | RuntimeException e) {
      staged.undo();
      throw e;
    }
    if (staged.entries.size() > 0) {
      try {
        append(staged.entries.toByteArray());
        appends = appends + 1; // under the lock: the only writer
      } catch (RuntimeException e) { // sealing failed: nothing was written
        staged.undo();
        throw e;
      } catch (IOException e) {
        staged.undo();
        broken = "the relay's idempotency log " + file(generation) + " could not be written (" + e.getMessage()
            + "); restart the relay once the disk is writable";
        throw new RegistryException(RegistryException.Reason.IO, broken, e);
      }
      compactIfLarge();
    }
    return result;
  }

  /** Seals {@code plaintext} as the next batch of the current file, writes and flushes it. */
  private void append(byte[] plaintext) throws IOException {
    end += writeBatch(channel, end, sequence, plaintext);
    channel.force(false);
    sequence++;
  }

  /** Seals {@code plaintext} as batch {@code seq} at {@code offset} of {@code ch}; returns its length. */
  private int writeBatch(FileChannel ch, long offset, long seq, byte[] plaintext) throws IOException {
    byte[] batch = seal(plaintext, offset, seq);
    Disk.writeFully(ch, ByteBuffer.wrap(batch), offset);
    return batch.length;
  }

  private byte[] seal(byte[] plaintext, long offset, long seq) {
    byte[] sealed = aead.seal(plaintext, aad(generation, offset, seq));
    ByteBuffer out = ByteBuffer.allocate(HEADER + sealed.length);
    out.putInt(MAGIC).putLong(seq).putInt(sealed.length);
    out.putInt(crc(out.array(), 0));
    out.put(sealed);
    return out.array();
  }

  private void compactIfLarge() {
    if (end <= 2 * liveBytes + compactFloor) {
      return;
    }
    long next = generation + 1;
    Path tmp = dir.resolve(PREFIX + next + SUFFIX + ".tmp");
    FileChannel fresh = null;
    long oldGeneration = generation;
    long freshEnd = 0;
    long freshSequence = 0;
    try {
      fresh = disk.open(tmp, Disk.Mode.CREATE_NEW);
      generation = next; // the batches below are sealed to the new file's place
      ByteArrayOutputStream chunk = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(chunk);
      freshEnd = writeBatch(fresh, 0, freshSequence++, HEAD_PLAINTEXT);
      List<Held> live = new ArrayList<>(records.values());
      for (int i = 0; i < live.size(); i++) {
        writePut(out, live.get(i).record());
        if (chunk.size() >= COMPACT_BATCH || i == live.size() - 1) {
          freshEnd += writeBatch(fresh, freshEnd, freshSequence++, chunk.toByteArray());
          chunk.reset();
        }
      }
      fresh.force(true);
    } catch (IOException e) {
      generation = oldGeneration;
      Logger.warn("compacting the relay's idempotency log failed ({}); it goes on in {}", e.getMessage(),
          file(generation));
      closeQuietly(fresh);
      try {
        disk.delete(tmp);
      } catch (IOException ignored) {
        // the next opening deletes it
      }
      return;
    }
    try {
      disk.move(tmp, file(next));
      disk.syncDirectory(dir);
      closeChannel();
      channel = fresh;
      end = freshEnd;
      sequence = freshSequence;
      compactions++;
      disk.delete(file(oldGeneration));
      disk.syncDirectory(dir);
    } catch (IOException e) {
      broken = "the relay's idempotency log could not be compacted into " + file(next) + " (" + e.getMessage()
          + "); restart the relay once the disk is writable";
      Logger.error(broken);
    }
  }

  /** Forgets records past the window; returns how many. Their space is reclaimed by compaction. */
  synchronized int dropExpired(Instant now) {
    int dropped = forgetExpired(now);
    if (dropped > 0 && broken == null) {
      compactIfLarge();
    }
    return dropped;
  }

  private int forgetExpired(Instant now) {
    int before = records.size();
    records.values().removeIf(h -> {
      if (h.record().expiredAt(now, window)) {
        liveBytes -= h.bytes();
        return true;
      }
      return false;
    });
    return before - records.size();
  }

  synchronized Optional<IdempotencyRecord> find(IdempotencyRecord.Key key) {
    return Optional.ofNullable(records.get(key)).map(Held::record);
  }

  synchronized List<IdempotencyRecord> all() {
    return records.values().stream().map(Held::record).toList();
  }

  /** Writes appended (each one batch and one flush) since opening. */
  long appends() {
    return appends;
  }

  /** Compactions since opening. */
  synchronized long compactions() {
    return compactions;
  }

  /** Bytes in the current file. */
  synchronized long bytes() {
    return end;
  }

  @Override
  public synchronized void close() {
    closeChannel();
  }

  private void closeChannel() {
    closeQuietly(channel);
    channel = null;
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch == null) {
      return;
    }
    try {
      ch.close();
    } catch (IOException e) {
      Logger.warn("closing the relay's idempotency log failed: {}", e.getMessage());
    }
  }

  /** One write's view of the records: applies each change at once, remembers how to undo it, and encodes it. */
  private final class Staged implements IdempotencyRecords {
    private record Undo(IdempotencyRecord.Key key, Held previous) {}

    final ByteArrayOutputStream entries = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(entries);
    private final Deque<Undo> undo = new ArrayDeque<>();

    @Override
    public Optional<IdempotencyRecord> find(IdempotencyRecord.Key key) {
      return IdempotencyLog.this.find(key);
    }

    @Override
    public List<IdempotencyRecord> all() {
      return IdempotencyLog.this.all();
    }

    @Override
    public void put(IdempotencyRecord record) {
      int before = entries.size();
      try {
        writePut(out, record);
      } catch (IOException e) {
        throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
      }
      replace(record.key(), new Held(record, entries.size() - before));
    }

    @Override
    public Optional<IdempotencyRecord> putIfAbsent(IdempotencyRecord record) {
      Optional<IdempotencyRecord> there = find(record.key());
      if (there.isEmpty()) {
        put(record);
      }
      return there;
    }

    @Override
    public boolean remove(IdempotencyRecord.Key key) {
      if (!records.containsKey(key)) {
        return false;
      }
      try {
        out.writeByte(REMOVE);
        out.writeUTF(key.keyId());
        out.writeUTF(key.idempotencyKey());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      replace(key, null);
      return true;
    }

    private void replace(IdempotencyRecord.Key key, Held now) {
      Held previous = now == null ? records.remove(key) : records.put(key, now);
      undo.push(new Undo(key, previous));
      liveBytes += (now == null ? 0 : now.bytes()) - (previous == null ? 0 : previous.bytes());
    }

    void undo() {
      while (!undo.isEmpty()) {
        Undo u = undo.pop();
        Held current = u.previous() == null ? records.remove(u.key()) : records.put(u.key(), u.previous());
        liveBytes += (u.previous() == null ? 0 : u.previous().bytes()) - (current == null ? 0 : current.bytes());
      }
    }
  }
}
