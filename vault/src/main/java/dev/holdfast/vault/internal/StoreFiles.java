package dev.holdfast.vault.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import dev.holdfast.vault.Disk;
import org.mapdb.CC;
import org.mapdb.DB;
import org.mapdb.StoreWAL;
import org.mapdb.volume.ByteArrayVol;
import org.mapdb.volume.Volume;
import org.mapdb.volume.VolumeFactory;

/**
 * Opens the MapDB store of one vault file: takes an exclusive lock, lays any complete journal
 * over it, and builds a transactional {@link DB} on the {@link JournaledVolume}.
 *
 * <p>MapDB's own WAL files are kept in memory: in 3.1.0 they are never replayed, so writing them
 * to disk (with the process umask, 0644) would cost two fsyncs and a file per commit for nothing.
 * The journal gives the atomicity instead.
 */
public final class StoreFiles implements AutoCloseable {
  private final Path file;
  private final FileLock lock;
  private final JournaledVolume volume;
  private final DB db;

  private StoreFiles(Path file, FileLock lock, JournaledVolume volume, DB db) {
    this.file = file;
    this.lock = lock;
    this.volume = volume;
    this.db = db;
  }

  /** Thrown when another process (or this one) already holds the file. */
  public static final class LockedException extends IOException {
    private static final long serialVersionUID = 1L;

    LockedException(Path file) {
      super(file + " is locked");
    }
  }

  /**
   * Opens (or, with {@code create}, initialises an empty, owner-only) store file.
   *
   * @throws LockedException when the file is in use
   * @throws org.mapdb.DBException when the file is not a readable MapDB store
   */
  public static StoreFiles open(Path file, boolean create) throws IOException {
    return open(Disk.REAL, file, create);
  }

  /** Like {@link #open(Path, boolean)}, every file operation through {@code disk}. */
  public static StoreFiles open(Disk disk, Path file, boolean create) throws IOException {
    FileChannel data = disk.open(file, Disk.Mode.READ_WRITE);
    FileLock lock = null;
    try {
      lock = tryLock(data, file);
      JournaledVolume volume = new JournaledVolume(disk, file, data);
      StoreWAL store = StoreWAL.make(
          file.toString(), factoryFor(file.toString(), volume, !create), 0L, true,
          CC.STORE_DIRECT_CONC_SHIFT, CC.PAGE_SIZE, 0L, false, false, false, true, false);
      DB db = new DB(store, !create, true, StoreFiles.class.getClassLoader(), 0);
      return new StoreFiles(file, lock, volume, db);
    } catch (IOException | RuntimeException e) {
      releaseQuietly(lock);
      closeQuietly(data);
      throw e;
    }
  }

  private static FileLock tryLock(FileChannel data, Path file) throws IOException {
    try {
      FileLock lock = data.tryLock();
      if (lock == null) {
        throw new LockedException(file);
      }
      return lock;
    } catch (OverlappingFileLockException e) {
      throw new LockedException(file);
    }
  }

  private static VolumeFactory factoryFor(String main, JournaledVolume volume, boolean exists) {
    return new VolumeFactory() {
      @Override
      public Volume makeVolume(
          String file, boolean readOnly, long lockWait, int sliceShift, long initSize, boolean fixed) {
        if (main.equals(file)) {
          return volume;
        }
        return ByteArrayVol.FACTORY.makeVolume(null, readOnly, lockWait, sliceShift, initSize, fixed);
      }

      @Override
      public boolean exists(String file) {
        return main.equals(file) && exists;
      }

      @Override
      public boolean handlesReadonly() {
        return false;
      }
    };
  }

  public DB db() {
    return db;
  }

  public Path file() {
    return file;
  }

  public boolean recoveredJournal() {
    return volume.recovered();
  }

  /** Commits pending journal pages and empties the journal durably. */
  public void checkpoint() throws IOException {
    volume.checkpoint();
  }

  @Override
  public void close() {
    try {
      db.close();
    } finally {
      releaseQuietly(lock);
      volume.close();
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception ignored) {
        // already failing; the first error is the one to report
      }
    }
  }

  private static void releaseQuietly(FileLock lock) {
    if (lock != null && lock.isValid()) {
      try {
        lock.release();
      } catch (IOException ignored) {
        // the channel is closed next, which releases it anyway
      }
    }
  }
}
