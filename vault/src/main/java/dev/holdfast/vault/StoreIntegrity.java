package dev.holdfast.vault;

import dev.holdfast.protocol.crypto.AuthenticationFailedException;
import dev.holdfast.vault.internal.Manifest;
import dev.holdfast.vault.internal.RecordSealer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.Serializer;

/**
 * The store-wide check ({@link Manifest}): loading and sealing it, adding up what the file holds,
 * and upgrading a format-1 vault (which has none) in the transaction of its first write.
 */
final class StoreIntegrity {
  static final String MANIFEST = "manifest";

  private StoreIntegrity() {}

  /** The manifest the last commit sealed; a missing or forged one is damage. */
  static Manifest load(BTreeMap<String, byte[]> meta, RecordSealer sealer, Path file) throws VaultException {
    byte[] sealed = meta.get(MANIFEST);
    if (sealed == null) {
      throw rolledBack(file, List.of("its store-wide record (the manifest) is missing"));
    }
    try {
      return Manifest.decode(sealer.openManifest(sealed));
    } catch (AuthenticationFailedException | IOException e) {
      throw rolledBack(file, List.of("its store-wide record (the manifest) fails authentication"));
    }
  }

  static void store(BTreeMap<String, byte[]> meta, RecordSealer sealer, Manifest manifest) {
    meta.put(MANIFEST, sealer.sealManifest(manifest.encode()));
  }

  /** Adds up every record's term as the file holds it; reads headers only, decrypts nothing. */
  static Manifest scan(DB db, RecordSealer sealer) {
    Manifest found = Manifest.empty();
    long newest = 0;
    for (String name : db.getAllNames()) {
      if (!Vault.isCollection(name)) {
        continue;
      }
      BTreeMap<byte[], byte[]> m = db.treeMap(name, Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY).open();
      for (Map.Entry<byte[], byte[]> e : m.entrySet()) {
        long generation = generationOrMinusOne(e.getValue());
        newest = Math.max(newest, generation);
        found.added(name, sealer.term(name, e.getKey(), generation));
      }
    }
    found.generation(newest);
    return found;
  }

  /**
   * Compares what the file holds with what the last commit sealed: any difference means records
   * were rolled back, deleted or added by something other than this vault's commits.
   */
  static List<String> differences(Manifest committed, Manifest found) {
    List<String> out = new ArrayList<>(committed.differences(found));
    if (out.isEmpty() && found.generation() > committed.generation()) {
      out.add("a record claims commit " + found.generation() + ", newer than the last one (" + committed.generation()
          + ")");
    }
    return out;
  }

  static VaultException rolledBack(Path file, List<String> differences) {
    return new VaultException(VaultException.Reason.CORRUPT, file + " does not hold what its last commit wrote ("
        + String.join("; ", differences) + "): records were rolled back, deleted or added outside Holdfast."
        + " Nothing was changed. Restore the data directory from a backup you trust (docs/vault.md, 'Rollback')");
  }

  static long generationOrMinusOne(byte[] sealed) {
    try {
      return RecordSealer.generationOf(sealed);
    } catch (AuthenticationFailedException e) {
      return -1;
    }
  }

  /**
   * Re-seals every format-1 record as format 2 with {@code generation}, and returns the manifest
   * of the result; the caller writes it, the new key check and the format in the same commit.
   */
  static Manifest upgrade(DB db, RecordSealer sealer, long generation, Path file) throws VaultException {
    Manifest manifest = Manifest.empty();
    List<String> names = new ArrayList<>();
    db.getAllNames().forEach(names::add);
    for (String name : names) {
      if (!Vault.isCollection(name)) {
        continue;
      }
      String collection = Vault.collectionOf(name);
      boolean hidden = Vault.isHidden(name);
      BTreeMap<byte[], byte[]> m = db.treeMap(name, Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY).open();
      List<Map.Entry<byte[], byte[]>> records = new ArrayList<>(m.entrySet());
      for (Map.Entry<byte[], byte[]> e : records) {
        RecordSealer.Opened opened;
        try {
          opened = sealer.openFormat1(collection, hidden, e.getKey(), e.getValue());
        } catch (AuthenticationFailedException ex) {
          throw new VaultException(VaultException.Reason.CORRUPT, "cannot upgrade " + file + " to vault format "
              + Vault.FORMAT + ": a record in '" + collection + "' fails authentication; nothing was changed."
              + " Run 'vault verify' for the list and restore from a backup");
        }
        m.put(e.getKey(), sealer.seal(collection, hidden, opened.key(), opened.value(), generation));
        java.util.Arrays.fill(opened.value(), (byte) 0);
        manifest.added(name, sealer.term(name, e.getKey(), generation));
      }
    }
    manifest.generation(generation);
    return manifest;
  }

  static byte[] formatBytes(int format) {
    return Integer.toString(format).getBytes(StandardCharsets.US_ASCII);
  }
}
