package dev.holdfast.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.vault.internal.JournaledVolume;
import dev.holdfast.vault.internal.StoreFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.Serializer;

/**
 * Records rolled back, deleted or added behind the vault's back (with the file's own sealed bytes,
 * as someone with the SD card but not the key can) are detected when the vault opens and by
 * verify, and nothing is changed.
 */
class RollbackTest {
  static final VaultCollection<String, String> KEYS = VaultCollection.ordered("api-keys", Codec.UTF8, Codec.UTF8);
  static final VaultCollection<String, Secret> SECRETS = VaultTest.SECRETS;

  @TempDir Path dir;
  final SecureRandom random = new SecureRandom();

  Path file() {
    return dir.resolve("data").resolve("provisioning.db");
  }

  Vault create() throws Exception {
    Vault v = Vault.create(file(), TestKeys.first(), random);
    v.write(tx -> {
      tx.put(KEYS, "key-1", "active");
      tx.put(KEYS, "key-2", "active");
      tx.put(SECRETS, "pepper", Secret.copyOf("p1".getBytes(StandardCharsets.UTF_8)));
      return null;
    });
    return v;
  }

  /** Changes the file as MapDB sees it, below the vault: what an attacker with the file can do. */
  void raw(Consumer<DB> change) throws Exception {
    try (StoreFiles s = StoreFiles.open(file(), false)) {
      change.accept(s.db());
      s.db().commit();
      s.checkpoint();
    }
  }

  /** Creates the vault and returns the sealed bytes of one api-keys record as the file holds them. */
  byte[] sealedApiKeyAfterCreate(String apiKey) throws Exception {
    create().close();
    byte[][] sealed = new byte[1][];
    raw(db -> sealed[0] = map(db, "o.api-keys").get(key(apiKey)));
    return sealed[0];
  }

  /** One commit through the vault, as Holdfast makes it. */
  void write(Vault.Work<?, ? extends Exception> work) throws Exception {
    try (Vault v = Vault.open(file(), TestKeys.first(), random)) {
      v.write(work);
    }
  }

  static BTreeMap<byte[], byte[]> map(DB db, String name) {
    return db.treeMap(name, Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY).open();
  }

  static byte[] key(String k) {
    return k.getBytes(StandardCharsets.UTF_8);
  }

  /** Every file of the data directory, by name, as bytes. */
  Map<String, byte[]> snapshot() throws Exception {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (var files = Files.list(file().getParent())) {
      for (Path p : files.sorted().toList()) {
        out.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    }
    return out;
  }

  void assertRefusedAsRolledBackAndUnchanged(String... named) throws Exception {
    Map<String, byte[]> before = snapshot();
    assertThatThrownBy(() -> Vault.open(file(), TestKeys.first(), random))
        .isInstanceOf(VaultException.class)
        .hasMessageContaining("rolled back, deleted or added outside Holdfast")
        .hasMessageContaining("Nothing was changed")
        .satisfies(e -> assertThat(e.getMessage()).contains(named))
        .extracting(e -> ((VaultException) e).reason()).isEqualTo(VaultException.Reason.CORRUPT);
    Map<String, byte[]> after = snapshot();
    assertThat(after.keySet()).isEqualTo(before.keySet());
    before.forEach((name, bytes) -> assertThat(after.get(name)).as(name).isEqualTo(bytes));
  }

  @Test
  void aRecordWrittenBackWithItsOlderSealedValueIsDetectedAtOpenAndNothingChanges() throws Exception {
    byte[] old = sealedApiKeyAfterCreate("key-1");
    write(tx -> {
      tx.put(KEYS, "key-1", "revoked");
      return null;
    });
    raw(db -> map(db, "o.api-keys").put(key("key-1"), old));

    assertRefusedAsRolledBackAndUnchanged("'api-keys'", "replaced by other or older versions");
  }

  @Test
  void aDeletedRecordIsDetectedAtOpenAndNothingChanges() throws Exception {
    create().close();
    raw(db -> map(db, "o.api-keys").remove(key("key-2")));

    assertRefusedAsRolledBackAndUnchanged("'api-keys': 1 record(s) missing");
  }

  @Test
  void aDeletedRecordOfAHiddenCollectionAndARemovedRecordPutBackAreDetectedToo() throws Exception {
    byte[] old = sealedApiKeyAfterCreate("key-2");
    write(tx -> tx.remove(KEYS, "key-2"));
    raw(db -> map(db, "o.api-keys").put(key("key-2"), old));
    assertRefusedAsRolledBackAndUnchanged("'api-keys': 1 record(s) more");

    raw(db -> map(db, "o.api-keys").remove(key("key-2")));
    raw(db -> {
      BTreeMap<byte[], byte[]> secrets = map(db, "h.secrets");
      secrets.remove(secrets.firstKey());
    });
    assertRefusedAsRolledBackAndUnchanged("'secrets': 1 record(s) missing");
  }

  @Test
  void aWholeCollectionClearedIsDetected() throws Exception {
    create().close();
    raw(db -> map(db, "o.api-keys").clear());
    assertRefusedAsRolledBackAndUnchanged("'api-keys': 2 record(s) missing");
  }

  @Test
  void aMissingManifestIsDetected() throws Exception {
    create().close();
    raw(db -> Vault.metaMap(db, false).remove("manifest"));
    assertRefusedAsRolledBackAndUnchanged("manifest", "missing");
  }

  @Test
  void rewritingTheFormatToOneToSkipTheCheckIsDetected() throws Exception {
    create().close();
    raw(db -> {
      Vault.metaMap(db, false).put("format", "1".getBytes(StandardCharsets.US_ASCII));
      Vault.metaMap(db, false).remove("manifest");
    });
    assertRefusedAsRolledBackAndUnchanged("format says 1");
  }

  @Test
  void writesRemovesAndRewritesInOneTransactionKeepTheCheckInStep() throws Exception {
    try (Vault v = create()) {
      v.write(tx -> {
        tx.put(KEYS, "key-3", "a");
        tx.put(KEYS, "key-3", "b");
        tx.remove(KEYS, "key-1");
        tx.put(KEYS, "key-1", "again");
        tx.remove(KEYS, "missing");
        return null;
      });
      assertThatThrownBy(() -> v.write(tx -> {
        tx.put(KEYS, "key-4", "x");
        throw new IllegalStateException("rolled back by the caller");
      })).hasMessageContaining("rolled back by the caller");
      v.write(tx -> {
        tx.put(KEYS, "key-5", "y");
        return null;
      });
      assertThat(v.verify().ok()).isTrue();
    }
    try (Vault v = Vault.open(file(), TestKeys.first(), random)) {
      assertThat(v.entries(KEYS)).extracting(Map.Entry::getKey)
          .containsExactly("key-1", "key-2", "key-3", "key-5");
      assertThat(v.get(KEYS, "key-3")).contains("b");
      assertThat(v.verify().ok()).isTrue();
    }
  }

  @Test
  void rekeyCarriesTheCheckOverToTheNewKey() throws Exception {
    create().close();
    Vault.rekey(file(), TestKeys.first(), TestKeys.second(), random);
    try (Vault v = Vault.open(file(), TestKeys.second(), random)) {
      assertThat(v.verify().ok()).isTrue();
      assertThat(v.entries(KEYS)).hasSize(2);
    }
    raw(db -> map(db, "o.api-keys").remove(key("key-1")));
    assertThatThrownBy(() -> Vault.open(file(), TestKeys.second(), random))
        .hasMessageContaining("'api-keys': 1 record(s) missing");
  }

  @Test
  void aDataDirectoryOthersCanUseIsRefusedWithExitCode77sReasonAndNothingChanges() throws Exception {
    create().close();
    Map<String, byte[]> before = snapshot();
    for (String mode : List.of("rwxr-x---", "rwx---r--", "rwx-----x", "rwxrwxrwx")) {
      Files.setPosixFilePermissions(file().getParent(), java.nio.file.attribute.PosixFilePermissions.fromString(mode));
      assertThatThrownBy(() -> Vault.open(file(), TestKeys.first(), random)).as(mode)
          .hasMessageContaining("data directory " + file().getParent()).hasMessageContaining("chmod 700")
          .extracting(e -> ((VaultException) e).reason()).isEqualTo(VaultException.Reason.INSECURE_PATH);
    }
    Files.setPosixFilePermissions(file().getParent(), SecureFiles.OWNER_RWX);
    Map<String, byte[]> after = snapshot();
    before.forEach((name, bytes) -> assertThat(after.get(name)).as(name).isEqualTo(bytes));

    Path shared = dir.resolve("shared");
    Files.createDirectory(shared, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
        java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
    assertThatThrownBy(() -> Vault.create(shared.resolve("agent.db"), TestKeys.first(), random))
        .extracting(e -> ((VaultException) e).reason()).isEqualTo(VaultException.Reason.INSECURE_PATH);
    assertThat(shared).isEmptyDirectory();
  }

  @Test
  void aJournalThatIsASymlinkIsRefusedAndItsTargetIsNeitherReadNorWritten() throws Exception {
    create().close();
    Path target = dir.resolve("elsewhere");
    Files.writeString(target, "not a journal");
    Path journal = JournaledVolume.journalsOf(file()).get(1);
    Files.deleteIfExists(journal);
    Files.createSymbolicLink(journal, target);
    assertThatThrownBy(() -> Vault.open(file(), TestKeys.first(), random))
        .hasMessageContaining(journal.toString()).hasMessageContaining("symlink")
        .extracting(e -> ((VaultException) e).reason()).isEqualTo(VaultException.Reason.INSECURE_PATH);

    Files.delete(journal);
    Path dangling = dir.resolve("would-be-created");
    Files.createSymbolicLink(journal, dangling);
    assertThatThrownBy(() -> Vault.open(file(), TestKeys.first(), random))
        .extracting(e -> ((VaultException) e).reason()).isEqualTo(VaultException.Reason.INSECURE_PATH);
    assertThat(dangling).doesNotExist();
    assertThat(Files.readString(target)).isEqualTo("not a journal");
  }
}
