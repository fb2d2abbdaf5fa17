package dev.holdfast.agent.outbox.log;

import dev.holdfast.protocol.crypto.Aead;
import dev.holdfast.protocol.crypto.AuthenticationFailedException;
import dev.holdfast.vault.Disk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.tinylog.Logger;

/**
 * An append-only log of sealed batches in segment files. {@link #append} writes one batch and
 * flushes it (fdatasync) before it returns: that is the durability the outbox acknowledges. Every
 * entry appended as held stays until its owner {@link #release}s it; the oldest segment whose
 * entries are all released is retired (a {@code RETIRE} entry made durable first), and its file
 * kept as the spare that the next segment reuses, so that writing never allocates blocks in the
 * steady state. When the segments hold more than twice what is held, {@link #tidy} copies the
 * oldest segment's held entries forward and retires it.
 *
 * <p>All changes happen on one thread (the outbox's committer); {@link #read} may be called from
 * any thread.
 *
 * <p>Opening checks the whole log and refuses ({@link LogDamage}) anything a crash cannot have
 * left: a missing segment, a batch that fails authentication with intact batches behind it, a
 * segment that ends without handing over to the next, a log shorter than it was at the last clean
 * stop. What a crash does leave — the batch being written when the machine stopped, incomplete and
 * never acknowledged — is discarded with a warning.
 */
public final class SegmentLog {
  static final int ROLL = 0x7e;
  static final int RETIRE = 0x7f;
  /** Room kept at the end of every segment for the batch that hands over to the next. */
  static final int ROLL_RESERVE = 128;
  static final String SPARE = "spare.seg";
  private static final int ZERO_CHUNK = 64 * 1024;
  /** The most entry bytes one batch of copies carries. */
  private static final int COPY_BATCH = 256 * 1024;

  /**
   * @param segmentBytes the size of a segment file (larger when one batch needs it)
   * @param cacheBytes the most plaintext of read batches kept in memory
   */
  public record Options(int segmentBytes, long cacheBytes) {
    public Options {
      if (segmentBytes < 4096 || segmentBytes % 4096 != 0) {
        throw new IllegalArgumentException("a segment must be a multiple of 4 KiB, at least 4 KiB: " + segmentBytes);
      }
    }
  }

  /** Takes every entry of the owner's at open, in log order; it holds and releases them. */
  @FunctionalInterface
  public interface Replay {
    void entry(SegmentLog log, byte[] plaintext, Location at) throws Wire.Malformed;
  }

  /** The owner of the entries, asked when held entries are copied forward. */
  public interface Owner {
    /** The held entries of the owner's that lie in {@code segment}. */
    List<Location> heldIn(long segment);

    /** A held entry was copied to {@code to}; {@code from} is let go. */
    void moved(byte[] body, Location from, Location to);
  }

  /** What the log occupies. */
  public record Status(int segments, long fileBytes, long heldBytes, long heldEntries, long spareBytes) {}

  private final Disk disk;
  private final Path dir;
  private final BatchCodec codec;
  private final Options options;
  private final BatchCache cache;
  /** Live segments, oldest first; changed under {@code files}' write lock. */
  private final TreeMap<Long, Segment> segments = new TreeMap<>();
  private final ReentrantReadWriteLock files = new ReentrantReadWriteLock();
  private Segment active;
  private long sequence;
  private int spareCapacity = -1;
  private String failed;

  private SegmentLog(Disk disk, Path dir, Aead aead, Options options) {
    this.disk = disk;
    this.dir = dir;
    this.codec = new BatchCodec(aead);
    this.options = options;
    this.cache = new BatchCache(options.cacheBytes());
  }

  /**
   * Opens the log in {@code dir}, or starts one there.
   *
   * @param existed whether a log was started here before (so an empty directory means it was lost)
   * @param mark how far the log reached at its last clean stop, if known
   */
  public static SegmentLog open(Disk disk, Path dir, Aead aead, Options options, boolean existed,
      Optional<Mark> mark, Replay replay) throws IOException, LogDamage {
    SegmentLog log = new SegmentLog(disk, dir, aead, options);
    log.load(existed, mark, replay);
    return log;
  }

  public Path directory() {
    return dir;
  }

  // ---- opening ---------------------------------------------------------------------------

  private void load(boolean existed, Optional<Mark> mark, Replay replay) throws IOException, LogDamage {
    LogScanner.Result found = new LogScanner(disk, dir, codec, this, false).scan(existed, mark, replay);
    if (found.live.isEmpty()) {
      start(found.leftovers, 1, 0);
      return;
    }
    files.writeLock().lock();
    try {
      segments.clear();
      segments.putAll(found.live);
    } finally {
      files.writeLock().unlock();
    }
    // everything checks out: only now may the directory change
    active = segments.lastEntry().getValue();
    if (found.tornAt >= 0) {
      Logger.warn("outbox segment {}: an incomplete batch of {} bytes at offset {} was discarded; it was being"
          + " written when the agent stopped and was never acknowledged", active.path, found.tornLength, found.tornAt);
    }
    sequence = found.lastSequence;
    active.writer = disk.open(active.path, Disk.Mode.READ_WRITE);
    spareCapacity = found.spareCapacity;
    boolean changed = false;
    for (Path p : found.leftovers) {
      disk.delete(p);
      changed = true;
    }
    for (Segment s : found.retired) {
      keepAsSpareOrDelete(s);
      changed = true;
    }
    if (found.unused != null) {
      keepAsSpareOrDelete(found.unused);
      changed = true;
    }
    if (changed) {
      disk.syncDirectory(dir);
    }
  }

  /** Takes a segment in while the log is read at open (replay may hold its entries). */
  void adopt(Segment s) {
    files.writeLock().lock();
    try {
      segments.put(s.number, s);
    } finally {
      files.writeLock().unlock();
    }
  }

  /** A fresh log: its first segment {@code first}, its batches' sequence going on after {@code sequenceAfter}. */
  private void start(List<Path> leftovers, long first, long sequenceAfter) throws IOException {
    disk.createDirectories(dir);
    for (Path p : leftovers) {
      disk.delete(p);
    }
    Segment made = prepare(first, options.segmentBytes(), first);
    adopt(made);
    active = made;
    sequence = sequenceAfter;
    active.writer = disk.open(active.path, Disk.Mode.READ_WRITE);
  }

  /** What a lenient read of a damaged log kept, and what it found wrong. */
  public record Salvage(SegmentLog log, List<String> findings, long highestSegment, long lastSequence) {}

  /**
   * Reads whatever is intact in {@code dir}, noting (not refusing) every damage: for a repair,
   * which then writes what was kept into a fresh log with {@link #startAfter}. The returned log
   * is for reading only.
   */
  public static Salvage salvage(Disk disk, Path dir, Aead aead, Options options, Optional<Mark> mark, Replay replay)
      throws IOException {
    SegmentLog log = new SegmentLog(disk, dir, aead, options);
    try {
      LogScanner.Result found = new LogScanner(disk, dir, log.codec, log, true).scan(true, mark, replay);
      return new Salvage(log, found.findings, found.highestSegment, found.lastSequence);
    } catch (LogDamage e) {
      throw new IllegalStateException("a lenient scan refused: " + e.getMessage(), e);
    }
  }

  /**
   * A new, empty log in {@code dir} (which must hold no segment) whose numbers go on after an old
   * one's, so that nothing of the old log could ever pass for part of it.
   */
  public static SegmentLog startAfter(Disk disk, Path dir, Aead aead, Options options, long highestSegment,
      long lastSequence) throws IOException {
    SegmentLog log = new SegmentLog(disk, dir, aead, options);
    log.start(List.of(), highestSegment + 1, lastSequence);
    return log;
  }

  // ---- appending ---------------------------------------------------------------------------

  /** A batch written: where, how long, and its plaintext's entry offsets. */
  private record Written(int offset, int length, BatchCodec.Encoded encoded) {}

  /**
   * Writes {@code entries} as one batch and flushes it; when this returns they are durable. Held
   * entries are counted until released. Makes a new segment first when the batch does not fit.
   */
  public List<Location> append(List<LogEntry> entries) throws IOException {
    if (failed != null) {
      throw new IOException(failed);
    }
    if (entries.isEmpty()) {
      return List.of();
    }
    int size = BatchCodec.sizeOf(entries);
    if (active.end + size > active.capacity - ROLL_RESERVE) {
      roll(size);
    }
    Written w = writeBatch(active, entries);
    List<Location> out = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      LogEntry e = entries.get(i);
      Location at = new Location(active.number, w.offset, w.length, w.encoded.entryOffsets()[i], e.body().length,
          e.type());
      if (e.held()) {
        hold(at);
      }
      out.add(at);
    }
    cache.put(active.number, w.offset, w.encoded.plaintext());
    return out;
  }

  private Written writeBatch(Segment seg, List<LogEntry> entries) throws IOException {
    int offset = seg.end;
    BatchCodec.Encoded encoded = codec.encode(seg.number, offset, sequence + 1, entries);
    try {
      Disk.writeFully(seg.writer, ByteBuffer.wrap(encoded.bytes()), offset);
      seg.writer.force(false);
    } catch (IOException e) {
      takeBack(seg, offset, e);
      throw e;
    }
    sequence++;
    seg.end += encoded.bytes().length;
    seg.batches++;
    return new Written(offset, encoded.bytes().length, encoded);
  }

  /**
   * A batch could not be made durable, and its caller is told it was not stored: so it must never
   * be read back. Its header is overwritten and flushed; if even that fails, the log stops taking
   * changes (the caller's error then says the disk is failing).
   */
  private void takeBack(Segment seg, int offset, IOException cause) {
    try {
      Disk.writeFully(seg.writer, ByteBuffer.allocate(BatchCodec.HEADER), offset);
      seg.writer.force(false);
      Logger.warn("outbox segment {}: a batch at offset {} could not be written ({}); it was taken back",
          seg.path, offset, cause.getMessage());
    } catch (IOException | RuntimeException e) {
      failed = "the outbox's disk failed while writing " + seg.path + " (" + cause.getMessage() + "; then "
          + e.getMessage() + "); records in the batch being written may or may not be stored: restart the agent"
          + " after checking the disk, and send them again with the same idempotency key";
      Logger.error(failed);
    }
  }

  private void roll(int batchSize) throws IOException {
    int capacity = Math.max(options.segmentBytes(),
        roundUp(Segment.HEADER + batchSize + ROLL_RESERVE, 4096));
    long next = active.number + 1;
    Segment made = prepare(next, capacity, segments.firstKey());
    try {
      Wire.Writer body = new Wire.Writer(8).u64(next);
      writeBatch(active, List.of(new LogEntry(ROLL, body.toByteArray(), false)));
    } catch (IOException e) {
      // the new segment is there, unused: the next roll makes it again
      deleteQuietly(made.path);
      throw e;
    }
    closeQuietly(active.writer);
    active.writer = null;
    files.writeLock().lock();
    try {
      segments.put(made.number, made);
    } finally {
      files.writeLock().unlock();
    }
    made.writer = disk.open(made.path, Disk.Mode.READ_WRITE);
    active = made;
  }

  /**
   * Makes segment {@code number} durable before anything refers to it: the spare file with a new
   * header, or a new file written with zeros to its full size (so later appends never allocate).
   */
  private Segment prepare(long number, int capacity, long firstLive) throws IOException {
    Path target = dir.resolve(Segment.name(number));
    Path spare = dir.resolve(SPARE);
    if (spareCapacity >= capacity) {
      int size = spareCapacity;
      try (FileChannel ch = disk.open(spare, Disk.Mode.READ_WRITE)) {
        Disk.writeFully(ch, ByteBuffer.wrap(Segment.header(number, size, firstLive)), 0);
        ch.force(false);
      }
      disk.move(spare, target);
      spareCapacity = -1;
      disk.syncDirectory(dir);
      return new Segment(number, target, size, firstLive);
    }
    Path temp = dir.resolve(Segment.name(number) + ".tmp");
    disk.delete(temp);
    try {
      try (FileChannel ch = disk.open(temp, Disk.Mode.CREATE_NEW)) {
        ByteBuffer zeros = ByteBuffer.allocate(Math.min(ZERO_CHUNK, capacity));
        for (long at = 0; at < capacity; at += zeros.capacity()) {
          zeros.clear().limit((int) Math.min(zeros.capacity(), capacity - at));
          Disk.writeFully(ch, zeros, at);
        }
        Disk.writeFully(ch, ByteBuffer.wrap(Segment.header(number, capacity, firstLive)), 0);
        ch.force(false);
      }
      disk.move(temp, target);
      disk.syncDirectory(dir);
    } catch (IOException e) {
      deleteQuietly(temp);
      throw new IOException("could not make the outbox's next segment " + target + " (" + capacity
          + " bytes): " + e.getMessage() + "; free disk space", e);
    }
    return new Segment(number, target, capacity, firstLive);
  }

  private static int roundUp(int n, int to) {
    return (n + to - 1) / to * to;
  }

  // ---- holding, retiring, copying -----------------------------------------------------------

  /** Counts an entry as held: its segment is kept until it is released. */
  public void hold(Location at) {
    Segment s = segments.get(at.segment());
    if (s != null) {
      s.held++;
      s.heldBytes += at.entryLength();
    }
  }

  /** Lets a held entry go. */
  public void release(Location at) {
    Segment s = segments.get(at.segment());
    if (s != null) {
      s.held--;
      s.heldBytes -= at.entryLength();
    }
  }

  /**
   * Retires every oldest segment whose entries were all released, and — when the segments hold
   * more than twice what is held (plus two segments) — copies the oldest segment's held entries
   * forward first. Call after a commit, on the committing thread.
   */
  public void tidy(Owner owner) throws IOException {
    if (failed != null) {
      return;
    }
    retireReleased();
    if (segments.size() >= 3 && compactionDue()) {
      copyForward(segments.firstEntry().getValue(), owner);
      retireReleased();
    }
  }

  private boolean compactionDue() {
    long fileBytes = 0;
    long held = 0;
    for (Segment s : segments.values()) {
      fileBytes += s.capacity;
      held += s.heldBytes;
    }
    return fileBytes > 2 * held + 2L * options.segmentBytes();
  }

  private void retireReleased() throws IOException {
    List<Segment> ready = new ArrayList<>();
    for (Segment s : segments.values()) {
      if (s == active || s.held > 0) {
        break;
      }
      ready.add(s);
    }
    if (ready.isEmpty()) {
      return;
    }
    List<LogEntry> retire = new ArrayList<>();
    for (Segment s : ready) {
      retire.add(new LogEntry(RETIRE, new Wire.Writer(8).u64(s.number).toByteArray(), false));
    }
    append(retire);
    files.writeLock().lock();
    try {
      for (Segment s : ready) {
        segments.remove(s.number);
        closeQuietly(s.reader);
        s.reader = null;
        cache.forget(s.number);
      }
    } finally {
      files.writeLock().unlock();
    }
    for (Segment s : ready) {
      keepAsSpareOrDelete(s);
    }
    disk.syncDirectory(dir);
  }

  /** The spare is the one file kept for reuse, and only of the usual size. */
  private void keepAsSpareOrDelete(Segment s) throws IOException {
    closeQuietly(s.writer);
    closeQuietly(s.reader);
    if (spareCapacity < 0 && s.capacity == options.segmentBytes()) {
      disk.move(s.path, dir.resolve(SPARE));
      spareCapacity = s.capacity;
    } else {
      disk.delete(s.path);
    }
  }

  private void copyForward(Segment oldest, Owner owner) throws IOException {
    List<Location> held = new ArrayList<>(owner.heldIn(oldest.number));
    if (held.size() != oldest.held) {
      throw new IllegalStateException("outbox segment " + oldest + " holds " + oldest.held + " entries, its owner "
          + held.size());
    }
    held.sort(Comparator.comparingInt(Location::batchOffset).thenComparingInt(Location::entryOffset));
    List<LogEntry> chunk = new ArrayList<>();
    List<Location> from = new ArrayList<>();
    int bytes = 0;
    for (Location at : held) {
      byte[] body = read(at);
      if (body == null) {
        throw new IllegalStateException("a held entry of " + oldest + " is gone");
      }
      chunk.add(new LogEntry(at.type(), body, true));
      from.add(at);
      bytes += body.length;
      if (bytes >= Math.min(COPY_BATCH, options.segmentBytes() / 4)) { // batches that fit the usual segment
        moveChunk(chunk, from, owner);
        bytes = 0;
      }
    }
    moveChunk(chunk, from, owner);
  }

  private void moveChunk(List<LogEntry> chunk, List<Location> from, Owner owner) throws IOException {
    if (chunk.isEmpty()) {
      return;
    }
    List<Location> to = append(chunk);
    for (int i = 0; i < chunk.size(); i++) {
      owner.moved(chunk.get(i).body(), from.get(i), to.get(i));
      release(from.get(i));
    }
    chunk.clear();
    from.clear();
  }

  // ---- reading -----------------------------------------------------------------------------

  /**
   * The bytes of the entry at {@code at}; {@code null} if its segment was retired meanwhile (the
   * entry was copied forward: ask its owner where it is now).
   *
   * @throws IOException if the file cannot be read or the batch no longer authenticates
   */
  public byte[] read(Location at) throws IOException {
    files.readLock().lock();
    try {
      Segment s = segments.get(at.segment());
      if (s == null) {
        return null;
      }
      byte[] plain = cache.get(at.segment(), at.batchOffset());
      if (plain == null) {
        plain = readBatch(s, at);
        cache.put(at.segment(), at.batchOffset(), plain);
      }
      return Arrays.copyOfRange(plain, at.entryOffset(), at.entryOffset() + at.entryLength());
    } finally {
      files.readLock().unlock();
    }
  }

  private byte[] readBatch(Segment s, Location at) throws IOException {
    byte[] buf = new byte[at.batchLength()];
    int n;
    try {
      n = Disk.readFully(reader(s), ByteBuffer.wrap(buf), at.batchOffset());
    } catch (ClosedByInterruptException e) {
      throw e;
    } catch (ClosedChannelException e) {
      n = Disk.readFully(reader(s), ByteBuffer.wrap(buf), at.batchOffset()); // another reader was interrupted
    }
    BatchCodec.Header h = n == buf.length ? BatchCodec.header(buf, 0, buf.length, s.number) : null;
    if (h == null || h.length() != buf.length) {
      throw new IOException("outbox segment " + s.path + " no longer holds a whole batch at offset "
          + at.batchOffset() + " (the file was changed)");
    }
    try {
      return codec.open(h, at.batchOffset(), buf, 0);
    } catch (AuthenticationFailedException e) {
      throw new IOException("outbox segment " + s.path + ": the batch at offset " + at.batchOffset()
          + " fails authentication (the file was changed or the disk returned bad data)");
    }
  }

  private FileChannel reader(Segment s) throws IOException {
    FileChannel ch = s.reader;
    if (ch == null || !ch.isOpen()) {
      synchronized (s) {
        ch = s.reader;
        if (ch == null || !ch.isOpen()) {
          ch = disk.open(s.path, Disk.Mode.READ);
          s.reader = ch;
        }
      }
    }
    return ch;
  }

  // ---- state -------------------------------------------------------------------------------

  public Status status() {
    files.readLock().lock();
    try {
      long fileBytes = 0;
      long held = 0;
      long entries = 0;
      for (Segment s : segments.values()) {
        fileBytes += s.capacity;
        held += s.heldBytes;
        entries += s.held;
      }
      long spare = Math.max(0, spareCapacity);
      return new Status(segments.size(), fileBytes + spare, held, entries, spare);
    } finally {
      files.readLock().unlock();
    }
  }

  /** The segment numbers, oldest first (for tests and reports). */
  public List<Long> segmentNumbers() {
    files.readLock().lock();
    try {
      return List.copyOf(segments.keySet());
    } finally {
      files.readLock().unlock();
    }
  }

  /** The failure that stopped the log from taking changes, if any. */
  public Optional<String> failure() {
    return Optional.ofNullable(failed);
  }

  /** Closes the files; returns how far the log reached, for the next open to check. */
  public Mark close() {
    files.writeLock().lock();
    try {
      Mark mark = active == null ? null : new Mark(active.number, active.end, sequence);
      for (Segment s : segments.values()) {
        closeQuietly(s.writer);
        closeQuietly(s.reader);
        s.writer = null;
        s.reader = null;
      }
      return mark;
    } finally {
      files.writeLock().unlock();
    }
  }

  private void deleteQuietly(Path p) {
    try {
      disk.delete(p);
    } catch (IOException e) {
      Logger.warn("could not remove {}: {}", p, e.getMessage());
    }
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException e) {
        Logger.debug("closing a segment: {}", e.getMessage());
      }
    }
  }
}
