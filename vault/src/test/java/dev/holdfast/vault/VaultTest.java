package dev.holdfast.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.vault.internal.StoreFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mapdb.BTreeMap;
import org.mapdb.Serializer;

class VaultTest {
  static final VaultCollection<String, Secret> SECRETS =
      VaultCollection.hidden("secrets", Codec.UTF8, Codec.SECRET);
  static final VaultCollection<String, String> NOTES =
      VaultCollection.ordered("notes", Codec.UTF8, Codec.UTF8);

  @TempDir Path dir;
  final SecureRandom random = new SecureRandom();

  Path vaultFile() {
    return dir.resolve("data").resolve("agent.db");
  }

  Vault createWith(String name, String value) throws Exception {
    Vault v = Vault.create(vaultFile(), TestKeys.first(), random);
    v.write(tx -> {
      tx.put(SECRETS, name, Secret.copyOf(value.getBytes(StandardCharsets.UTF_8)));
      return null;
    });
    return v;
  }

  static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  @Test
  void storesAndReadsBackASecretAfterReopening() throws Exception {
    createWith("twilio-token", "tok-123").close();
    try (Vault v = Vault.open(vaultFile(), TestKeys.first(), random)) {
      assertThat(v.get(SECRETS, "twilio-token").orElseThrow().bytes())
          .isEqualTo("tok-123".getBytes(StandardCharsets.UTF_8));
      assertThat(v.get(SECRETS, "other")).isEmpty();
    }
  }

  @Test
  void orderedCollectionsIterateInKeyOrder() throws Exception {
    try (Vault v = Vault.create(vaultFile(), TestKeys.first(), random)) {
      v.write(tx -> {
        tx.put(NOTES, "b", "2");
        tx.put(NOTES, "a", "1");
        tx.put(NOTES, "c", "3");
        return null;
      });
      assertThat(v.entries(NOTES)).extracting(Map.Entry::getKey).containsExactly("a", "b", "c");
    }
  }

  @Test
  void aTransactionThatThrowsLeavesNothingBehind() throws Exception {
    try (Vault v = Vault.create(vaultFile(), TestKeys.first(), random)) {
      assertThatThrownBy(() -> v.write(tx -> {
        tx.put(NOTES, "a", "1");
        throw new IllegalStateException("boom");
      })).hasMessage("boom");
      assertThat(v.entries(NOTES)).isEmpty();
    }
    try (Vault v = Vault.open(vaultFile(), TestKeys.first(), random)) {
      assertThat(v.entries(NOTES)).isEmpty();
    }
  }

  @Test
  void aCollectionWhoseFirstTransactionRolledBackCanBeWrittenByTheNextOne() throws Exception {
    try (Vault v = Vault.create(vaultFile(), TestKeys.first(), random)) {
      assertThatThrownBy(() -> v.write(tx -> {
        tx.put(NOTES, "a", "1");
        throw new IllegalStateException("boom");
      })).hasMessage("boom");
      v.write(tx -> {
        tx.put(NOTES, "b", "2");
        return null;
      });
      assertThat(v.entries(NOTES)).extracting(Map.Entry::getKey).containsExactly("b");
    }
    try (Vault v = Vault.open(vaultFile(), TestKeys.first(), random)) {
      assertThat(v.entries(NOTES)).extracting(Map.Entry::getKey).containsExactly("b");
      assertThat(v.verify().ok()).isTrue();
    }
  }

  @Test
  void aNewCollectionKeepsItsSealedValuesOutsideTheTreeNodes() throws Exception {
    try (Vault v = createWith("a", "1")) {
      v.write(tx -> {
        tx.put(NOTES, "n", "note");
        return null;
      });
    }
    try (StoreFiles s = StoreFiles.open(vaultFile(), false)) {
      assertThat(s.db().treeMap("h.secrets", Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY).open().getValueInline())
          .isFalse();
      assertThat(s.db().treeMap("o.notes", Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY).open().getValueInline())
          .isFalse();
    }
  }

  @Test
  void aCollectionCreatedWithValuesInsideItsNodesKeepsThatLayoutAndWorks() throws Exception {
    try (Vault v = createWith("a", "1")) {
      assertThat(v.entries(NOTES)).isEmpty();
    }
    try (StoreFiles s = StoreFiles.open(vaultFile(), false)) {
      s.db().treeMap("o.notes", Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY).createOrOpen(); // as before
      s.db().commit();
    }
    try (Vault v = Vault.open(vaultFile(), TestKeys.first(), random)) {
      v.write(tx -> {
        for (int i = 0; i < 100; i++) {
          tx.put(NOTES, "k" + i, "v" + i);
        }
        return null;
      });
      v.write(tx -> tx.remove(NOTES, "k7"));
    }
    try (Vault v = Vault.open(vaultFile(), TestKeys.first(), random)) {
      assertThat(v.entries(NOTES)).hasSize(99);
      assertThat(v.get(NOTES, "k42")).contains("v42");
      assertThat(v.verify().ok()).isTrue();
    }
    try (StoreFiles s = StoreFiles.open(vaultFile(), false)) {
      assertThat(s.db().treeMap("o.notes", Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY).open().getValueInline())
          .isTrue();
    }
  }

  @Test
  void removesRecords() throws Exception {
    try (Vault v = createWith("a", "1")) {
      boolean first = v.write(tx -> tx.remove(SECRETS, "a"));
      boolean second = v.write(tx -> tx.remove(SECRETS, "a"));
      assertThat(first).isTrue();
      assertThat(second).isFalse();
      assertThat(v.entries(SECRETS)).isEmpty();
    }
  }

  @Test
  void createsTheDataDirectory0700AndEveryFileInIt0600() throws Exception {
    try (Vault v = createWith("a", "1")) {
      v.write(tx -> {
        tx.put(NOTES, "x", "y");
        return null;
      });
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(vaultFile().getParent())))
        .isEqualTo("rwx------");
    try (Stream<Path> files = Files.list(vaultFile().getParent())) {
      List<Path> all = files.toList();
      assertThat(all).isNotEmpty();
      for (Path f : all) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString())
            .isEqualTo("rw-------");
      }
    }
  }

  @Test
  void neitherSecretValuesNorSecretNamesAreInTheRawBytesOfAnyFile() throws Exception {
    String name = "my-provider-token-name";
    String value = "s3cr3t-V4lue-that-must-not-leak";
    try (Vault v = createWith(name, value)) {
      v.write(tx -> {
        tx.put(SECRETS, "second", Secret.copyOf(value.getBytes(StandardCharsets.UTF_8)));
        return null;
      });
    }
    SecretScan.assertAbsent(vaultFile().getParent(), value, name);
  }

  @Test
  void refusesToCreateOverAnExistingVault() throws Exception {
    createWith("a", "1").close();
    String before = sha256(vaultFile());
    assertThatThrownBy(() -> Vault.create(vaultFile(), TestKeys.first(), random))
        .isInstanceOf(VaultException.class)
        .hasMessageContaining("already exists")
        .extracting(e -> ((VaultException) e).reason())
        .isEqualTo(VaultException.Reason.ALREADY_EXISTS);
    assertThat(sha256(vaultFile())).isEqualTo(before);
  }

  @Test
  void refusesToOpenWithTheWrongKeyAndLeavesTheFileUnchanged() throws Exception {
    createWith("a", "1").close();
    String before = sha256(vaultFile());
    assertThatThrownBy(() -> Vault.open(vaultFile(), TestKeys.second(), random))
        .isInstanceOf(VaultException.class)
        .hasMessageContaining("does not open")
        .extracting(e -> ((VaultException) e).reason())
        .isEqualTo(VaultException.Reason.WRONG_KEY);
    assertThat(sha256(vaultFile())).isEqualTo(before);
  }

  @Test
  void reportsAMissingVault() {
    assertThatThrownBy(() -> Vault.open(vaultFile(), TestKeys.first(), random))
        .extracting(e -> ((VaultException) e).reason())
        .isEqualTo(VaultException.Reason.MISSING);
  }

  @Test
  void aSecondOpenWhileTheFirstIsOpenIsRefusedAsLocked() throws Exception {
    try (Vault v = createWith("a", "1")) {
      assertThat(v.file()).isEqualTo(vaultFile());
      String before = sha256(vaultFile());
      assertThatThrownBy(() -> Vault.open(vaultFile(), TestKeys.first(), random))
          .hasMessageContaining("in use")
          .extracting(e -> ((VaultException) e).reason())
          .isEqualTo(VaultException.Reason.LOCKED);
      assertThat(sha256(vaultFile())).isEqualTo(before);
    }
  }

  @Test
  void aFileThatIsNotAVaultIsRefusedAndLeftUnchanged() throws Exception {
    SecureFiles.createPrivateDirectories(vaultFile().getParent());
    byte[] junk = new byte[10_000];
    new SecureRandom().nextBytes(junk);
    Files.write(vaultFile(), junk);
    assertThatThrownBy(() -> Vault.open(vaultFile(), TestKeys.first(), random))
        .extracting(e -> ((VaultException) e).reason())
        .isIn(VaultException.Reason.NOT_A_VAULT, VaultException.Reason.CORRUPT);
    assertThat(Files.readAllBytes(vaultFile())).isEqualTo(junk);
  }

  @Test
  void aMapDbFileWithoutVaultMetadataIsNotAVault() throws Exception {
    SecureFiles.createPrivateDirectories(vaultFile().getParent());
    Files.createFile(vaultFile());
    try (StoreFiles s = StoreFiles.open(vaultFile(), true)) {
      s.db().treeMap("other", Serializer.STRING, Serializer.STRING).createOrOpen().put("k", "v");
      s.db().commit();
    }
    assertThatThrownBy(() -> Vault.open(vaultFile(), TestKeys.first(), random))
        .hasMessageContaining("not a Holdfast vault")
        .extracting(e -> ((VaultException) e).reason())
        .isEqualTo(VaultException.Reason.NOT_A_VAULT);
  }

  @Test
  void anEmptyFileIsReportedAsDamaged() throws Exception {
    SecureFiles.createPrivateDirectories(vaultFile().getParent());
    Files.createFile(vaultFile());
    assertThatThrownBy(() -> Vault.open(vaultFile(), TestKeys.first(), random))
        .extracting(e -> ((VaultException) e).reason())
        .isEqualTo(VaultException.Reason.CORRUPT);
    assertThat(Files.size(vaultFile())).isZero();
  }

  @Test
  void putIfAbsentAddsARecordOnlyWhenItsKeyIsFreeAndReturnsTheOneThatIsThere() throws Exception {
    try (Vault v = createWith("token", "t")) {
      v.write(tx -> {
        tx.put(NOTES, "a", "1");
        return null;
      });
      Optional<String> there = v.write(tx -> tx.putIfAbsent(NOTES, "a", "2"));
      assertThat(there).contains("1");
      Optional<String> free = v.write(tx -> tx.putIfAbsent(NOTES, "b", "3"));
      assertThat(free).isEmpty();
      assertThat(v.get(NOTES, "a")).contains("1");
      assertThat(v.get(NOTES, "b")).contains("3");
      assertThat(v.verify().ok()).as("the store-wide check counts the added record once").isTrue();
    }
    try (Vault v = Vault.open(vaultFile(), TestKeys.first(), random)) {
      assertThat(v.entries(NOTES)).hasSize(2);
    }
  }

  @Test
  void aTruncatedFileIsReportedAsDamagedAndLeftUnchanged() throws Exception {
    try (Vault v = createWith("a", "1")) {
      for (int i = 0; i < 50; i++) {
        int n = i;
        v.write(tx -> {
          tx.put(NOTES, "note-" + n, "x".repeat(200));
          return null;
        });
      }
    }
    byte[] whole = Files.readAllBytes(vaultFile());
    byte[] truncated = java.util.Arrays.copyOf(whole, whole.length / 3);
    Files.write(vaultFile(), truncated);
    // the journals beside it would give back the pages of the last commits: damage past their reach
    for (Path journal : dev.holdfast.vault.internal.JournaledVolume.journalsOf(vaultFile())) {
      Files.deleteIfExists(journal);
    }
    assertThatThrownBy(() -> {
      try (Vault v = Vault.open(vaultFile(), TestKeys.first(), random)) {
        v.entries(NOTES);
        if (!v.verify().ok()) {
          throw new VaultException(VaultException.Reason.CORRUPT, "verify found damage");
        }
      }
    }).extracting(e -> ((VaultException) e).reason()).isEqualTo(VaultException.Reason.CORRUPT);
    assertThat(Files.readAllBytes(vaultFile())).isEqualTo(truncated);
  }

  @Test
  void aRecordMovedToAnotherKeyFailsAuthentication() throws Exception {
    try (Vault v = Vault.create(vaultFile(), TestKeys.first(), random)) {
      v.write(tx -> {
        tx.put(NOTES, "a", "alpha");
        tx.put(NOTES, "b", "beta");
        return null;
      });
    }
    try (StoreFiles s = StoreFiles.open(vaultFile(), false)) {
      BTreeMap<byte[], byte[]> m =
          s.db().treeMap("o.notes", Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY).open();
      m.put("b".getBytes(StandardCharsets.US_ASCII), m.get("a".getBytes(StandardCharsets.US_ASCII)));
      s.db().commit();
    }
    try (Vault v = Vault.open(vaultFile(), TestKeys.first(), random)) {
      assertThatThrownBy(() -> v.get(NOTES, "b")).hasMessageContaining("failed authentication");
      VerifyReport report = v.verify();
      assertThat(report.badRecords()).extracting(VerifyReport.BadRecord::collection, VerifyReport.BadRecord::id)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("notes", "b"));
    }
  }

  @Test
  void aRecordMovedToAnotherCollectionFailsAuthentication() throws Exception {
    VaultCollection<String, String> other = VaultCollection.ordered("other", Codec.UTF8, Codec.UTF8);
    try (Vault v = Vault.create(vaultFile(), TestKeys.first(), random)) {
      v.write(tx -> {
        tx.put(NOTES, "a", "alpha");
        tx.put(other, "z", "zulu");
        return null;
      });
    }
    try (StoreFiles s = StoreFiles.open(vaultFile(), false)) {
      byte[] sealed = s.db().treeMap("o.notes", Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY).open()
          .get("a".getBytes(StandardCharsets.US_ASCII));
      s.db().treeMap("o.other", Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY).open()
          .put("a".getBytes(StandardCharsets.US_ASCII), sealed);
      s.db().commit();
    }
    // one record more in 'other' than its last commit left: the store-wide check refuses the file
    assertThatThrownBy(() -> Vault.open(vaultFile(), TestKeys.first(), random))
        .hasMessageContaining("'other': 1 record(s) more")
        .extracting(e -> ((VaultException) e).reason()).isEqualTo(VaultException.Reason.CORRUPT);
  }

  @Test
  void aHiddenKeyRecordCopiedToAnotherSlotFailsAuthentication() throws Exception {
    createWith("a", "1").close();
    try (StoreFiles s = StoreFiles.open(vaultFile(), false)) {
      BTreeMap<byte[], byte[]> m =
          s.db().treeMap("h.secrets", Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY).open();
      m.put(new byte[32], m.firstEntry().getValue());
      s.db().commit();
    }
    assertThatThrownBy(() -> Vault.open(vaultFile(), TestKeys.first(), random))
        .hasMessageContaining("'secrets': 1 record(s) more")
        .extracting(e -> ((VaultException) e).reason()).isEqualTo(VaultException.Reason.CORRUPT);
  }

  @Test
  void aHiddenKeyRecordSwappedIntoAnotherRecordsSlotFailsAuthenticationAndVerifyNamesIt() throws Exception {
    try (Vault v = Vault.create(vaultFile(), TestKeys.first(), random)) {
      v.write(tx -> { // one commit: both records carry the same generation, so only their AEAD tells them apart
        tx.put(SECRETS, "a", Secret.copyOf(new byte[] {1}));
        tx.put(SECRETS, "b", Secret.copyOf(new byte[] {2}));
        return null;
      });
    }
    try (StoreFiles s = StoreFiles.open(vaultFile(), false)) {
      BTreeMap<byte[], byte[]> m =
          s.db().treeMap("h.secrets", Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY).open();
      byte[] first = m.firstKey();
      byte[] last = m.lastKey();
      byte[] firstValue = m.get(first);
      m.put(first, m.get(last));
      m.put(last, firstValue);
      s.db().commit();
    }
    try (Vault v = Vault.open(vaultFile(), TestKeys.first(), random)) {
      VerifyReport report = v.verify();
      assertThat(report.recordsChecked()).isEqualTo(2);
      assertThat(report.badRecords()).hasSize(2).allSatisfy(b -> assertThat(b.id()).startsWith("#"));
    }
  }

  @Test
  void statusCountsRecordsPerCollectionAndNamesTheKeyOrigin() throws Exception {
    try (Vault v = createWith("a", "1")) {
      v.write(tx -> {
        tx.put(NOTES, "x", "1");
        tx.put(NOTES, "y", "2");
        return null;
      });
      VaultStatus status = v.status();
      assertThat(status.recordsPerCollection()).containsEntry("secrets", 1L).containsEntry("notes", 2L);
      assertThat(status.keyOrigin()).isEqualTo("test key 1");
      assertThat(status.formatVersion()).isEqualTo(Vault.FORMAT);
      assertThat(status.fileBytes()).isPositive();
    }
  }

  @Test
  void rekeyMakesTheVaultOpenWithTheNewKeyOnlyAndKeepsEveryRecord() throws Exception {
    try (Vault v = createWith("a", "1")) {
      v.write(tx -> {
        for (int i = 0; i < 100; i++) {
          tx.put(NOTES, "n" + i, "v" + i);
        }
        return null;
      });
    }
    Vault.rekey(vaultFile(), TestKeys.first(), TestKeys.second(), random);
    assertThatThrownBy(() -> Vault.open(vaultFile(), TestKeys.first(), random))
        .extracting(e -> ((VaultException) e).reason()).isEqualTo(VaultException.Reason.WRONG_KEY);
    try (Vault v = Vault.open(vaultFile(), TestKeys.second(), random)) {
      assertThat(v.entries(NOTES)).hasSize(100);
      assertThat(v.get(SECRETS, "a").orElseThrow().bytes()).containsExactly('1');
      assertThat(v.verify().ok()).isTrue();
    }
    assertThat(Files.exists(vaultFile().resolveSibling("agent.db.rekey"))).isFalse();
  }

  @Test
  void rekeyWithTheWrongOldKeyChangesNothing() throws Exception {
    createWith("a", "1").close();
    String before = sha256(vaultFile());
    assertThatThrownBy(() -> Vault.rekey(vaultFile(), TestKeys.second(), TestKeys.key(3), random))
        .extracting(e -> ((VaultException) e).reason()).isEqualTo(VaultException.Reason.WRONG_KEY);
    assertThat(sha256(vaultFile())).isEqualTo(before);
  }

  @Test
  void aPassphraseOpensTheVaultItCreatedAndAnotherPassphraseDoesNot() throws Exception {
    MasterKeySource right = MasterKeySource.ofPassphrase("correct horse".toCharArray(), "test passphrase");
    MasterKeySource wrong = MasterKeySource.ofPassphrase("correct hors".toCharArray(), "test passphrase");
    Vault.create(vaultFile(), right, random).close();
    Vault.open(vaultFile(), right, random).close();
    assertThatThrownBy(() -> Vault.open(vaultFile(), wrong, random))
        .extracting(e -> ((VaultException) e).reason()).isEqualTo(VaultException.Reason.WRONG_KEY);
  }

  @Test
  void toStringShowsNoKeyMaterial() throws Exception {
    try (Vault v = createWith("a", "1")) {
      assertThat(v.toString()).contains("test key 1").doesNotContain("0101");
    }
    assertThat(TestKeys.first().toString()).doesNotContain("0101");
  }

  /** Encodings a leaked secret could take in a file. */
  static final class SecretScan {
    private SecretScan() {}

    static List<byte[]> encodings(String value) {
      byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
      return List.of(
          utf8,
          value.getBytes(StandardCharsets.UTF_16LE),
          value.getBytes(StandardCharsets.UTF_16BE),
          Base64.getEncoder().encodeToString(utf8).getBytes(StandardCharsets.US_ASCII),
          Base64.getEncoder().encodeToString(utf8).substring(0, 12).getBytes(StandardCharsets.US_ASCII),
          HexFormat.of().formatHex(utf8).getBytes(StandardCharsets.US_ASCII),
          HexFormat.of().withUpperCase().formatHex(utf8).getBytes(StandardCharsets.US_ASCII));
    }

    static void assertAbsent(Path dir, String... values) throws Exception {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          byte[] content = Files.readAllBytes(f);
          for (String value : values) {
            for (byte[] needle : encodings(value)) {
              assertThat(indexOf(content, needle)).as("%s found in %s", value, f).isEqualTo(-1);
            }
          }
        }
      }
    }

    static int indexOf(byte[] haystack, byte[] needle) {
      outer:
      for (int i = 0; i <= haystack.length - needle.length; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (haystack[i + j] != needle[j]) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }
  }
}
