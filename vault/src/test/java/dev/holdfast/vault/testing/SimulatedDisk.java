package dev.holdfast.vault.testing;

import dev.holdfast.vault.Disk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A disk in memory that knows what a crash would leave: for every file what was flushed ({@code
 * force}) and what was only written, for every directory which creations, renames and deletions
 * were made durable ({@code syncDirectory}) and which not. Every write, flush, truncation,
 * creation, rename, deletion and directory sync is an I/O point, numbered from 1; {@link
 * #stopAt(int)} makes point {@code n} fail with {@link Crash} and every operation after it too,
 * as if the machine had stopped there. {@link #afterCrash(Survival)} then gives the disk as the
 * machine would find it when it starts again, in one of several ways a real disk may leave it
 * (SQLite's crash tests work the same way).
 *
 * <p>The model: a sector written is either old or new, never a mix (the disk writes 512-byte
 * sectors atomically); writes not yet flushed may all be lost or all kept, and the write cut by
 * the crash may be torn at a sector boundary, either half reaching the disk.
 */
public final class SimulatedDisk implements Disk {
  private static final int SECTOR = 512;

  /** The machine stopped at this I/O point (or before this operation, at an earlier one). */
  public static final class Crash extends IOException {
    private static final long serialVersionUID = 1L;

    Crash(String message) {
      super(message);
    }
  }

  /** What an I/O point does. */
  public enum Kind { WRITE, FLUSH, TRUNCATE, CREATE, RENAME, DELETE, SYNC_DIRECTORY }

  /** One I/O point: its number, what it did, to which file, and the phase the workload had named. */
  public record Point(int number, Kind kind, Path path, String phase) {}

  /** How the disk is found after the crash. */
  public enum Survival {
    /** Only what was flushed (files) and synced (directories) survives. */
    FLUSHED_ONLY,
    /** Everything written before the crash point survives, as if the cache had been written back. */
    ALL_WRITTEN,
    /** As ALL_WRITTEN, and the first sectors of the write cut by the crash reached the disk. */
    TORN_HEAD,
    /** As ALL_WRITTEN, and the last sectors of the write cut by the crash reached the disk. */
    TORN_TAIL
  }

  /** A file's bytes: as the running machine sees them, and as they were at the last flush. */
  private static final class Inode {
    byte[] current = new byte[0];
    byte[] flushed = new byte[0];
    boolean locked;

    static Inode copyOf(byte[] content) {
      Inode i = new Inode();
      i.current = content.clone();
      i.flushed = content.clone();
      return i;
    }
  }

  private final Map<Path, Inode> names = new TreeMap<>();
  private final Map<Path, Inode> syncedNames = new TreeMap<>();
  private final Set<Path> directories = new TreeSet<>();
  private final List<Point> points = new ArrayList<>();
  private int stopAt = -1;
  private Point stoppedAt;
  /** The write cut by the crash: file, offset, bytes. */
  private Inode cutInode;
  private long cutOffset;
  private byte[] cutBytes;
  private String phase = "";

  /** Makes I/O point {@code n} (counting from 1) and all after it fail. */
  public synchronized SimulatedDisk stopAt(int n) {
    this.stopAt = n;
    return this;
  }

  /** Names the phase of the workload the next I/O points belong to (for reports). */
  public synchronized void phase(String name) {
    this.phase = name;
  }

  /** The I/O points so far. */
  public synchronized List<Point> points() {
    return List.copyOf(points);
  }

  /** The point the machine stopped at, if it did. */
  public synchronized java.util.Optional<Point> stoppedAt() {
    return java.util.Optional.ofNullable(stoppedAt);
  }

  /** Whether the point the machine stopped at was a write (so it can be torn). */
  public synchronized boolean stoppedInAWrite() {
    return cutBytes != null;
  }

  private Point point(Kind kind, Path path) throws Crash {
    if (stoppedAt != null) {
      throw new Crash("the machine stopped at I/O point " + stoppedAt.number() + " (" + stoppedAt.kind() + " "
          + stoppedAt.path().getFileName() + ")");
    }
    Point p = new Point(points.size() + 1, kind, path, phase);
    points.add(p);
    if (p.number() == stopAt) {
      stoppedAt = p;
      throw new Crash("simulated crash at I/O point " + p.number() + " (" + kind + " " + path.getFileName() + ")");
    }
    return p;
  }

  /** The disk as the machine finds it after the crash, the way {@code survival} says. */
  public synchronized SimulatedDisk afterCrash(Survival survival) {
    boolean keepWritten = survival != Survival.FLUSHED_ONLY;
    SimulatedDisk after = new SimulatedDisk();
    after.directories.addAll(directories);
    Map<Inode, Inode> copies = new IdentityHashMap<>();
    for (Map.Entry<Path, Inode> e : (keepWritten ? names : syncedNames).entrySet()) {
      Inode old = e.getValue();
      Inode copy = copies.computeIfAbsent(old, i -> {
        byte[] content = keepWritten ? i.current : i.flushed;
        if (i == cutInode && (survival == Survival.TORN_HEAD || survival == Survival.TORN_TAIL)) {
          content = torn(content, survival == Survival.TORN_HEAD);
        }
        return Inode.copyOf(content);
      });
      after.names.put(e.getKey(), copy);
      after.syncedNames.put(e.getKey(), copy);
    }
    return after;
  }

  /** {@code content} with part of the cut write in it: whole sectors, the first or the last part. */
  private byte[] torn(byte[] content, boolean head) {
    long end = cutOffset + cutBytes.length;
    long cut = (cutOffset / SECTOR + 1) * SECTOR;
    if (cut >= end) {
      cut = cutOffset + cutBytes.length / 2; // within one sector: a torn sector, the worst case
    }
    long from = head ? cutOffset : cut;
    long to = head ? cut : end;
    byte[] out = Arrays.copyOf(content, (int) Math.max(content.length, to));
    System.arraycopy(cutBytes, (int) (from - cutOffset), out, (int) from, (int) (to - from));
    return out;
  }

  /** A copy of one file's current content (for assertions). */
  public synchronized byte[] content(Path file) throws NoSuchFileException {
    Inode i = names.get(file);
    if (i == null) {
      throw new NoSuchFileException(file.toString());
    }
    return i.current.clone();
  }

  /** Replaces a file's content at once, durably (for setting up damage). */
  public synchronized void overwrite(Path file, byte[] content) throws NoSuchFileException {
    Inode i = names.get(file);
    if (i == null) {
      throw new NoSuchFileException(file.toString());
    }
    i.current = content.clone();
    i.flushed = content.clone();
  }

  @Override
  public synchronized FileChannel open(Path file, Mode mode) throws IOException {
    if (mode == Mode.CREATE_NEW) {
      if (names.containsKey(file)) {
        throw new FileAlreadyExistsException(file.toString());
      }
      requireDirectory(file.getParent());
      point(Kind.CREATE, file);
      Inode inode = new Inode();
      names.put(file, inode);
      return new Channel(file, inode, false);
    }
    Inode inode = names.get(file);
    if (inode == null) {
      throw new NoSuchFileException(file.toString());
    }
    return new Channel(file, inode, mode == Mode.READ);
  }

  private void requireDirectory(Path dir) throws NoSuchFileException {
    if (dir != null && !directories.contains(dir)) {
      throw new NoSuchFileException(dir + " (no such directory)");
    }
  }

  @Override
  public synchronized boolean exists(Path path) {
    return names.containsKey(path) || directories.contains(path);
  }

  @Override
  public synchronized boolean isRegularFile(Path path) {
    return names.containsKey(path);
  }

  @Override
  public synchronized long size(Path file) throws IOException {
    Inode i = names.get(file);
    if (i == null) {
      throw new NoSuchFileException(file.toString());
    }
    return i.current.length;
  }

  @Override
  public synchronized List<Path> list(Path dir) {
    List<Path> out = new ArrayList<>();
    for (Path p : names.keySet()) {
      if (dir.equals(p.getParent())) {
        out.add(p);
      }
    }
    for (Path d : directories) {
      if (dir.equals(d.getParent())) {
        out.add(d);
      }
    }
    out.sort(null);
    return out;
  }

  @Override
  public synchronized void createDirectories(Path dir) {
    for (Path d = dir; d != null; d = d.getParent()) {
      directories.add(d);
    }
  }

  @Override
  public synchronized void move(Path from, Path to) throws IOException {
    Inode i = names.get(from);
    if (i == null) {
      throw new NoSuchFileException(from.toString());
    }
    point(Kind.RENAME, to);
    names.remove(from);
    names.put(to, i);
  }

  @Override
  public synchronized void delete(Path file) throws IOException {
    if (names.containsKey(file)) {
      point(Kind.DELETE, file);
      names.remove(file);
    }
  }

  @Override
  public synchronized void syncDirectory(Path dir) throws IOException {
    point(Kind.SYNC_DIRECTORY, dir);
    Set<Path> all = new TreeSet<>(names.keySet());
    all.addAll(syncedNames.keySet());
    for (Path p : all) {
      if (dir.equals(p.getParent())) {
        Inode i = names.get(p);
        if (i == null) {
          syncedNames.remove(p);
        } else {
          syncedNames.put(p, i);
        }
      }
    }
  }

  @Override
  public String toString() {
    return "a simulated disk";
  }

  /** A channel on one inode; positional and relative reads and writes, flush, truncate, lock. */
  private final class Channel extends FileChannel {
    private final Path path;
    private final Inode inode;
    private final boolean readOnly;
    private long position;

    Channel(Path path, Inode inode, boolean readOnly) {
      this.path = path;
      this.inode = inode;
      this.readOnly = readOnly;
    }

    @Override
    public int read(ByteBuffer dst, long at) throws IOException {
      synchronized (SimulatedDisk.this) {
        ensureOpen();
        if (stoppedAt != null) {
          throw new Crash("the machine stopped at I/O point " + stoppedAt.number());
        }
        if (at >= inode.current.length) {
          return -1;
        }
        int n = (int) Math.min(dst.remaining(), inode.current.length - at);
        dst.put(inode.current, (int) at, n);
        return n;
      }
    }

    @Override
    public int write(ByteBuffer src, long at) throws IOException {
      synchronized (SimulatedDisk.this) {
        ensureOpen();
        if (readOnly) {
          throw new java.nio.channels.NonWritableChannelException();
        }
        byte[] bytes = new byte[src.remaining()];
        src.get(bytes);
        try {
          point(Kind.WRITE, path);
        } catch (Crash c) {
          if (stoppedAt != null && stoppedAt.number() == points.size()) {
            cutInode = inode;
            cutOffset = at;
            cutBytes = bytes;
          }
          throw c;
        }
        if (at + bytes.length > inode.current.length) {
          inode.current = Arrays.copyOf(inode.current, (int) (at + bytes.length));
        }
        System.arraycopy(bytes, 0, inode.current, (int) at, bytes.length);
        return bytes.length;
      }
    }

    @Override
    public void force(boolean metaData) throws IOException {
      synchronized (SimulatedDisk.this) {
        ensureOpen();
        point(Kind.FLUSH, path);
        inode.flushed = inode.current.clone();
      }
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      synchronized (SimulatedDisk.this) {
        ensureOpen();
        if (size < inode.current.length) {
          point(Kind.TRUNCATE, path);
          inode.current = Arrays.copyOf(inode.current, (int) size);
        }
        position = Math.min(position, size);
        return this;
      }
    }

    @Override
    public long size() throws IOException {
      synchronized (SimulatedDisk.this) {
        ensureOpen();
        return inode.current.length;
      }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      int n = read(dst, position);
      if (n > 0) {
        position += n;
      }
      return n;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
      long total = 0;
      for (int i = offset; i < offset + length; i++) {
        int n = read(dsts[i]);
        if (n < 0) {
          return total == 0 ? -1 : total;
        }
        total += n;
      }
      return total;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      int n = write(src, position);
      position += n;
      return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      long total = 0;
      for (int i = offset; i < offset + length; i++) {
        total += write(srcs[i]);
      }
      return total;
    }

    @Override
    public long position() {
      return position;
    }

    @Override
    public FileChannel position(long newPosition) {
      position = newPosition;
      return this;
    }

    @Override
    public long transferTo(long at, long count, WritableByteChannel target) {
      throw new UnsupportedOperationException("not simulated");
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long at, long count) {
      throw new UnsupportedOperationException("not simulated");
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long at, long size) {
      throw new UnsupportedOperationException("not simulated");
    }

    @Override
    public FileLock lock(long at, long size, boolean shared) throws IOException {
      FileLock lock = tryLock(at, size, shared);
      if (lock == null) {
        throw new java.nio.channels.OverlappingFileLockException();
      }
      return lock;
    }

    @Override
    public FileLock tryLock(long at, long size, boolean shared) throws IOException {
      synchronized (SimulatedDisk.this) {
        ensureOpen();
        if (inode.locked) {
          return null;
        }
        inode.locked = true;
        return new Lock(this, at, size, shared);
      }
    }

    private void ensureOpen() throws java.nio.channels.ClosedChannelException {
      if (!isOpen()) {
        throw new java.nio.channels.ClosedChannelException();
      }
    }

    @Override
    protected void implCloseChannel() {
      // a lock held through this channel goes with it, as with a real one
      if (lock != null) {
        lock.release();
      }
    }

    private Lock lock;

    private final class Lock extends FileLock {
      private boolean valid = true;

      Lock(Channel channel, long at, long size, boolean shared) {
        super(channel, at, size, shared);
        lock = this;
      }

      @Override
      public boolean isValid() {
        synchronized (SimulatedDisk.this) {
          return valid && Channel.this.isOpen();
        }
      }

      @Override
      public void release() {
        synchronized (SimulatedDisk.this) {
          if (valid) {
            valid = false;
            inode.locked = false;
          }
        }
      }
    }
  }
}
