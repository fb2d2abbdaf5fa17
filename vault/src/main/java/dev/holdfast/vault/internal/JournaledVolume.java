package dev.holdfast.vault.internal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.zip.CRC32C;
import org.mapdb.DataInput2;
import dev.holdfast.vault.Disk;
import org.mapdb.volume.Volume;
import org.tinylog.Logger;

/**
 * A MapDB {@link Volume} over one file whose every {@link #sync()} is atomic: a redo journal of
 * whole pages.
 *
 * <p>Why: MapDB 3.1.0's {@code StoreWAL} writes its WAL but never replays it when the store is
 * opened, and it writes index values and free-list pages straight into the store file at commit.
 * A crash (kill -9, power cut) inside that in-place phase leaves a torn store ("Header checksum
 * broken"). Here nothing reaches the store file until the pages of a commit sit, checksummed and
 * fsynced, in a journal; only then are they written in place.
 *
 * <p>One flush per commit: {@link #SLOTS} journal slots ({@code <file>.journal-0} to {@code -3})
 * take the commits in turn, each with a sequence number, and the store file is flushed only when
 * the slot about to be overwritten holds a journal whose pages it may not have durably yet, that
 * is before every {@code SLOTS}th commit. So every commit whose in-place writes might still be
 * lost has its journal on disk. At open, the newest complete journal and its predecessors in
 * unbroken sequence are laid over the file in memory, oldest first (a read-only open changes no
 * byte), and written for good by the next {@link #sync()}; a torn journal is ignored, because the
 * store was never touched for it. Replaying journals again is harmless (whole page images, in
 * order), and nothing newer than the newest complete journal can be in the store.
 *
 * <p>A write that leaves a page as it was does not make it dirty: MapDB rewrites its whole header
 * (nine pages) at every commit, and most of it does not change.
 *
 * <p>Journals are bound to their file: each holds page 0 (MapDB's header, rewritten by every
 * commit) and that page's image from before the commit. They are honoured only if each 512-byte
 * sector of the file's page 0 equals the same sector of page 0 before the oldest of them or after
 * one of them, so journals left beside another file (a backup copied over the store, say) are
 * never laid over it, while a page 0 torn mid-write still is recognised.
 */
public final class JournaledVolume extends Volume {
  static final int PAGE = 4096;
  /**
   * Journal slots: the store file is flushed once every {@code SLOTS} commits, at the price of up to
   * that many journals (each of one commit's pages) on disk.
   */
  static final int SLOTS = 4;
  /** Clean pages kept in memory: 4 MiB. */
  static final int CACHED_PAGES = 1024;
  private static final int MAGIC = 0x48464a32; // "HFJ2"
  private static final int SECTOR = 512;
  private static final int HEADER = 4 + 8 + 8 + 4 + PAGE;
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  private final Disk disk;
  private final Path path;
  private final FileChannel data;
  private final FileChannel[] journals = new FileChannel[SLOTS];
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final TreeMap<Long, byte[]> dirty = new TreeMap<>();
  /**
   * Pages as they are in the file, the most recently used ones: MapDB reads a few bytes at a time
   * (an index slot, a node), and each read of the file would be a system call. Only this process
   * writes the file (it holds the lock), so a cached page stays true until this class writes it.
   */
  private final Map<Long, byte[]> clean = new java.util.LinkedHashMap<>(256, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
      return size() > CACHED_PAGES;
    }
  };
  /** A page as this volume holds it, remembered by its number. */
  private record PageRef(long pageNo, byte[] bytes) {}

  /**
   * The pages read last, one per page number modulo its length: MapDB reads a few bytes at a time,
   * mostly from a page it read just before, and this spares those reads the cache's lookup. An
   * entry is dropped when its page is made dirty or leaves the file.
   */
  private final PageRef[] recent = new PageRef[64];
  private long length;
  private long sequence;
  /** Every commit up to this sequence has its pages durably in the store file. */
  private long storeFlushedThrough;

  /** @param data the store file, open for reading and writing, already locked by the caller */
  public JournaledVolume(Disk disk, Path path, FileChannel data) throws IOException {
    this.disk = disk;
    this.path = path;
    this.data = data;
    this.length = data.size();
    loadJournals();
  }

  /**
   * A journal slot that is a symlink (or anything but a regular file): following it would read
   * pages from, or write them to, a file someone else chose.
   */
  public static final class UnsafeJournalException extends IOException {
    private static final long serialVersionUID = 1L;

    UnsafeJournalException(Path slot, String what) {
      super("journal " + slot + " is " + what);
    }
  }

  /** The journal slots that belong to a store file. */
  public static List<Path> journalsOf(Path file) {
    List<Path> slots = new java.util.ArrayList<>(SLOTS);
    for (int i = 0; i < SLOTS; i++) {
      slots.add(file.resolveSibling(file.getFileName() + ".journal-" + i));
    }
    return List.copyOf(slots);
  }

  /** True when pages of an interrupted commit are laid over the file and not yet written. */
  public boolean recovered() {
    return !dirty.isEmpty();
  }

  private void loadJournals() throws IOException {
    TreeMap<Long, Journal> complete = new TreeMap<>();
    for (Path slot : journalsOf(path)) {
      if (disk.isSymbolicLink(slot)) {
        throw new UnsafeJournalException(slot, "a symlink");
      }
      if (disk.exists(slot) && !disk.isRegularFile(slot)) {
        throw new UnsafeJournalException(slot, "not a regular file");
      }
      if (disk.exists(slot)) {
        Journal j = Journal.read(disk.readAll(slot));
        if (j != null) {
          complete.put(j.sequence, j);
        }
      }
    }
    if (complete.isEmpty()) {
      return;
    }
    sequence = complete.lastKey();
    // Not known to be flushed: the next commit flushes the store before it overwrites a slot.
    storeFlushedThrough = Long.MIN_VALUE;
    List<Journal> run = unbrokenRunTo(complete);
    byte[] page0 = new byte[PAGE];
    readFromFile(0, page0, 0, PAGE);
    if (!belongsTo(page0, run)) {
      Logger.warn("{}: ignoring journals that belong to another file (was the store replaced?)", path);
      return;
    }
    TreeMap<Long, byte[]> laid = new TreeMap<>();
    run.forEach(j -> laid.putAll(j.pages));
    // they normally were written in place already; keep only pages the file does not hold
    byte[] onDisk = new byte[PAGE];
    for (Map.Entry<Long, byte[]> e : laid.entrySet()) {
      readFromFile(e.getKey() * PAGE, onDisk, 0, PAGE);
      if (!Arrays.equals(onDisk, e.getValue())) {
        dirty.put(e.getKey(), e.getValue());
      }
    }
    long newestLength = run.get(run.size() - 1).length;
    if (!dirty.isEmpty() || newestLength != length) {
      length = newestLength;
    }
  }

  /**
   * The newest journal and its predecessors back to the first gap in the sequence, oldest first:
   * every commit whose pages may be missing from the store is among them (a slot is overwritten
   * only once the store holds the pages of the journal it held).
   */
  private static List<Journal> unbrokenRunTo(TreeMap<Long, Journal> complete) {
    java.util.ArrayDeque<Journal> run = new java.util.ArrayDeque<>();
    long expected = complete.lastKey();
    for (Journal j : complete.descendingMap().values()) {
      if (j.sequence != expected) {
        break;
      }
      run.addFirst(j);
      expected--;
    }
    return List.copyOf(run);
  }

  /**
   * Whether every sector of the file's page 0 is that sector before the oldest journal of the run
   * or after one of them: with flushes of the store deferred, any of those states may be on disk.
   */
  private static boolean belongsTo(byte[] filePage0, List<Journal> run) {
    List<byte[]> states = new java.util.ArrayList<>();
    states.add(run.get(0).page0Before);
    for (Journal j : run) {
      byte[] after = j.pages.get(0L);
      if (after == null) {
        return false;
      }
      states.add(after);
    }
    for (int s = 0; s < PAGE; s += SECTOR) {
      final int sector = s;
      if (states.stream().noneMatch(state -> Arrays.equals(filePage0, sector, sector + SECTOR, state, sector,
          sector + SECTOR))) {
        return false;
      }
    }
    return true;
  }

  /** One complete, checksummed journal as read from disk. */
  private record Journal(long sequence, long length, byte[] page0Before, TreeMap<Long, byte[]> pages) {
    static Journal read(byte[] all) {
      if (all.length < HEADER + 4) {
        return null;
      }
      ByteBuffer b = ByteBuffer.wrap(all);
      if (b.getInt() != MAGIC) {
        return null;
      }
      long sequence = b.getLong();
      long length = b.getLong();
      int count = b.getInt();
      byte[] page0Before = new byte[PAGE];
      b.get(page0Before);
      long expected = HEADER + (long) count * (8 + PAGE) + 4;
      if (count < 0 || expected > all.length) {
        return null; // torn: the commit never reached the store file
      }
      // bytes past the end are left from an older, longer journal in this slot
      int end = (int) expected;
      CRC32C crc = new CRC32C();
      crc.update(all, 0, end - 4);
      if ((int) crc.getValue() != ByteBuffer.wrap(all, end - 4, 4).getInt()) {
        return null; // torn, or the older journal's bytes under a new header
      }
      TreeMap<Long, byte[]> pages = new TreeMap<>();
      for (int i = 0; i < count; i++) {
        long pageNo = b.getLong();
        byte[] page = new byte[PAGE];
        b.get(page);
        pages.put(pageNo, page);
      }
      return new Journal(sequence, length, page0Before, pages);
    }
  }

  /**
   * Makes everything written so far durable and atomic: journal, fsync, write in place (flushed
   * with a later commit, see the class comment). Once the journal is durable the commit stands: if
   * writing in place then fails (disk full), the pages stay laid over the file and the next sync
   * tries again.
   */
  @Override
  public void sync() {
    lock.writeLock().lock();
    try {
      if (dirty.isEmpty() && length == data.size()) {
        return;
      }
      writeJournal();
      try {
        boolean shrinks = length < data.size();
        applyPages();
        synchronized (clean) {
          clean.putAll(dirty);
          if (shrinks) {
            clean.keySet().removeIf(pageNo -> (pageNo + 1) * PAGE > length);
            Arrays.fill(recent, null);
          }
        }
        dirty.clear();
      } catch (IOException e) {
        Logger.warn("{}: commit is safe in the journal, but writing it in place failed ({}); "
            + "will retry at the next commit", path, e.getMessage());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not commit to " + path + ": " + e.getMessage(), e);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Like {@link #sync()}, then removes the journals durably, so that the store file can be
   * replaced by a rename without an old journal ever being laid over the replacement.
   */
  public void checkpoint() throws IOException {
    sync();
    lock.writeLock().lock();
    try {
      if (!dirty.isEmpty()) {
        throw new IOException("could not write " + path + " in place; the journal keeps the data");
      }
      data.force(false);
      storeFlushedThrough = sequence;
      for (int i = 0; i < SLOTS; i++) {
        if (journals[i] != null) {
          journals[i].close();
          journals[i] = null;
        }
        disk.delete(journalsOf(path).get(i));
      }
      disk.syncDirectory(path.toAbsolutePath().getParent());
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void writeJournal() throws IOException {
    long next = sequence + 1;
    if (storeFlushedThrough < next - SLOTS) {
      // the slot about to be overwritten may hold the only durable copy of its commit's pages
      data.force(false);
      storeFlushedThrough = sequence;
    }
    pageForWrite(0); // page 0 is always in the journal: it ties the journal to this file
    byte[] page0Before = filePage(0);
    ByteBuffer buf = ByteBuffer.allocate(HEADER + dirty.size() * (8 + PAGE) + 4);
    buf.putInt(MAGIC).putLong(next).putLong(length).putInt(dirty.size()).put(page0Before);
    for (Map.Entry<Long, byte[]> e : dirty.entrySet()) {
      buf.putLong(e.getKey()).put(e.getValue());
    }
    CRC32C crc = new CRC32C();
    crc.update(buf.array(), 0, buf.position());
    buf.putInt((int) crc.getValue());
    buf.flip();
    FileChannel journal = journal((int) (next % SLOTS));
    // Overwritten in place, never truncated: the file keeps its size (and its blocks) from commit
    // to commit, so fdatasync has only the data to flush, not the file's metadata.
    Disk.writeFully(journal, buf, 0);
    journal.force(false);
    sequence = next;
  }

  private FileChannel journal(int slot) throws IOException {
    if (journals[slot] == null) {
      Path file = journalsOf(path).get(slot);
      boolean created = !disk.exists(file);
      try {
        journals[slot] = disk.open(file, created ? Disk.Mode.CREATE_NEW : Disk.Mode.READ_WRITE);
      } catch (FileSystemException e) {
        if (disk.isSymbolicLink(file)) {
          throw new UnsafeJournalException(file, "a symlink");
        }
        throw e;
      }
      if (created) {
        disk.syncDirectory(path.toAbsolutePath().getParent());
      }
    }
    return journals[slot];
  }

  private void applyPages() throws IOException {
    if (length > data.size()) {
      Disk.writeFully(data, ByteBuffer.wrap(new byte[1]), length - 1);
    }
    for (Map.Entry<Long, byte[]> e : dirty.entrySet()) {
      long offset = e.getKey() * PAGE;
      int n = (int) Math.min(PAGE, Math.max(0, length - offset));
      if (n > 0) {
        Disk.writeFully(data, ByteBuffer.wrap(e.getValue(), 0, n), offset);
      }
    }
    if (length < data.size()) {
      data.truncate(length);
    }
    // not flushed here: the journal holds these pages until writeJournal flushes the store
  }

  private byte[] pageForWrite(long pageNo) {
    byte[] page = dirty.get(pageNo);
    if (page == null) {
      page = filePage(pageNo).clone();
      dirty.put(pageNo, page);
      recent[recentSlot(pageNo)] = null;
    }
    return page;
  }

  private int recentSlot(long pageNo) {
    return (int) (pageNo & (recent.length - 1));
  }

  /** The page as this volume holds it: dirty, else as in the file; do not change it. */
  private byte[] currentPage(long pageNo) {
    int slot = recentSlot(pageNo);
    PageRef known = recent[slot];
    if (known != null && known.pageNo() == pageNo) {
      return known.bytes();
    }
    byte[] page = dirty.get(pageNo);
    if (page == null) {
      page = filePage(pageNo);
    }
    recent[slot] = new PageRef(pageNo, page);
    return page;
  }

  /** The page as the file holds it (zeros past its end), from the cache when it is there; do not change it. */
  private byte[] filePage(long pageNo) {
    synchronized (clean) {
      byte[] page = clean.get(pageNo);
      if (page == null) {
        page = new byte[PAGE];
        readFromFile(pageNo * PAGE, page, 0, PAGE);
        clean.put(pageNo, page);
      }
      return page;
    }
  }

  private void readFromFile(long offset, byte[] dst, int pos, int size) {
    try {
      ByteBuffer buf = ByteBuffer.wrap(dst, pos, size);
      Disk.readFully(data, buf, offset);
      if (buf.hasRemaining()) {
        Arrays.fill(dst, buf.position(), pos + size, (byte) 0);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void putData(long offset, byte[] src, int srcPos, int srcSize) {
    lock.writeLock().lock();
    try {
      long off = offset;
      int pos = srcPos;
      int remaining = srcSize;
      while (remaining > 0) {
        int within = (int) (off % PAGE);
        int n = Math.min(PAGE - within, remaining);
        if (!Arrays.equals(currentPage(off / PAGE), within, within + n, src, pos, pos + n)) {
          System.arraycopy(src, pos, pageForWrite(off / PAGE), within, n);
        }
        off += n;
        pos += n;
        remaining -= n;
      }
      length = Math.max(length, offset + srcSize);
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public void getData(long offset, byte[] bytes, int bytesPos, int size) {
    lock.readLock().lock();
    try {
      long off = offset;
      int pos = bytesPos;
      int remaining = size;
      while (remaining > 0) {
        int within = (int) (off % PAGE);
        int n = Math.min(PAGE - within, remaining);
        System.arraycopy(currentPage(off / PAGE), within, bytes, pos, n);
        off += n;
        pos += n;
        remaining -= n;
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void putData(long offset, ByteBuffer buf) {
    byte[] bytes = new byte[buf.remaining()];
    buf.get(bytes);
    putData(offset, bytes, 0, bytes.length);
  }

  @Override
  public void putLong(long offset, long value) {
    putData(offset, ByteBuffer.allocate(8).putLong(value).array(), 0, 8);
  }

  @Override
  public void putInt(long offset, int value) {
    putData(offset, ByteBuffer.allocate(4).putInt(value).array(), 0, 4);
  }

  @Override
  public void putByte(long offset, byte value) {
    putData(offset, new byte[] {value}, 0, 1);
  }

  @Override
  public long getLong(long offset) {
    int within = (int) (offset % PAGE);
    if (within <= PAGE - 8) {
      lock.readLock().lock();
      try {
        return (long) LONGS.get(currentPage(offset / PAGE), within);
      } finally {
        lock.readLock().unlock();
      }
    }
    byte[] b = new byte[8];
    getData(offset, b, 0, 8);
    return (long) LONGS.get(b, 0);
  }

  @Override
  public int getInt(long offset) {
    int within = (int) (offset % PAGE);
    if (within <= PAGE - 4) {
      lock.readLock().lock();
      try {
        return (int) INTS.get(currentPage(offset / PAGE), within);
      } finally {
        lock.readLock().unlock();
      }
    }
    byte[] b = new byte[4];
    getData(offset, b, 0, 4);
    return (int) INTS.get(b, 0);
  }

  @Override
  public byte getByte(long offset) {
    byte[] b = new byte[1];
    getData(offset, b, 0, 1);
    return b[0];
  }

  @Override
  public DataInput2 getDataInput(long offset, int size) {
    byte[] b = new byte[size];
    getData(offset, b, 0, size);
    return new DataInput2.ByteArray(b);
  }

  @Override
  public void ensureAvailable(long offset) {
    lock.writeLock().lock();
    try {
      length = Math.max(length, offset);
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public void truncate(long size) {
    lock.writeLock().lock();
    try {
      length = size;
      dirty.tailMap((size + PAGE - 1) / PAGE, true).clear();
      Arrays.fill(recent, null);
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public void clear(long startOffset, long endOffset) {
    putData(startOffset, new byte[(int) (endOffset - startOffset)], 0, (int) (endOffset - startOffset));
  }

  @Override
  public long length() {
    lock.readLock().lock();
    try {
      return length;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Drops what was not synced and closes both files; the caller releases its lock. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      dirty.clear();
      Arrays.fill(recent, null);
      synchronized (clean) {
        clean.clear();
      }
      for (FileChannel journal : journals) {
        if (journal != null) {
          journal.close();
        }
      }
      data.close();
    } catch (IOException e) {
      throw new UncheckedIOException("could not close " + path + ": " + e.getMessage(), e);
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public int sliceSize() {
    return -1;
  }

  @Override
  public boolean isSliced() {
    return false;
  }

  @Override
  public boolean isReadOnly() {
    return false;
  }

  @Override
  public File getFile() {
    return path.toFile();
  }

  @Override
  public boolean getFileLocked() {
    return true;
  }
}
