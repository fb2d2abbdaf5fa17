package dev.holdfast.vault.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournaledVolumeTest {
  @TempDir Path dir;

  private JournaledVolume open(Path file) throws Exception {
    return new JournaledVolume(dev.holdfast.vault.Disk.REAL, file, FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE));
  }

  private static byte[] filled(int size, int value) {
    byte[] b = new byte[size];
    Arrays.fill(b, (byte) value);
    return b;
  }

  private byte[] read(JournaledVolume v, long offset, int size) {
    byte[] out = new byte[size];
    v.getData(offset, out, 0, size);
    return out;
  }

  @Test
  void writesReachTheFileOnlyAtSync() throws Exception {
    Path file = Files.createFile(dir.resolve("store"));
    JournaledVolume v = open(file);
    v.putData(100, filled(5000, 7), 0, 5000);
    assertThat(Files.size(file)).isZero();
    assertThat(read(v, 100, 5000)).containsOnly(7);
    v.sync();
    byte[] onDisk = Files.readAllBytes(file);
    assertThat(Arrays.copyOfRange(onDisk, 100, 5100)).containsOnly(7);
    v.close();
  }

  @Test
  void aCommitWhoseJournalIsCompleteIsFinishedAfterACrashBeforeTheStoreWasWritten() throws Exception {
    Path file = Files.createFile(dir.resolve("store"));
    JournaledVolume v = open(file);
    v.putData(0, filled(8192, 1), 0, 8192);
    v.sync();
    byte[] before = Files.readAllBytes(file);
    v.putData(4096, filled(100, 2), 0, 100);
    v.sync();
    v.close();
    // the crash: the journal of the second commit is durable, the store still holds the first
    Files.write(file, before);

    JournaledVolume reopened = open(file);
    assertThat(reopened.recovered()).isTrue();
    assertThat(read(reopened, 4096, 100)).containsOnly(2);
    assertThat(Files.readAllBytes(file)).as("a read-only open changes nothing").isEqualTo(before);
    reopened.sync();
    reopened.close();
    assertThat(Arrays.copyOfRange(Files.readAllBytes(file), 4096, 4196)).containsOnly(2);
  }

  @Test
  void aTornJournalIsIgnoredBecauseTheStoreWasNeverTouchedForIt() throws Exception {
    Path file = Files.createFile(dir.resolve("store"));
    JournaledVolume v = open(file);
    v.putData(0, filled(4096, 1), 0, 4096);
    v.sync();
    byte[] before = Files.readAllBytes(file);
    v.putData(0, filled(4096, 3), 0, 4096);
    v.sync();
    v.close();
    Files.write(file, before);
    Path newest = JournaledVolume.journalsOf(file).get(2); // sequence 2 went to slot 2
    byte[] journal = Files.readAllBytes(newest);
    Files.write(newest, Arrays.copyOf(journal, journal.length - 10));

    JournaledVolume reopened = open(file);
    assertThat(read(reopened, 0, 4096)).containsOnly(1);
    reopened.close();
  }

  /** What five commits left, the fifth a short journal in the slot that held a ten-page one. */
  private record ShortOverLong(Path file, byte[] storeBeforeFifth, Path slot, byte[] slotBeforeFifth) {}

  private ShortOverLong aShortJournalOverALongOne() throws Exception {
    Path file = Files.createFile(dir.resolve("store"));
    JournaledVolume v = open(file);
    v.putData(0, filled(40_960, 1), 0, 40_960); // sequence 1, slot 1: ten pages
    v.sync();
    for (int value = 2; value <= 4; value++) {
      v.putData(0, filled(100, value), 0, 100); // sequences 2 to 4, slots 2, 3, 0
      v.sync();
    }
    Path slot = JournaledVolume.journalsOf(file).get(1);
    ShortOverLong before = new ShortOverLong(file, Files.readAllBytes(file), slot, Files.readAllBytes(slot));
    v.putData(8192, filled(100, 5), 0, 100); // sequence 5, slot 1 again: two pages over ten
    v.sync();
    v.close();
    return before;
  }

  @Test
  void aShortJournalOverwritingALongerOneInItsSlotIsReadWithoutTheOldTail() throws Exception {
    ShortOverLong s = aShortJournalOverALongOne();
    assertThat(Files.size(s.slot())).as("the slot keeps its size: no truncation").isGreaterThan(10L * 4096);
    Files.write(s.file(), s.storeBeforeFifth()); // the crash: sequence 5 is durable in its journal only

    JournaledVolume reopened = open(s.file());
    assertThat(reopened.recovered()).isTrue();
    assertThat(read(reopened, 8192, 100)).containsOnly(5);
    assertThat(read(reopened, 0, 100)).containsOnly(4);
    reopened.close();
  }

  @Test
  void aNewHeaderOverTheOldTailOfItsSlotIsATornJournal() throws Exception {
    ShortOverLong s = aShortJournalOverALongOne();
    // the crash: only the first 4 KiB of sequence 5's journal reached the disk
    byte[] torn = s.slotBeforeFifth().clone();
    System.arraycopy(Files.readAllBytes(s.slot()), 0, torn, 0, 4096);
    Files.write(s.slot(), torn);
    Files.write(s.file(), s.storeBeforeFifth());

    JournaledVolume reopened = open(s.file());
    assertThat(read(reopened, 8192, 100)).containsOnly(1);
    assertThat(read(reopened, 0, 100)).containsOnly(4);
    reopened.close();
  }

  @Test
  void aJournalIsNeverLaidOverAnotherFileCopiedToTheSamePath() throws Exception {
    Path file = Files.createFile(dir.resolve("store"));
    JournaledVolume v = open(file);
    v.putData(0, filled(8192, 1), 0, 8192);
    v.sync();
    v.putData(4096, filled(10, 2), 0, 10);
    v.sync();
    v.close();
    byte[] other = filled(8192, 9); // e.g. an older backup copied over the store
    Files.write(file, other);
    JournaledVolume reopened = open(file);
    assertThat(reopened.recovered()).isFalse();
    assertThat(read(reopened, 0, 8192)).containsOnly(9);
    reopened.close();
  }

  @Test
  void aPageZeroTornBetweenItsOldAndNewSectorsIsStillRecognisedAndCompleted() throws Exception {
    Path file = Files.createFile(dir.resolve("store"));
    JournaledVolume v = open(file);
    v.putData(0, filled(8192, 1), 0, 8192);
    v.sync();
    byte[] before = Files.readAllBytes(file);
    v.putData(0, filled(8192, 5), 0, 8192);
    v.sync();
    v.close();
    // the power went while page 0 was being written: its first sectors new, the rest old
    byte[] torn = before.clone();
    Arrays.fill(torn, 0, 1024, (byte) 5);
    Files.write(file, torn);
    JournaledVolume reopened = open(file);
    assertThat(reopened.recovered()).isTrue();
    assertThat(read(reopened, 0, 8192)).containsOnly(5);
    reopened.close();
  }

  @Test
  void journalsAreOwnerOnly() throws Exception {
    Path file = Files.createFile(dir.resolve("store"));
    JournaledVolume v = open(file);
    v.putLong(0, 42L);
    v.sync();
    v.putLong(0, 43L);
    v.sync();
    v.close();
    assertThat(JournaledVolume.journalsOf(file).stream().filter(Files::exists)).hasSize(2);
    for (Path j : JournaledVolume.journalsOf(file).stream().filter(Files::exists).toList()) {
      assertThat(Files.getPosixFilePermissions(j))
          .containsExactlyInAnyOrderElementsOf(dev.holdfast.vault.SecureFiles.OWNER_RW);
    }
  }

  @Test
  void theStoreIsFlushedOnceEveryFourCommitsAndEachCommitFlushesItsJournal() throws Exception {
    dev.holdfast.vault.testing.SimulatedDisk disk = new dev.holdfast.vault.testing.SimulatedDisk();
    Path file = Path.of("/data/store");
    disk.createDirectories(file.getParent());
    JournaledVolume v = new JournaledVolume(disk, file, disk.open(file, dev.holdfast.vault.Disk.Mode.CREATE_NEW));
    for (int commit = 1; commit <= 12; commit++) {
      v.putLong(8L * commit, commit);
      v.sync();
    }
    v.close();
    java.util.Map<Boolean, Long> flushes = disk.points().stream()
        .filter(p -> p.kind() == dev.holdfast.vault.testing.SimulatedDisk.Kind.FLUSH)
        .collect(java.util.stream.Collectors.partitioningBy(p -> p.path().equals(file),
            java.util.stream.Collectors.counting()));
    assertThat(flushes.get(false)).as("journal flushes").isEqualTo(12);
    assertThat(flushes.get(true)).as("store flushes, before commits 5 and 9").isEqualTo(2);
  }

  /** A store whose commits 1 to 4 each wrote 100 bytes of their number at the start of page 1 to 4. */
  private Path fourCommitsOnPagesOneToFour() throws Exception {
    Path file = Files.createFile(dir.resolve("store"));
    JournaledVolume v = open(file);
    for (int commit = 1; commit <= 4; commit++) {
      v.putData(4096L * commit, filled(100, commit), 0, 100);
      v.sync();
    }
    v.close();
    return file;
  }

  @Test
  void afterACrashThePagesOfEveryCommitNotYetFlushedToTheStoreAreLaidOverIt() throws Exception {
    Path file = fourCommitsOnPagesOneToFour(); // no store flush yet: that comes before commit 5
    // the power went: none of the store's unflushed writes reached the disk
    Files.write(file, new byte[0]);

    JournaledVolume reopened = open(file);
    assertThat(reopened.recovered()).isTrue();
    for (int commit = 1; commit <= 4; commit++) {
      assertThat(read(reopened, 4096L * commit, 100)).as("commit %d", commit).containsOnly(commit);
    }
    reopened.sync();
    reopened.close();
    assertThat(Arrays.copyOfRange(Files.readAllBytes(file), 4 * 4096, 4 * 4096 + 100)).containsOnly(4);
  }

  @Test
  void aJournalBeforeAGapInTheSequenceIsNotLaid() throws Exception {
    Path file = fourCommitsOnPagesOneToFour();
    // sequence 3 is missing: whatever sequences 1 and 2 hold is not known to lead to sequence 4
    Files.delete(JournaledVolume.journalsOf(file).get(3));
    Files.write(file, new byte[0]);

    JournaledVolume reopened = open(file);
    assertThat(read(reopened, 4 * 4096, 100)).containsOnly(4);
    assertThat(read(reopened, 4096, 100)).containsOnly(0);
    reopened.close();
  }

  @Test
  void writingWhatAPageAlreadyHoldsLeavesItOutOfTheNextJournal() throws Exception {
    Path file = Files.createFile(dir.resolve("store"));
    JournaledVolume v = open(file);
    for (int commit = 1; commit <= 2; commit++) { // the same bytes twice
      v.putData(0, filled(8192, 1), 0, 8192);
      v.sync();
    }
    v.close();
    assertThat(JournaledVolume.journalsOf(file).stream().filter(Files::exists))
        .as("the second commit changed nothing: no journal").hasSize(1);
  }

  @Test
  void aReadAfterAWriteSeesItEvenWhenThePageWasReadJustBefore() throws Exception {
    Path file = Files.createFile(dir.resolve("store"));
    JournaledVolume v = open(file);
    v.putLong(4088, 1L);
    v.sync();
    assertThat(v.getLong(4088)).isEqualTo(1L);
    v.putLong(4088, 2L); // the page read just now becomes dirty
    assertThat(v.getLong(4088)).isEqualTo(2L);
    v.putLong(4092, 0x0102030405060708L); // across pages 0 and 1
    assertThat(v.getLong(4092)).isEqualTo(0x0102030405060708L);
    assertThat(v.getInt(4092)).isEqualTo(0x01020304);
    v.sync();
    assertThat(v.getInt(4096)).isEqualTo(0x05060708);
    v.truncate(4096); // page 1 leaves the file
    v.sync();
    assertThat(v.getInt(4096)).isZero();
    v.close();
  }

  @Test
  void checkpointRemovesTheJournals() throws Exception {
    Path file = Files.createFile(dir.resolve("store"));
    JournaledVolume v = open(file);
    v.putLong(8, 42L);
    v.checkpoint();
    v.close();
    assertThat(JournaledVolume.journalsOf(file)).allMatch(p -> !Files.exists(p));
    JournaledVolume reopened = open(file);
    assertThat(reopened.getLong(8)).isEqualTo(42L);
    reopened.close();
  }
}
