package dev.holdfast.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.vault.internal.StoreFiles;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mapdb.Serializer;

/** A vault written by Holdfast before the store-wide check (format 1, a committed fixture) opens and upgrades. */
class FormatUpgradeTest {
  @TempDir Path dir;
  Path file;
  final SecureRandom random = new SecureRandom();

  @BeforeEach
  void copyTheFixture() throws Exception {
    Path data = dir.resolve("data");
    SecureFiles.createPrivateDirectories(data);
    file = data.resolve("agent.db");
    try (InputStream in = FormatUpgradeTest.class.getResourceAsStream("format-1/agent.db")) {
      Files.copy(in, file);
    }
  }

  @Test
  void aFormat1VaultOpensAndReadsEveryRecordWithoutBeingChanged() throws Exception {
    byte[] before = Files.readAllBytes(file);
    try (Vault v = Vault.open(file, TestKeys.first(), random)) {
      assertThat(v.status().formatVersion()).isEqualTo(1);
      assertThat(v.get(VaultTest.SECRETS, "twilio-token").orElseThrow().bytes())
          .isEqualTo("tok-123".getBytes(StandardCharsets.UTF_8));
      assertThat(v.entries(VaultTest.NOTES)).extracting(Map.Entry::getValue)
          .containsExactly("value 0", "value 1", "value 2", "value 3");
      assertThat(v.verify().ok()).isTrue();
    }
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  @Test
  void theFirstWriteUpgradesItToFormat2AndEveryRecordStaysReadable() throws Exception {
    try (Vault v = Vault.open(file, TestKeys.first(), random)) {
      v.write(tx -> {
        tx.put(VaultTest.NOTES, "note-9", "value 9");
        return null;
      });
      assertThat(v.status().formatVersion()).isEqualTo(Vault.FORMAT);
      assertThat(v.get(VaultTest.NOTES, "note-0")).contains("value 0");
    }
    try (Vault v = Vault.open(file, TestKeys.first(), random)) {
      assertThat(v.status().formatVersion()).isEqualTo(Vault.FORMAT);
      assertThat(v.get(VaultTest.SECRETS, "webhook-key").orElseThrow().bytes())
          .isEqualTo("whk-456".getBytes(StandardCharsets.UTF_8));
      assertThat(v.entries(VaultTest.NOTES)).hasSize(5);
      assertThat(v.verify().ok()).isTrue();
    }
    try (StoreFiles s = StoreFiles.open(file, false)) {
      s.db().treeMap("o.notes", Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY).open()
          .remove("note-1".getBytes(StandardCharsets.US_ASCII));
      s.db().commit();
    }
    assertThatThrownBy(() -> Vault.open(file, TestKeys.first(), random))
        .hasMessageContaining("'notes': 1 record(s) missing");
  }

  @Test
  void anUpgradeThatFailsWithItsTransactionLeavesTheVaultAtFormat1() throws Exception {
    try (Vault v = Vault.open(file, TestKeys.first(), random)) {
      assertThatThrownBy(() -> v.write(tx -> {
        tx.put(VaultTest.NOTES, "note-9", "value 9");
        throw new IllegalStateException("abandoned");
      })).hasMessage("abandoned");
      assertThat(v.status().formatVersion()).isEqualTo(1);
      assertThat(v.get(VaultTest.NOTES, "note-2")).contains("value 2");
    }
    try (Vault v = Vault.open(file, TestKeys.first(), random)) {
      assertThat(v.status().formatVersion()).isEqualTo(1);
      assertThat(v.entries(VaultTest.NOTES)).hasSize(4);
    }
  }

  @Test
  void aFormat1VaultRekeysToFormat2() throws Exception {
    Vault.rekey(file, TestKeys.first(), TestKeys.second(), random);
    try (Vault v = Vault.open(file, TestKeys.second(), random)) {
      assertThat(v.status().formatVersion()).isEqualTo(Vault.FORMAT);
      assertThat(v.entries(VaultTest.NOTES)).hasSize(4);
      assertThat(v.verify().ok()).isTrue();
    }
  }
}
