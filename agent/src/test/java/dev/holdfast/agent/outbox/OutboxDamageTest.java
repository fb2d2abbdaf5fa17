package dev.holdfast.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.vault.Vault;
import dev.holdfast.vault.VaultException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage a crash cannot explain is refused, with an error that names the segment and says what is
 * lost and what to do, and the files are left exactly as they were; what a crash does leave (the
 * batch being written, incomplete) is discarded and everything acknowledged kept.
 */
class OutboxDamageTest {
  @TempDir Path dir;
  OutboxFixture f;
  Path outbox;
  List<RecordId> ids = new ArrayList<>();

  /** About 180 KiB of records: three segments of 64 KiB. */
  @BeforeEach
  void fill() throws Exception {
    f = new OutboxFixture(dir);
    for (int i = 0; i < 60; i++) {
      ids.add(f.outbox.enqueue(OutboxFixture.webhook("https://example.test/" + (i % 4), "{\"n\":" + i + ",\"pad\":\""
          + "x".repeat(3000) + "\"}")));
    }
    f.close();
    outbox = dir.resolve("outbox");
    assertThat(segments()).hasSize(3);
  }

  private List<Path> segments() throws IOException {
    try (Stream<Path> s = Files.list(outbox)) {
      return s.filter(p -> p.getFileName().toString().matches("[0-9a-f]{16}\\.seg")).sorted().toList();
    }
  }

  private Map<Path, byte[]> snapshot() throws IOException {
    Map<Path, byte[]> out = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        out.put(p, Files.readAllBytes(p));
      }
    }
    return out;
  }

  /** Opening is refused as CORRUPT with a message containing all of {@code says}; nothing changes. */
  private void refused(String... says) throws Exception {
    Map<Path, byte[]> before = snapshot();
    assertThatThrownBy(this::open).isInstanceOfSatisfying(VaultException.class, e -> {
      assertThat(e.reason()).isEqualTo(VaultException.Reason.CORRUPT);
      assertThat(e.getMessage()).contains(says).contains("Nothing was changed")
          .contains("Restore the data directory from a backup").contains("outbox repair --accept-loss");
    });
    Map<Path, byte[]> after = snapshot();
    assertThat(after.keySet()).isEqualTo(before.keySet());
    before.forEach((p, bytes) -> assertThat(after.get(p)).as("%s unchanged", p).isEqualTo(bytes));
  }

  private void open() throws Exception {
    f.vault = Vault.open(f.file, OutboxFixture.key(), new SecureRandom());
    try {
      f.outbox = Outbox.open(f.vault, f.settings, f.clock, new SplittableRandom(7));
    } catch (VaultException e) {
      f.vault.close();
      throw e;
    }
  }

  /** Where the batches of a segment end: after its last byte that is not zero (the rest is preallocated zeros). */
  private static int dataEnd(byte[] segment) {
    int end = segment.length;
    while (end > 0 && segment[end - 1] == 0) {
      end--;
    }
    return end;
  }

  @Test
  void aSegmentDeletedByHandIsRefusedNamingItWhicheverItIs() throws Exception {
    for (int which = 0; which < 3; which++) {
      Path seg = segments().get(which);
      byte[] saved = Files.readAllBytes(seg);
      Files.delete(seg);
      refused(seg.toString(), "is missing", "lost");
      Files.write(seg, saved);
    }
    open();
    assertThat(f.outbox.status().queued()).isEqualTo(60);
    f.close();
  }

  @Test
  void aCorruptedRecordInTheMiddleIsRefusedNamingTheSegmentAndTheBytesLost() throws Exception {
    Path seg = segments().get(1);
    byte[] content = Files.readAllBytes(seg);
    content[64 + 28 + 100] ^= 0x20; // inside the first batch's sealed body
    Files.write(seg, content);
    refused(seg.toString(), "is damaged", "fails authentication", "intact batches follow",
        "the records in bytes 64 to");
  }

  /** Overwrites the last {@code bytes} of a segment's batches with {@code fill}; returns where they ended. */
  private int damageTail(Path seg, int bytes, byte fill) throws IOException {
    byte[] content = Files.readAllBytes(seg);
    int end = dataEnd(content);
    Arrays.fill(content, end - bytes, end, fill);
    Files.write(seg, content);
    return end;
  }

  @Test
  void aTailTornAfterACleanStopIsRefusedAsAcknowledgedRecordsLost() throws Exception {
    Path seg = segments().get(2);
    damageTail(seg, 100, (byte) 0x5a); // the last batch's last sectors garbled
    refused(seg.toString(), "when the agent last stopped cleanly", "were acknowledged and are lost");
  }

  @Test
  void aZeroedTailAfterACleanStopIsRefusedAsAcknowledgedRecordsLost() throws Exception {
    Path seg = segments().get(2);
    int end = damageTail(seg, 8192, (byte) 0);
    refused(seg.toString(), "reached offset " + end, "were acknowledged and are lost");
  }

  @Test
  void theTailOfASegmentBeforeTheLastLostIsRefused() throws Exception {
    Path seg = segments().get(0);
    damageTail(seg, 4096, (byte) 0);
    refused(seg.toString(), "without handing over to", "are lost");
  }

  @Test
  void aDamagedSegmentHeaderIsRefused() throws Exception {
    Path seg = segments().get(1);
    byte[] content = Files.readAllBytes(seg);
    content[10] ^= 1;
    Files.write(seg, content);
    refused(seg.toString(), "damaged header");
  }

  @Test
  void anOutboxDirectoryEmptiedByHandIsRefused() throws Exception {
    for (Path p : segments()) {
      Files.delete(p);
    }
    refused(outbox.toString(), "holds no segment", "every record it held is lost");
  }

  @Test
  void theBatchACrashLeftIncompleteIsDiscardedAndEveryAcknowledgedRecordKept() throws Exception {
    // a crash image: no clean stop since the last batches were written, the next one half written
    open();
    RecordId last = f.outbox.enqueue(OutboxFixture.sms("+15551234567", "acknowledged just before the crash"));
    Path crashed = dir.resolve("crashed");
    dev.holdfast.vault.SecureFiles.createPrivateDirectories(crashed); // a data directory: the owner's alone
    List<Path> files = new java.util.ArrayList<>(List.of(f.file));
    files.addAll(dev.holdfast.vault.internal.JournaledVolume.journalsOf(f.file));
    for (Path p : files) {
      if (Files.exists(p)) {
        Files.copy(p, crashed.resolve(p.getFileName()));
      }
    }
    Files.createDirectories(crashed.resolve("outbox"));
    for (Path p : segments()) {
      Files.copy(p, crashed.resolve("outbox").resolve(p.getFileName()));
    }
    f.close();
    Path seg = crashed.resolve("outbox").resolve(segments().get(2).getFileName());
    byte[] content = Files.readAllBytes(seg);
    int end = dataEnd(content);
    int lastBatch = lastBatchOffset(content, end);
    // the next batch: a whole header (sequence + 1) and the first part of a body, the rest never written
    byte[] next = Arrays.copyOfRange(content, lastBatch, end);
    ByteBuffer h = ByteBuffer.wrap(next);
    h.putLong(12, h.getLong(12) + 1);
    CRC32C crc = new CRC32C();
    crc.update(next, 0, 24);
    h.putInt(24, (int) crc.getValue());
    System.arraycopy(next, 0, content, end, Math.min(next.length / 2, content.length - end));
    Files.write(seg, content);

    Vault vault = Vault.open(crashed.resolve("agent.db"), OutboxFixture.key(), new SecureRandom());
    try (Outbox reopened = Outbox.open(vault, f.settings, f.clock, new SplittableRandom(7))) {
      assertThat(reopened.status().queued()).isEqualTo(61);
      assertThat(reopened.find(last)).get().satisfies(r -> assertThat(r.payload()).asString()
          .isEqualTo("acknowledged just before the crash"));
      for (RecordId id : ids) {
        assertThat(reopened.find(id)).as("record %s", id).isPresent();
      }
      reopened.enqueue(OutboxFixture.sms("+15551234567", "written over the torn batch"));
    } finally {
      vault.close();
    }
  }

  @Test
  void aRepairKeepsEveryIntactRecordStartsAFreshLogAndMovesTheDamagedFilesAside() throws Exception {
    Path seg = segments().get(1);
    byte[] content = Files.readAllBytes(seg);
    content[64 + 28 + 100] ^= 0x20; // the first batch of the middle segment: one record
    Files.write(seg, content);
    refused("is damaged");
    f.vault = Vault.open(f.file, OutboxFixture.key(), new SecureRandom());
    OutboxRepair.Report report = OutboxRepair.run(f.vault, f.settings);
    assertThat(report.findings()).singleElement().asString().contains(seg.toString()).contains("fails authentication");
    assertThat(report.queued()).isEqualTo(59);
    assertThat(report.damagedCopy()).contains(dir.resolve("outbox.damaged-1"));
    assertThat(Files.readAllBytes(dir.resolve("outbox.damaged-1").resolve(seg.getFileName()))).isEqualTo(content);
    f.outbox = Outbox.open(f.vault, f.settings, f.clock, new SplittableRandom(7));
    assertThat(f.outbox.status().queued()).isEqualTo(59);
    long kept = ids.stream().filter(id -> {
      try {
        return f.outbox.find(id).isPresent();
      } catch (OutboxException e) {
        throw new IllegalStateException(e);
      }
    }).count();
    assertThat(kept).isEqualTo(59);
    RecordId next = f.outbox.enqueue(OutboxFixture.sms("+15551234567", "after the repair"));
    assertThat(ids).allMatch(id -> id.compareTo(next) < 0);
    f.close();
    open();
    assertThat(f.outbox.status().queued()).isEqualTo(60);
    assertThat(OutboxRepair.run(f.vault, f.settings).findings()).as("a second repair finds nothing").isEmpty();
    f.close();
  }

  @Test
  void aRepairAfterASegmentWasDeletedKeepsTheOthers() throws Exception {
    Path seg = segments().get(0);
    Files.delete(seg);
    f.vault = Vault.open(f.file, OutboxFixture.key(), new SecureRandom());
    OutboxRepair.Report report = OutboxRepair.run(f.vault, f.settings);
    assertThat(report.findings()).anySatisfy(x -> assertThat(x).contains(seg.toString()).contains("is missing"));
    f.outbox = Outbox.open(f.vault, f.settings, f.clock, new SplittableRandom(7));
    assertThat(f.outbox.status().queued()).isEqualTo(report.queued()).isBetween(1, 59);
    assertThat(f.outbox.find(ids.get(59))).isPresent();
    f.close();
  }

  /** The offset of the last batch before {@code end}: its header's magic "HFOB", walking back. */
  private static int lastBatchOffset(byte[] content, int end) {
    for (int at = end - 28; at >= 64; at--) {
      if (content[at] == 'H' && content[at + 1] == 'F' && content[at + 2] == 'O' && content[at + 3] == 'B'
          && at + 28 + ByteBuffer.wrap(content, at + 20, 4).getInt() == end) {
        return at;
      }
    }
    throw new IllegalStateException("no batch ends at " + end);
  }
}
