package dev.holdfast.vault;

import dev.holdfast.protocol.crypto.AuthenticationFailedException;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.vault.internal.JournaledVolume;
import dev.holdfast.vault.internal.Manifest;
import dev.holdfast.vault.internal.RecordSealer;
import dev.holdfast.vault.internal.StoreFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.DBException;
import org.mapdb.Serializer;
import org.tinylog.Logger;

/**
 * The encrypted store. One file, opened by one process at a time (an exclusive lock), every value
 * sealed (see {@link RecordSealer}), every {@link #write} atomic and durable when it returns.
 *
 * <p>Opening never changes a byte of the file: a wrong key, a damaged file, a file that is not
 * a vault, or records rolled back, deleted or added outside its commits (the store-wide check, see
 * {@link dev.holdfast.vault.internal.Manifest}) is reported and the file left exactly as it was.
 * A format-1 vault (written before the store-wide check) opens as it is and is upgraded by its
 * first write, in that write's transaction.
 */
public final class Vault implements AutoCloseable {
  /** The on-disk format this code writes (format 1 is read, and upgraded by the first write). */
  public static final int FORMAT = 2;
  static final int FORMAT_1 = 1;

  static final String META = "holdfast.meta";
  private static final String HIDDEN_PREFIX = "h.";
  private static final String ORDERED_PREFIX = "o.";

  private final Disk disk;
  private final Path file;
  private final SecureRandom random;
  private final String keyOrigin;
  private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
  private StoreFiles store;
  private RecordSealer sealer;
  /** True while the file is format 1: records without a generation, no manifest. */
  private boolean format1;
  /** The manifest of the last commit (null while format 1). */
  private Manifest committed;
  /** The manifest as the running transaction leaves it, and whether it changed anything. */
  private Manifest pending;
  private boolean changed;
  /** True while the running transaction upgrades a format-1 vault (undone by a rollback). */
  private boolean upgrading;
  /**
   * The collections' maps, opened once: opening one by name reads MapDB's name catalog. Cleared
   * when a transaction is rolled back (a map it created is gone) and when the store is reopened.
   */
  private final Map<String, BTreeMap<byte[], byte[]>> maps = new java.util.concurrent.ConcurrentHashMap<>();
  /** Whether the running transaction created a collection's map (a rollback must then reopen the store). */
  private boolean createdInTransaction;

  private Vault(Disk disk, Path file, StoreFiles store, RecordSealer sealer, SecureRandom random, String origin,
      Manifest committed) {
    this.disk = disk;
    this.file = file;
    this.store = store;
    this.sealer = sealer;
    this.random = random;
    this.keyOrigin = origin;
    this.committed = committed;
    this.format1 = committed == null;
  }

  /**
   * Creates a new vault at {@code file} (0600, its directory 0700 if missing). It is built beside
   * it ({@code <file>.init}) and renamed into place once complete, so a crash never leaves a
   * half-made vault under the real name.
   */
  public static Vault create(Path file, MasterKeySource key, SecureRandom random) throws VaultException {
    return create(Disk.REAL, file, key, random);
  }

  /** Like {@link #create(Path, MasterKeySource, SecureRandom)}, every file operation through {@code disk}. */
  public static Vault create(Disk disk, Path file, MasterKeySource key, SecureRandom random) throws VaultException {
    if (disk.exists(file)) {
      throw new VaultException(VaultException.Reason.ALREADY_EXISTS,
          "a vault already exists at " + file + "; refusing to overwrite it (move it away to start over)");
    }
    Path staging = stagingOf(file);
    Path dir = file.toAbsolutePath().getParent();
    StoreFiles store = null;
    RecordSealer sealer = null;
    try {
      disk.createDirectories(dir);
    } catch (IOException e) {
      throw new VaultException(VaultException.Reason.IO, "could not create " + dir + ": " + e.getMessage(), e);
    }
    OpenChecks.directory(disk, dir);
    try {
      deleteQuietly(disk, staging);
      disk.open(staging, Disk.Mode.CREATE_NEW).close();
      store = StoreFiles.open(disk, staging, true);
      KdfParams kdf = KdfParams.fresh(random);
      sealer = sealerFor(key, kdf, random);
      BTreeMap<String, byte[]> meta = metaMap(store.db(), true);
      meta.put("format", StoreIntegrity.formatBytes(FORMAT));
      meta.put("kdf", kdf.encode());
      meta.put("key-check", sealer.sealKeyCheck());
      Manifest manifest = Manifest.empty();
      StoreIntegrity.store(meta, sealer, manifest);
      store.db().commit();
      store.checkpoint(); // no journal may follow the file to its new name
      store.close();
      store = null;
      if (disk.exists(file)) {
        throw new java.nio.file.FileAlreadyExistsException(file + " appeared while the vault was being made");
      }
      disk.move(staging, file);
      disk.syncDirectory(dir);
      store = StoreFiles.open(disk, file, false);
      Logger.debug("created vault {} (key from {})", file, key.origin());
      return new Vault(disk, file, store, sealer, random, key.origin(), manifest);
    } catch (IOException | RuntimeException e) {
      if (store != null) {
        closeQuietly(store);
      }
      if (sealer != null) {
        sealer.destroy();
      }
      deleteQuietly(disk, staging);
      throw new VaultException(VaultException.Reason.IO,
          "could not create vault " + file + ": " + e.getMessage(), e);
    }
  }

  /** Where {@link #create} builds a new vault before renaming it into place. */
  static Path stagingOf(Path file) {
    return file.resolveSibling(file.getFileName() + ".init");
  }

  /** Opens an existing vault, checking the key before anything else is read. */
  public static Vault open(Path file, MasterKeySource key, SecureRandom random) throws VaultException {
    return open(Disk.REAL, file, key, random);
  }

  /** Like {@link #open(Path, MasterKeySource, SecureRandom)}, every file operation through {@code disk}. */
  public static Vault open(Disk disk, Path file, MasterKeySource key, SecureRandom random) throws VaultException {
    if (!disk.exists(file)) {
      throw new VaultException(VaultException.Reason.MISSING,
          "no vault at " + file + " (create one with 'vault init', or check --data-dir)");
    }
    if (!disk.isRegularFile(file)) {
      throw new VaultException(VaultException.Reason.NOT_A_VAULT, file + " is not a regular file");
    }
    OpenChecks.directory(disk, file.toAbsolutePath().getParent());
    StoreFiles store = openStore(disk, file);
    try {
      BTreeMap<String, byte[]> meta = metaMap(store.db(), false);
      if (meta == null || meta.get("format") == null || meta.get("kdf") == null) {
        throw new VaultException(VaultException.Reason.NOT_A_VAULT,
            file + " is a MapDB file but not a Holdfast vault; point --data-dir at the right directory");
      }
      int format = Integer.parseInt(new String(meta.get("format"), StandardCharsets.US_ASCII));
      if (format != FORMAT && format != FORMAT_1) {
        throw new VaultException(VaultException.Reason.NOT_A_VAULT,
            file + " has vault format " + format + "; this version reads formats " + FORMAT_1 + " and " + FORMAT
                + " (upgrade Holdfast)");
      }
      RecordSealer sealer = sealerFor(key, KdfParams.decode(meta.get("kdf")), random);
      try {
        Manifest manifest = OpenChecks.keyAndRecords(file, format, meta, sealer, store, key);
        Rekey.removeLeftovers(disk, file);
        Logger.debug("opened vault {} (format {}, key from {}{})", file, format, key.origin(),
            store.recoveredJournal() ? "; completing an interrupted commit from its journal" : "");
        return new Vault(disk, file, store, sealer, random, key.origin(), manifest);
      } catch (VaultException | RuntimeException e) {
        sealer.destroy();
        throw e;
      }
    } catch (VaultException e) {
      closeQuietly(store);
      throw e;
    } catch (RuntimeException e) {
      closeQuietly(store);
      throw corrupt(file, e);
    }
  }

  private static void closeQuietly(StoreFiles store) {
    try {
      store.close();
    } catch (RuntimeException e) {
      Logger.debug(e, "closing {} after a failure", store.file());
    }
  }

  private static StoreFiles openStore(Disk disk, Path file) throws VaultException {
    try {
      if (disk.size(file) == 0) {
        throw new VaultException(VaultException.Reason.CORRUPT,
            file + " is empty; restore it from a backup or move it away and run 'vault init'");
      }
      return StoreFiles.open(disk, file, false);
    } catch (StoreFiles.LockedException e) {
      throw new VaultException(VaultException.Reason.LOCKED,
          file + " is in use by another process (a running holdfast-agent, or holdfast-provisioning serve/relay);"
              + " stop it or try again");
    } catch (JournaledVolume.UnsafeJournalException e) {
      throw new VaultException(VaultException.Reason.INSECURE_PATH, e.getMessage()
          + "; refusing to follow it. Remove it (it is not Holdfast's) and look for who put it there");
    } catch (DBException.WrongFormat e) {
      throw new VaultException(VaultException.Reason.NOT_A_VAULT,
          file + " is not a Holdfast vault (no MapDB header); point --data-dir at the right directory");
    } catch (IOException e) {
      throw new VaultException(VaultException.Reason.IO,
          "could not open " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw corrupt(file, e);
    }
  }

  /**
   * A damaged store, in the project's words: what is damaged and what to do. The storage engine's
   * own message is never shown (MapDB's advises a checksum bypass and other settings that would
   * hide the damage); it stays in the cause, for the debug log.
   */
  static VaultException corrupt(Path file, Exception e) {
    return new VaultException(VaultException.Reason.CORRUPT,
        file + " is damaged: " + StoreDamage.describe(e) + "; it was not changed. Restore it from a backup,"
            + " or run 'vault verify' for details", e);
  }

  private static RecordSealer sealerFor(MasterKeySource key, KdfParams kdf, SecureRandom random) {
    Secret master = key.masterKey(kdf);
    try {
      return new RecordSealer(master, random);
    } finally {
      master.destroy();
    }
  }

  static BTreeMap<String, byte[]> metaMap(DB db, boolean create) {
    if (!create && !db.exists(META)) {
      return null;
    }
    return db.treeMap(META, Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
  }

  private static String mapName(VaultCollection<?, ?> c) {
    return (c.hiddenKeys() ? HIDDEN_PREFIX : ORDERED_PREFIX) + c.name();
  }

  private BTreeMap<byte[], byte[]> map(String name, boolean create) {
    BTreeMap<byte[], byte[]> open = maps.get(name);
    if (open != null) {
      return open;
    }
    DB db = store.db();
    if (!create && !db.exists(name)) {
      return null;
    }
    if (!db.exists(name)) {
      createdInTransaction = true;
    }
    BTreeMap<byte[], byte[]> m = collectionMap(db, name);
    maps.put(name, m);
    return m;
  }

  /**
   * Opens a collection's map, creating it with its sealed values outside the B-tree nodes: a leaf
   * then holds keys and record ids, so a put rewrites a leaf of ~1 KiB instead of one holding ~32
   * sealed values, and a look-up decodes one value instead of all of them (docs/decisions.md). A
   * map created before keeps the layout MapDB recorded for it in its catalog.
   */
  static BTreeMap<byte[], byte[]> collectionMap(DB db, String name) {
    return db.treeMap(name, Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY).valuesOutsideNodesEnable().createOrOpen();
  }

  /** Where the key came from, e.g. "key file /etc/holdfast/store.key"; never the key. */
  public String keyOrigin() {
    return keyOrigin;
  }

  public Path file() {
    return file;
  }

  /** The randomness this vault seals with; stores kept beside it seal with the same. */
  public SecureRandom random() {
    return random;
  }

  /** The file layer this vault uses; stores kept beside it (the outbox's log) use the same. */
  public Disk disk() {
    return disk;
  }

  /** Reads one record. */
  public <K, V> Optional<V> get(VaultCollection<K, V> c, K key) throws VaultException {
    rw.readLock().lock();
    try {
      return readValue(c, key);
    } finally {
      rw.readLock().unlock();
    }
  }

  /** All records of a collection; ordered collections come in unsigned byte order of their keys. */
  public <K, V> List<Map.Entry<K, V>> entries(VaultCollection<K, V> c) throws VaultException {
    rw.readLock().lock();
    try {
      return readEntries(c);
    } finally {
      rw.readLock().unlock();
    }
  }

  private <K, V> Optional<V> readValue(VaultCollection<K, V> c, K key) throws VaultException {
    try {
      BTreeMap<byte[], byte[]> m = map(mapName(c), false);
      if (m == null) {
        return Optional.empty();
      }
      byte[] storedKey = sealer.storedKey(c.name(), c.hiddenKeys(), c.keys().encode(key));
      byte[] sealed = m.get(storedKey);
      if (sealed == null) {
        return Optional.empty();
      }
      return Optional.of(c.values().decode(openRecord(c, storedKey, sealed).value()));
    } catch (RuntimeException e) {
      throw corrupt(file, e);
    }
  }

  private <K, V> List<Map.Entry<K, V>> readEntries(VaultCollection<K, V> c) throws VaultException {
    try {
      BTreeMap<byte[], byte[]> m = map(mapName(c), false);
      List<Map.Entry<K, V>> out = new ArrayList<>();
      if (m == null) {
        return out;
      }
      for (Map.Entry<byte[], byte[]> e : m.entrySet()) {
        RecordSealer.Opened opened = openRecord(c, e.getKey(), e.getValue());
        out.add(Map.entry(c.keys().decode(opened.key()), c.values().decode(opened.value())));
      }
      return out;
    } catch (RuntimeException e) {
      throw corrupt(file, e);
    }
  }

  /** Opens a record in the format this vault is in. */
  RecordSealer.Opened openSealed(String collection, boolean hidden, byte[] storedKey, byte[] sealed)
      throws AuthenticationFailedException {
    return format1 ? sealer.openFormat1(collection, hidden, storedKey, sealed)
        : sealer.open(collection, hidden, storedKey, sealed);
  }

  private RecordSealer.Opened openRecord(VaultCollection<?, ?> c, byte[] storedKey, byte[] sealed)
      throws VaultException {
    try {
      return openSealed(c.name(), c.hiddenKeys(), storedKey, sealed);
    } catch (AuthenticationFailedException e) {
      throw new VaultException(VaultException.Reason.CORRUPT,
          "a record in collection '" + c.name() + "' of " + file
              + " failed authentication (damaged or tampered); run 'vault verify' for the full list");
    }
  }

  /**
   * Work done inside one transaction. It may fail with the caller's own checked exception {@code
   * X} (a store layered on the vault reports its own failures): the transaction then rolls back and
   * {@link #write} throws it as it is, so nothing has to be wrapped to get out.
   */
  @FunctionalInterface
  public interface Work<T, X extends Exception> {
    T run(Tx tx) throws VaultException, X;
  }

  /** The operations of one transaction; valid only inside {@link #write}. */
  public final class Tx {
    private Tx() {}

    public <K, V> void put(VaultCollection<K, V> c, K key, V value) {
      byte[] k = c.keys().encode(key);
      byte[] v = c.values().encode(value);
      putBytes(c.name(), c.hiddenKeys(), k, v);
      java.util.Arrays.fill(v, (byte) 0);
    }

    /**
     * Puts the record unless one with its key is there, in one look-up of the key: the record that
     * is there, or empty when this one was put.
     */
    public <K, V> Optional<V> putIfAbsent(VaultCollection<K, V> c, K key, V value) throws VaultException {
      byte[] k = c.keys().encode(key);
      byte[] v = c.values().encode(value);
      byte[] there;
      try {
        there = putSealed(c.name(), c.hiddenKeys(), k, v, true);
      } catch (RuntimeException e) {
        throw corrupt(file, e);
      } finally {
        java.util.Arrays.fill(v, (byte) 0);
      }
      if (there == null) {
        return Optional.empty();
      }
      byte[] storedKey = sealer.storedKey(c.name(), c.hiddenKeys(), k);
      return Optional.of(c.values().decode(openRecord(c, storedKey, there).value()));
    }

    /** Puts a record given as bytes (for {@link Rekey}), keeping the manifest up to date. */
    void putBytes(String collection, boolean hidden, byte[] key, byte[] value) {
      putSealed(collection, hidden, key, value, false);
    }

    /**
     * Seals and puts a record given as bytes, keeping the manifest up to date; with {@code
     * onlyIfAbsent} a record already under the key stays as it is. Returns the sealed record that
     * was under the key, or null.
     */
    private byte[] putSealed(String collection, boolean hidden, byte[] key, byte[] value, boolean onlyIfAbsent) {
      String name = (hidden ? HIDDEN_PREFIX : ORDERED_PREFIX) + collection;
      long generation = pending.generation();
      byte[] storedKey = sealer.storedKey(collection, hidden, key);
      byte[] sealed = sealer.seal(collection, hidden, key, value, generation);
      BTreeMap<byte[], byte[]> m = map(name, true);
      byte[] old = onlyIfAbsent ? m.putIfAbsent(storedKey, sealed) : m.put(storedKey, sealed);
      if (old != null) {
        if (onlyIfAbsent) {
          return old;
        }
        pending.removed(name, sealer.term(name, storedKey, StoreIntegrity.generationOrMinusOne(old)));
      }
      pending.added(name, sealer.term(name, storedKey, generation));
      changed = true;
      return old;
    }

    /** @return true if there was a record to remove */
    public <K, V> boolean remove(VaultCollection<K, V> c, K key) {
      String name = mapName(c);
      BTreeMap<byte[], byte[]> m = map(name, false);
      byte[] storedKey = sealer.storedKey(c.name(), c.hiddenKeys(), c.keys().encode(key));
      byte[] old = m == null ? null : m.remove(storedKey);
      if (old == null) {
        return false;
      }
      pending.removed(name, sealer.term(name, storedKey, StoreIntegrity.generationOrMinusOne(old)));
      changed = true;
      return true;
    }

    public <K, V> Optional<V> get(VaultCollection<K, V> c, K key) throws VaultException {
      return readValue(c, key);
    }

    public <K, V> List<Map.Entry<K, V>> entries(VaultCollection<K, V> c) throws VaultException {
      return readEntries(c);
    }
  }

  /**
   * Runs {@code work} in one transaction and commits it: when this returns, every change is on
   * disk (fsynced); when it throws (the work's own exception included), none is.
   */
  public <T, X extends Exception> T write(Work<T, X> work) throws VaultException, X {
    rw.writeLock().lock();
    try {
      T result;
      try {
        begin();
        result = work.run(new Tx());
        if (changed) {
          StoreIntegrity.store(metaMap(store.db(), true), sealer, pending);
        }
      } catch (Exception e) {
        maps.clear();
        store.db().rollback();
        if (createdInTransaction) {
          // MapDB keeps the instance of a map it created, whose root the rollback just undid: only a
          // reopen forgets it (else the next write to that collection fails with GetVoid).
          reopenStore();
        }
        pending = null;
        if (upgrading) {
          format1 = true;
          upgrading = false;
        }
        throw e;
      }
      try {
        store.db().commit();
        if (changed) {
          committed = pending;
        }
        pending = null;
        upgrading = false;
      } catch (RuntimeException e) {
        pending = null;
        upgrading = false;
        reopenStore();
        Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
        throw new VaultException(VaultException.Reason.IO,
            "could not write to " + file + ": " + cause.getMessage()
                + "; the change was not saved (free disk space and retry)", e);
      }
      return result;
    } finally {
      rw.writeLock().unlock();
    }
  }

  /**
   * Starts the manifest of a transaction at the next generation; on a format-1 vault, first re-seals
   * every record as format 2 (the upgrade commits with the transaction, or not at all).
   */
  private void begin() throws VaultException {
    changed = false;
    createdInTransaction = false;
    if (!format1) {
      pending = committed.copy();
      pending.generation(committed.generation() + 1);
      return;
    }
    long generation = 1;
    pending = StoreIntegrity.upgrade(store.db(), sealer, generation, file);
    upgrading = true;
    format1 = false;
    maps.clear();
    BTreeMap<String, byte[]> meta = metaMap(store.db(), true);
    meta.put("format", StoreIntegrity.formatBytes(FORMAT));
    meta.put("key-check", sealer.sealKeyCheck());
    changed = true;
    Logger.info("upgrading {} to vault format {} (a store-wide check against rolled-back records)", file, FORMAT);
  }

  /**
   * After a failed commit (or a rolled-back one that created a map) MapDB's in-memory state is not
   * what is on disk: start again from the disk.
   */
  private void reopenStore() throws VaultException {
    try {
      store.close();
    } catch (RuntimeException e) {
      Logger.warn("closing {} after a failed commit: {}", file, e.getMessage());
    }
    maps.clear();
    store = openStore(disk, file);
    BTreeMap<String, byte[]> meta = metaMap(store.db(), false);
    boolean isFormat1 = meta != null && meta.get(StoreIntegrity.MANIFEST) == null;
    committed = isFormat1 ? null : StoreIntegrity.load(meta, sealer, file);
    format1 = isFormat1;
  }

  /** Counts, size and key origin; reads no value. */
  public VaultStatus status() throws VaultException {
    rw.readLock().lock();
    try {
      java.util.TreeMap<String, Long> counts = new java.util.TreeMap<>();
      for (String name : store.db().getAllNames()) {
        if (name.startsWith(HIDDEN_PREFIX) || name.startsWith(ORDERED_PREFIX)) {
          counts.put(collectionOf(name), map(name, false).sizeLong());
        }
      }
      return new VaultStatus(file, format1 ? FORMAT_1 : FORMAT, counts, disk.size(file), keyOrigin);
    } catch (IOException e) {
      throw new VaultException(VaultException.Reason.IO, "could not stat " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw corrupt(file, e);
    } finally {
      rw.readLock().unlock();
    }
  }

  /** Authenticates every record; never stops at the first bad one. */
  public VerifyReport verify() throws VaultException {
    rw.readLock().lock();
    try {
      return Verifier.verify(this, store.db(), format1 ? null : committed);
    } catch (RuntimeException e) {
      throw corrupt(file, e);
    } finally {
      rw.readLock().unlock();
    }
  }

  /** Package access for {@link Rekey}. */
  DB db() {
    return store.db();
  }

  RecordSealer sealer() {
    return sealer;
  }

  StoreFiles store() {
    return store;
  }

  /**
   * Re-seals every record of the vault at {@code file} under {@code newKey}, crash-safely: the
   * result is written to a new file which replaces the old one by an atomic rename. Until the
   * rename the vault opens with the old key only; after it, with the new key only.
   */
  public static void rekey(Path file, MasterKeySource oldKey, MasterKeySource newKey, SecureRandom random)
      throws VaultException {
    Rekey.run(file, oldKey, newKey, random);
  }

  @Override
  public void close() {
    rw.writeLock().lock();
    try {
      if (sealer != null) {
        sealer.destroy();
        sealer = null;
        store.close();
      }
    } finally {
      rw.writeLock().unlock();
    }
  }

  static void deleteQuietly(Disk disk, Path path) {
    try {
      disk.delete(path);
      for (Path journal : dev.holdfast.vault.internal.JournaledVolume.journalsOf(path)) {
        disk.delete(journal);
      }
    } catch (IOException e) {
      Logger.warn("could not remove {}: {}", path, e.getMessage());
    }
  }

  static boolean isCollection(String storedName) {
    return storedName.startsWith(HIDDEN_PREFIX) || storedName.startsWith(ORDERED_PREFIX);
  }

  static String collectionOf(String storedName) {
    return storedName.substring(2);
  }

  static boolean isHidden(String storedName) {
    return storedName.startsWith(HIDDEN_PREFIX);
  }

  @Override
  public String toString() {
    return "Vault[" + file + ", key from " + keyOrigin + "]";
  }
}
