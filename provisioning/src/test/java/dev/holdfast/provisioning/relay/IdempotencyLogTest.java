package dev.holdfast.provisioning.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.protocol.crypto.Aead;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.provisioning.registry.IdempotencyRecord;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.provisioning.testing.MutableClock;
import dev.holdfast.vault.Disk;
import dev.holdfast.vault.testing.SimulatedDisk;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdempotencyLogTest {
  static final Duration WINDOW = Duration.ofHours(24);
  static final Instant NOW = MutableClock.START;
  static final byte[] FINGERPRINT = GroupCommitTest.BODY;

  @TempDir Path dir;
  IdempotencyLog log;

  @AfterEach
  void tearDown() {
    if (log != null) {
      log.close();
    }
  }

  static Aead aead() {
    return new Aead(Secret.wrap(new byte[Aead.KEY_BYTES]), new SecureRandom());
  }

  static IdempotencyLog open(Disk disk, Path dir, Instant now, long floor) throws RegistryException {
    return IdempotencyLog.open(disk, dir, aead(), WINDOW, now, floor);
  }

  IdempotencyLog reopen() throws RegistryException {
    if (log != null) {
      log.close();
    }
    log = open(Disk.REAL, dir, NOW, IdempotencyLog.COMPACT_FLOOR);
    return log;
  }

  static IdempotencyRecord sending(String key, Instant createdAt) {
    return new IdempotencyRecord("key-1", key, FINGERPRINT, IdempotencyRecord.Phase.SENDING, "relay-1", createdAt, 0,
        "");
  }

  static void put(IdempotencyLog log, IdempotencyRecord... records) throws RegistryException {
    log.write(r -> {
      for (IdempotencyRecord record : records) {
        r.put(record);
      }
      return null;
    });
  }

  static Map<String, String> held(IdempotencyLog log) {
    Map<String, String> m = new TreeMap<>();
    for (IdempotencyRecord r : log.all()) {
      m.put(r.idempotencyKey(), r.phase() + " " + r.status() + " " + r.responseBody() + " " + r.createdAt());
    }
    return m;
  }

  private Path onlyFile() throws Exception {
    try (var files = Files.list(dir)) {
      List<Path> all = files.toList();
      assertThat(all).hasSize(1);
      return all.get(0);
    }
  }

  @Test
  void recordsPutCompletedAndRemovedAreWhatAReopenedLogHolds() throws Exception {
    reopen();
    put(log, sending("a", NOW), sending("b", NOW));
    put(log, sending("a", NOW).completed(201, "{\"id\":\"msg_a\"}"));
    IdempotencyRecord.Key b = new IdempotencyRecord.Key("key-1", "b");
    boolean removed = log.write(r -> r.remove(b));
    boolean removedAgain = log.write(r -> r.remove(b));
    assertThat(removed).isTrue();
    assertThat(removedAgain).as("already gone").isFalse();
    Map<String, String> before = held(log);

    reopen();

    assertThat(held(log)).isEqualTo(before).containsOnlyKeys("a");
    assertThat(log.find(new IdempotencyRecord.Key("key-1", "a")).orElseThrow().responseBody())
        .isEqualTo("{\"id\":\"msg_a\"}");
    assertThat(log.appends()).as("a write that changes nothing appends nothing").isZero();
  }

  @Test
  void aBatchCutShortByACrashIsDroppedAndTheFileIsCutWhereTheLastWholeBatchEnds() throws Exception {
    reopen();
    put(log, sending("a", NOW));
    put(log, sending("b", NOW));
    long whole = log.bytes();
    log.close();
    Files.write(onlyFile(), new byte[] {0x48, 0x46, 0x49, 0x52, 0, 0, 0, 0, 0, 0, 0, 2, 1, 2, 3},
        StandardOpenOption.APPEND);

    reopen();

    assertThat(held(log)).containsOnlyKeys("a", "b");
    assertThat(Files.size(onlyFile())).isEqualTo(whole);
    put(log, sending("c", NOW));
    reopen();
    assertThat(held(log)).containsOnlyKeys("a", "b", "c");
  }

  @Test
  void aDamagedBatchWithAnIntactOneBehindItIsRefusedAndTheFileIsLeftByteForByte() throws Exception {
    reopen();
    put(log, sending("a", NOW));
    put(log, sending("b", NOW));
    log.close();
    log = null;
    Path file = onlyFile();
    byte[] bytes = Files.readAllBytes(file);
    bytes[IdempotencyLog.HEAD + IdempotencyLog.HEADER + 20] ^= 1; // inside the sealed entries of a's batch
    Files.write(file, bytes);

    assertThatThrownBy(() -> reopen()).isInstanceOf(RegistryException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("damaged at byte " + IdempotencyLog.HEAD)
        .hasMessageContaining("Restore it from a backup")
        .extracting(e -> ((RegistryException) e).reason()).isEqualTo(RegistryException.Reason.CORRUPT);
    assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
  }

  @Test
  void aLogThatDoesNotOpenUnderTheDataKeyIsRefusedAndLeftByteForByte() throws Exception {
    reopen();
    put(log, sending("a", NOW));
    log.close();
    log = null;
    byte[] bytes = Files.readAllBytes(onlyFile());
    byte[] otherKey = new byte[Aead.KEY_BYTES];
    otherKey[0] = 1;

    assertThatThrownBy(() -> IdempotencyLog.open(Disk.REAL, dir, new Aead(Secret.wrap(otherKey), new SecureRandom()),
        WINDOW, NOW)).isInstanceOf(RegistryException.class)
        .hasMessageContaining("does not open under the relay's data key");
    assertThat(Files.readAllBytes(onlyFile())).isEqualTo(bytes);
  }

  @Test
  void aFileCutShortWhileItWasMadeIsMadeAgain() throws Exception {
    reopen();
    log.close();
    log = null;
    Path file = onlyFile();
    Files.write(file, java.util.Arrays.copyOf(Files.readAllBytes(file), IdempotencyLog.HEAD - 7));

    reopen();
    put(log, sending("a", NOW));
    reopen();

    assertThat(held(log)).containsOnlyKeys("a");
  }

  @Test
  void recordsPastTheWindowAreForgottenInMemoryAndWhenTheLogIsRead() throws Exception {
    reopen();
    put(log, sending("old", NOW), sending("new", NOW.plus(Duration.ofHours(1))));

    assertThat(log.dropExpired(NOW.plus(WINDOW).minusSeconds(1))).isZero();
    assertThat(log.dropExpired(NOW.plus(WINDOW))).isEqualTo(1);
    assertThat(held(log)).containsOnlyKeys("new");

    log.close();
    log = open(Disk.REAL, dir, NOW.plus(WINDOW), IdempotencyLog.COMPACT_FLOOR);
    assertThat(held(log)).containsOnlyKeys("new");
  }

  @Test
  void compactsIntoTheNextGenerationWhenGarbageExceedsTheLiveRecordsAndKeepsTheNewestOfEach() throws Exception {
    log = open(Disk.REAL, dir, NOW, 2048);
    for (int i = 0; i < 200; i++) {
      put(log, sending("k" + (i % 5), NOW).completed(201, "{\"n\":" + i + "}"));
    }
    Map<String, String> before = held(log);

    assertThat(log.compactions()).isPositive();
    assertThat(onlyFile().getFileName().toString()).isEqualTo("idempotency-" + (1 + log.compactions()) + ".log");
    assertThat(Files.size(onlyFile())).isLessThan(3 * 2048);
    reopen();
    assertThat(held(log)).isEqualTo(before).hasSize(5);
    assertThat(log.find(new IdempotencyRecord.Key("key-1", "k4")).orElseThrow().responseBody())
        .isEqualTo("{\"n\":199}");
  }

  @Test
  void aCompactionsLeftoversAreDeletedOnOpeningAndTheNewestGenerationIsRead() throws Exception {
    log = open(Disk.REAL, dir, NOW, 2048);
    for (int i = 0; i < 60; i++) {
      put(log, sending("k" + (i % 3), NOW).completed(201, "{\"n\":" + i + "}"));
    }
    long generation = 1 + log.compactions();
    assertThat(generation).isGreaterThan(1);
    Map<String, String> before = held(log);
    log.close();
    log = null;
    Files.write(dir.resolve("idempotency-1.log"), new byte[] {1, 2, 3}); // renamed over, not yet deleted
    Files.write(dir.resolve("idempotency-" + (generation + 1) + ".log.tmp"), new byte[] {4, 5, 6});

    reopen();

    assertThat(onlyFile().getFileName().toString()).isEqualTo("idempotency-" + generation + ".log");
    assertThat(held(log)).isEqualTo(before);
  }

  @Test
  void aFileOfAnotherNameInItsDirectoryIsNamedInTheError() throws Exception {
    Files.createDirectories(dir);
    Files.write(dir.resolve("idempotency-x.log"), new byte[0]);

    assertThatThrownBy(() -> reopen()).isInstanceOf(RegistryException.class)
        .hasMessageContaining("idempotency-x.log is not a file of the idempotency log");
  }

  @Test
  void noFieldOfARecordIsReadableInTheFile() throws Exception {
    reopen();
    IdempotencyRecord r = new IdempotencyRecord("key-secretive", "order-unguessable-42", FINGERPRINT,
        IdempotencyRecord.Phase.SENT, "relay-owner-xyz", NOW, 201, "{\"id\":\"msg_private_body\"}");
    put(log, r);

    String content = new String(Files.readAllBytes(onlyFile()), StandardCharsets.ISO_8859_1);
    for (String value : List.of("key-secretive", "order-unguessable-42", "relay-owner-xyz", "msg_private_body",
        new String(FINGERPRINT, StandardCharsets.ISO_8859_1))) {
      assertThat(content).doesNotContain(value);
    }
    assertThat(r.toString()).doesNotContain("order-unguessable-42").doesNotContain("msg_private_body");
  }

  @Test
  void aChangeThatThrowsLeavesNothingBehind() throws Exception {
    reopen();
    put(log, sending("a", NOW));

    assertThatThrownBy(() -> log.write(r -> {
      r.put(sending("b", NOW));
      r.put(sending("a", NOW).completed(201, "changed"));
      r.remove(new IdempotencyRecord.Key("key-1", "a"));
      throw new IllegalStateException("refused");
    })).hasMessage("refused");

    assertThat(held(log)).containsOnlyKeys("a");
    assertThat(log.find(new IdempotencyRecord.Key("key-1", "a")).orElseThrow().phase())
        .isEqualTo(IdempotencyRecord.Phase.SENDING);
    assertThat(log.appends()).isEqualTo(1);
  }

  @Test
  void anAppendThatFailsIsUndoneAndEveryLaterWriteIsRefusedUntilTheLogIsOpenedAgain() throws Exception {
    SimulatedDisk disk = new SimulatedDisk();
    Path at = Path.of("/srv/holdfast/relay-idempotency");
    log = open(disk, at, NOW, IdempotencyLog.COMPACT_FLOOR);
    put(log, sending("a", NOW));
    disk.stopAt(disk.points().size() + 1); // the next write

    assertThatThrownBy(() -> put(log, sending("b", NOW))).isInstanceOf(RegistryException.class)
        .hasMessageContaining("could not be written").hasMessageContaining("restart the relay");
    assertThat(held(log)).containsOnlyKeys("a");
    assertThatThrownBy(() -> put(log, sending("c", NOW))).isInstanceOf(RegistryException.class)
        .hasMessageContaining("restart the relay");

    log.close();
    log = open(disk.afterCrash(SimulatedDisk.Survival.FLUSHED_ONLY), at, NOW, IdempotencyLog.COMPACT_FLOOR);
    assertThat(held(log)).containsOnlyKeys("a");
  }
}
