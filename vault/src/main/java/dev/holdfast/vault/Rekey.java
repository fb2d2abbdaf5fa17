package dev.holdfast.vault;

import dev.holdfast.protocol.crypto.AuthenticationFailedException;
import dev.holdfast.vault.internal.RecordSealer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Map;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.Serializer;
import org.tinylog.Logger;

/**
 * Re-seals a vault under a new key. The new vault is built beside the old one ({@code
 * <file>.rekey}), made durable, and renamed over it; the old file is never written. A crash
 * before the rename leaves the old vault (and a leftover that the next open removes); after it,
 * the new one. Journals are checkpointed away first, so none can be laid over the new file.
 */
final class Rekey {
  private Rekey() {}

  static Path tempOf(Path file) {
    return file.resolveSibling(file.getFileName() + ".rekey");
  }

  /** Removes what an interrupted rekey or creation left; call only while holding the vault's lock. */
  static void removeLeftovers(Disk disk, Path file) {
    if (disk.exists(tempOf(file))) {
      Logger.info("removing {} left by an interrupted rekey", tempOf(file));
      Vault.deleteQuietly(disk, tempOf(file));
    }
    if (disk.exists(Vault.stagingOf(file))) {
      Logger.info("removing {} left by an interrupted 'vault init'", Vault.stagingOf(file));
      Vault.deleteQuietly(disk, Vault.stagingOf(file));
    }
  }

  static void run(Path file, MasterKeySource oldKey, MasterKeySource newKey, SecureRandom random)
      throws VaultException {
    try (Vault old = Vault.open(file, oldKey, random)) {
      VerifyReport report = old.verify();
      if (!report.ok()) {
        throw new VaultException(VaultException.Reason.CORRUPT,
            "refusing to rekey " + file + ": " + report.badRecords().size()
                + " record(s) fail authentication; run 'vault verify' and restore from a backup");
      }
      Path temp = tempOf(file);
      try {
        old.store().checkpoint();
        Vault.deleteQuietly(Disk.REAL, temp);
        try (Vault fresh = Vault.create(temp, newKey, random)) {
          copyAll(old, fresh);
          fresh.store().checkpoint();
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        SecureFiles.fsyncDirectory(file.toAbsolutePath().getParent());
        Logger.info("rekeyed {}: {} records now sealed under the key from {}",
            file, report.recordsChecked(), newKey.origin());
      } catch (IOException | RuntimeException e) {
        Vault.deleteQuietly(Disk.REAL, temp);
        throw new VaultException(VaultException.Reason.IO,
            "rekey of " + file + " failed (" + e.getMessage() + "); the vault still opens with the old key", e);
      }
    }
  }

  private static void copyAll(Vault from, Vault to) throws VaultException {
    DB source = from.db();
    to.write(tx -> {
      for (String name : source.getAllNames()) {
        if (!Vault.isCollection(name)) {
          continue;
        }
        String collection = Vault.collectionOf(name);
        boolean hidden = Vault.isHidden(name);
        BTreeMap<byte[], byte[]> in = source.treeMap(name, Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY).open();
        for (Map.Entry<byte[], byte[]> e : in.entrySet()) {
          RecordSealer.Opened opened;
          try {
            opened = from.openSealed(collection, hidden, e.getKey(), e.getValue());
          } catch (AuthenticationFailedException ex) {
            throw new VaultException(VaultException.Reason.CORRUPT,
                "a record in '" + collection + "' changed during rekey; nothing was changed");
          }
          tx.putBytes(collection, hidden, opened.key(), opened.value());
          java.util.Arrays.fill(opened.value(), (byte) 0);
        }
      }
      return null;
    });
  }
}
