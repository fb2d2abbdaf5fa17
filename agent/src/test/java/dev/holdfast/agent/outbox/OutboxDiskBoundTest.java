package dev.holdfast.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.agent.config.OutboxSettings;
import dev.holdfast.agent.outbox.log.SegmentLog;
import dev.holdfast.agent.testing.MutableClock;
import dev.holdfast.vault.Vault;
import dev.holdfast.vault.testing.SimulatedDisk;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * The outbox's files stay within a stated bound of what it holds, however records come and go: at
 * most twice the live bytes (records' stored size plus 512 bytes each for their state) plus four
 * segments (the one being filled, the spare, the oldest being compacted, one rolled over meanwhile),
 * even when a few records stay queued in every segment while the rest are delivered (the case
 * only compaction can handle); and a drained outbox shrinks to the active segment and the spare.
 */
class OutboxDiskBoundTest {
  static final int SEGMENT = 16 * 1024;
  static final OutboxSettings SETTINGS = new OutboxSettings(10_000, 256 * 1024, 4096, OutboxSettings.WhenFull.REFUSE,
      Duration.ofDays(7), 4, Duration.ofSeconds(1), Duration.ofMinutes(1));

  @Test
  void theFilesStayWithinTwiceWhatIsHeldPlusFourSegmentsAndADrainedOutboxShrinksToTwoSegments() throws Exception {
    MutableClock clock = MutableClock.atTheStartOf2026();
    OutboxStorage storage = new OutboxStorage(SEGMENT, 1 << 20, Executors.newSingleThreadScheduledExecutor(),
        System::nanoTime, true);
    SimulatedDisk disk = new SimulatedDisk(); // sizes are what is checked here, not flushes: in memory, fast
    disk.createDirectories(Path.of("/device/data"));
    try (Vault vault = Vault.create(disk, Path.of("/device/data/agent.db"), OutboxFixture.key(), new SecureRandom());
        Outbox outbox = Outbox.open(vault, SETTINGS, clock, new SplittableRandom(5), storage)) {
      List<RecordId> stuck = new ArrayList<>();
      double worst = 0;
      for (int i = 0; i < 1500; i++) {
        boolean stays = i % 25 == 0; // one in 25 waits for a destination that is down
        RecordId id = outbox.enqueue(OutboxFixture.webhook(stays ? "https://down.test/" + (i % 7) : "https://up.test/",
            "{\"i\":" + i + ",\"pad\":\"" + "z".repeat(200 + i % 300) + "\"}"));
        if (stays) {
          stuck.add(id);
          if (i % 50 == 0) { // and fails now and then: state entries pile up behind it too
            outbox.recordOutcome(outbox.find(id).orElseThrow(),
                new DeliveryOutcome.Retry("HTTP 503", Optional.of(Duration.ofDays(1))), OutboxFixture.POLICY);
          }
        } else {
          outbox.recordOutcome(outbox.find(id).orElseThrow(), new DeliveryOutcome.Delivered("HTTP 200"),
              OutboxFixture.POLICY);
        }
        SegmentLog.Status s = outbox.storage();
        OutboxStatus o = outbox.status();
        long bound = 2 * (o.bytes() + 512L * (o.queued() + o.dead())) + 4L * SEGMENT;
        assertThat(s.fileBytes()).as("after record %d: %s, holding %d bytes in %d records", i, s, o.bytes(),
            o.queued()).isLessThanOrEqualTo(bound);
        worst = Math.max(worst, (double) s.fileBytes() / bound);
      }
      assertThat(stuck).hasSize(60);
      assertThat(outbox.storage().segments()).as("compaction kept the segments few").isLessThan(10);
      for (RecordId id : stuck) {
        outbox.recordOutcome(outbox.find(id).orElseThrow(), new DeliveryOutcome.Delivered("HTTP 200"),
            OutboxFixture.POLICY);
      }
      outbox.enqueue(OutboxFixture.sms("+15551234567", "one more, after the drain")); // retirement runs after a commit
      SegmentLog.Status drained = outbox.storage();
      assertThat(drained.segments()).isEqualTo(1);
      assertThat(drained.fileBytes()).as("the active segment and the spare").isEqualTo(2L * SEGMENT);
      System.out.printf("disk bound: the files reached at most %.0f%% of the bound%n", 100 * worst);
    }
  }
}
