package dev.holdfast.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Random;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Random damage must always end in a clear error or a clean verify, and never change the file. */
class DamagedVaultTest {
  @TempDir Path dir;

  @Test
  void bytesFlippedAtRandomOffsetsAreReportedAndTheFileIsLeftUnchanged() throws Exception {
    Path file = dir.resolve("agent.db");
    try (Vault v = Vault.create(file, TestKeys.first(), new SecureRandom())) {
      for (int i = 0; i < 40; i++) {
        int n = i;
        v.write(tx -> {
          tx.put(VaultTest.NOTES, String.format("note-%03d", n), "value " + n + " " + "x".repeat(n * 7));
          return null;
        });
      }
    }
    byte[] pristine = Files.readAllBytes(file);
    // most of the file is unused, zeroed space where a flip harms nothing: aim at bytes in use
    int[] used = java.util.stream.IntStream.range(0, pristine.length).filter(i -> pristine[i] != 0).toArray();
    Random random = new Random(20261122L);
    EnumSet<VaultException.Reason> seen = EnumSet.noneOf(VaultException.Reason.class);
    int detected = 0;
    for (int trial = 0; trial < 150; trial++) {
      byte[] damaged = pristine.clone();
      int flips = 1 + random.nextInt(8);
      for (int f = 0; f < flips; f++) {
        damaged[used[random.nextInt(used.length)]] ^= (byte) (1 + random.nextInt(255));
      }
      Files.write(file, damaged);
      String outcome = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60), () -> openAndVerify(file));
      assertThat(Files.readAllBytes(file)).as("trial %d (%s)", trial, outcome).isEqualTo(damaged);
      if (!outcome.equals("clean")) {
        detected++;
        if (!outcome.equals("verify found damage")) {
          seen.add(VaultException.Reason.valueOf(outcome));
        }
      }
    }
    // many flips land in MapDB's stale copies of old B-tree nodes, which nothing reads
    assertThat(detected).as("damage detected in some trials").isPositive();
    assertThat(seen).isSubsetOf(EnumSet.of(VaultException.Reason.CORRUPT,
        VaultException.Reason.WRONG_KEY, VaultException.Reason.NOT_A_VAULT));
  }

  @Test
  void damageInsideALiveRecordIsNamedByVerifyWithItsCollectionAndId() throws Exception {
    Path file = dir.resolve("agent.db");
    try (Vault v = Vault.create(file, TestKeys.first(), new SecureRandom())) {
      v.write(tx -> {
        for (int i = 0; i < 20; i++) {
          tx.put(VaultTest.NOTES, String.format("note-%03d", i), "value " + i);
        }
        return null;
      });
    }
    // the newest journal holds a good copy of the last commit's pages and would mend them: take
    // it away (it is redundant after a clean close) so the damage below meets verify alone
    for (Path journal : dev.holdfast.vault.internal.JournaledVolume.journalsOf(file)) {
      Files.deleteIfExists(journal);
    }
    byte[] sealed;
    try (var store = dev.holdfast.vault.internal.StoreFiles.open(file, false)) {
      sealed = store.db().treeMap("o.notes", org.mapdb.Serializer.BYTE_ARRAY, org.mapdb.Serializer.BYTE_ARRAY)
          .open().get("note-007".getBytes(StandardCharsets.US_ASCII));
    }
    byte[] content = Files.readAllBytes(file);
    int copies = 0;
    for (int at = VaultTest.SecretScan.indexOf(content, sealed); at >= 0; ) {
      content[at + sealed.length - 3] ^= 0x5a; // inside the authentication tag
      copies++;
      int next = VaultTest.SecretScan.indexOf(java.util.Arrays.copyOfRange(content, at + 1, content.length), sealed);
      at = next < 0 ? -1 : at + 1 + next;
    }
    assertThat(copies).as("copies of %s", java.util.HexFormat.of().formatHex(sealed)).isPositive();
    Files.write(file, content);
    try (Vault v = Vault.open(file, TestKeys.first(), new SecureRandom())) {
      assertThat(v.verify().badRecords())
          .extracting(VerifyReport.BadRecord::collection, VerifyReport.BadRecord::id)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("notes", "note-007"));
      assertThat(v.get(VaultTest.NOTES, "note-006")).contains("value 6");
    }
    assertThat(Files.readAllBytes(file)).isEqualTo(content);
  }

  @Test
  void aDamagedHeaderIsReportedInOurWordsWithoutTheStorageEnginesAdvice() throws Exception {
    Path file = dir.resolve("agent.db");
    try (Vault v = Vault.create(file, TestKeys.first(), new SecureRandom())) {
      v.write(tx -> {
        tx.put(VaultTest.NOTES, "note-001", "value 1");
        return null;
      });
    }
    for (Path journal : dev.holdfast.vault.internal.JournaledVolume.journalsOf(file)) {
      Files.deleteIfExists(journal); // redundant after a clean close; it would mend page 0
    }
    byte[] content = Files.readAllBytes(file);
    content[20] ^= 0x40; // inside MapDB's header, which a checksum covers
    Files.write(file, content);
    VaultException e = Assertions.assertThrows(VaultException.class,
        () -> Vault.open(file, TestKeys.first(), new SecureRandom()).close());
    assertThat(e.reason()).isEqualTo(VaultException.Reason.CORRUPT);
    assertThat(e.getMessage()).contains(file.toString()).contains("header does not match its checksum")
        .contains("not changed").contains("Restore it from a backup")
        .doesNotContainIgnoringCase("bypass").doesNotContain("DBMaker").doesNotContainIgnoringCase("mapdb")
        .doesNotContainIgnoringCase("enable transactions");
    assertThat(Files.readAllBytes(file)).isEqualTo(content);
  }

  /** "clean", "verify found damage", or the reason of the VaultException. */
  private static String openAndVerify(Path file) {
    try (Vault v = Vault.open(file, TestKeys.first(), new SecureRandom())) {
      VerifyReport report = v.verify();
      if (!report.ok()) {
        return "verify found damage";
      }
      // a clean verify must mean every value really reads back
      for (var e : v.entries(VaultTest.NOTES)) {
        assertThat(e.getValue()).startsWith("value ");
        assertThat(e.getKey().getBytes(StandardCharsets.US_ASCII)).hasSize(8);
      }
      return "clean";
    } catch (VaultException e) {
      assertThat(e.getMessage()).as("a message that says what is wrong").contains(file.toString());
      return e.reason().name();
    } catch (RuntimeException e) {
      return fail("damage surfaced as an unexpected " + e, e);
    }
  }
}
