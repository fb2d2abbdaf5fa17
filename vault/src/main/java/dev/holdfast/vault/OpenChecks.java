package dev.holdfast.vault;

import dev.holdfast.vault.internal.Manifest;
import dev.holdfast.vault.internal.RecordSealer;
import dev.holdfast.vault.internal.StoreFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.mapdb.BTreeMap;

/** What {@link Vault} checks before it hands out a vault: the directory, the key, the records. */
final class OpenChecks {
  private OpenChecks() {}

  /**
   * Checks the key, then (format 2) that the records are exactly those the last commit left.
   *
   * @return the last commit's manifest, or null for a format-1 vault
   */
  static Manifest keyAndRecords(Path file, int format, BTreeMap<String, byte[]> meta,
      RecordSealer sealer, StoreFiles store, MasterKeySource key) throws VaultException {
    byte[] check = meta.get("key-check");
    boolean opens = check != null && (format == Vault.FORMAT ? sealer.keyCheckOpens(check) : sealer.format1KeyCheckOpens(check));
    if (!opens) {
      if (check != null && (format == Vault.FORMAT ? sealer.format1KeyCheckOpens(check) : sealer.keyCheckOpens(check))) {
        throw StoreIntegrity.rolledBack(file, List.of("its format says " + format
            + " but its key check is another format's: the file was changed outside Holdfast"));
      }
      throw new VaultException(VaultException.Reason.WRONG_KEY,
          "the key from " + key.origin() + " does not open " + file
              + " (wrong key, or the vault was rekeyed); nothing was changed");
    }
    if (format == Vault.FORMAT_1) {
      return null;
    }
    Manifest manifest = StoreIntegrity.load(meta, sealer, file);
    List<String> differences = StoreIntegrity.differences(manifest, StoreIntegrity.scan(store.db(), sealer));
    if (!differences.isEmpty()) {
      throw StoreIntegrity.rolledBack(file, differences);
    }
    return manifest;
  }

  /**
   * The data directory must be the owner's alone: others who can write in it can swap the store
   * or its journals, and others who can list it learn what is there.
   */
  static void directory(Disk disk, Path dir) throws VaultException {
    try {
      java.util.Optional<String> loose = disk.looseMode(dir);
      if (loose.isPresent()) {
        throw new VaultException(VaultException.Reason.INSECURE_PATH, "data directory " + dir + " has mode "
            + loose.get() + "; group and others must have no access to it: chmod 700 " + dir);
      }
    } catch (IOException e) {
      throw new VaultException(VaultException.Reason.IO, "could not check " + dir + ": " + e.getMessage(), e);
    }
  }
}
